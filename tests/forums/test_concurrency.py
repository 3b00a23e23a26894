"""Nobody can double-book a slot, even with two requests in the same instant (SPEC §4).

Real threads, each with its own database connection, against PostgreSQL (CI runs the suite on
it); SQLite serialises every write, so there the race cannot happen and the test is skipped.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from forums import services
from forums.models import Booking, ForumSession, Pathway
from forums.services import sessions as session_services
from permanence.models import Child, User
from tests.factories.forums import ForumSessionFactory
from tests.factories.permanence import ChildFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite cannot run two writers at once")


@pytest.fixture
def slow_checks(monkeypatch):
    """Hold each request a moment after it has read the session, so the two truly overlap."""
    original = session_services._check_exemption

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(session_services, "_check_exemption", slow)


def _race(attempts):
    """Run each attempt in its own thread, released together; return what each one got."""
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(i, attempt):
        try:
            barrier.wait(timeout=10)
            results[i] = ("booked", attempt().pk)
        except ValidationError as exc:
            results[i] = ("refused", exc.message_dict)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = ("error", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _request(session_pk, child_pk, user_pk):
    def attempt():
        return services.booking_request(
            session=ForumSession.objects.get(pk=session_pk),
            child=Child.objects.get(pk=child_pk),
            by=User.objects.get(pk=user_pk),
            pathway=Pathway.BEFORE_SECOND_REVIEW,
        )

    return attempt


def test_two_requests_for_the_last_slot_at_once_exactly_one_wins(
    chair, team, social_worker, slow_checks
):
    session = ForumSessionFactory(chair=chair, slot_count=1)
    first, second = ChildFactory(team=team), ChildFactory(team=team)

    results = _race(
        [
            _request(session.pk, first.pk, social_worker.pk),
            _request(session.pk, second.pk, social_worker.pk),
        ]
    )

    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["booked", "refused"], results
    refused = next(r[1] for r in results if r[0] == "refused")
    assert "full" in refused["session"][0] or "just been taken" in refused["session"][0]
    assert Booking.objects.live().filter(session=session).count() == 1


def test_the_same_child_twice_at_once_is_booked_once(chair, team, social_worker, slow_checks):
    session = ForumSessionFactory(chair=chair, slot_count=4)
    child = ChildFactory(team=team)

    results = _race([_request(session.pk, child.pk, social_worker.pk) for _ in range(2)])

    assert sorted(r[0] for r in results) == ["booked", "refused"], results
    assert Booking.objects.live().filter(child=child).count() == 1


def test_many_requests_for_few_slots_never_overfill(chair, team, social_worker):
    session = ForumSessionFactory(chair=chair, slot_count=3)
    children = [ChildFactory(team=team) for _ in range(6)]

    results = _race([_request(session.pk, c.pk, social_worker.pk) for c in children])

    assert [r[0] for r in results].count("booked") == 3, results
    assert "error" not in [r[0] for r in results]
    slots = sorted(
        Booking.objects.live().filter(session=session).values_list("slot_number", flat=True)
    )
    assert slots == [1, 2, 3]
