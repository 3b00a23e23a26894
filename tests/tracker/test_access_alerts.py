"""A deadline rule that copies CPS duty in tells it only about children it may open (SPEC §1)."""

import datetime as dt

import pytest

from forums.models import Booking
from permanence.models import Notification
from tests.factories.forums import BookingFactory, ForumSessionFactory
from tests.tracker.conftest import at
from tracker import services

pytestmark = pytest.mark.django_db

D = dt.date


def _told() -> set[int]:
    return set(
        Notification.objects.filter(subject__contains="Achieving Early Permanence").values_list(
            "recipient_id", flat=True
        )
    )


def test_cps_duty_is_not_copied_in_on_a_child_outside_its_scope(
    make_child, only_rules, system, social_worker, cps_duty
):
    only_rules("early_permanence_panel")
    make_child(D(2026, 1, 5))  # newly looked after: no booking, no placement search

    services.deadlines_sweep(by=system, now=at(D(2026, 2, 2), 6))

    told = _told()
    assert social_worker.pk in told
    assert cps_duty.pk not in told


def test_cps_duty_is_copied_in_once_the_child_is_booked_into_the_forum(
    make_child, only_rules, system, social_worker, cps_duty
):
    only_rules("early_permanence_panel")
    child = make_child(D(2026, 1, 5))
    BookingFactory(
        child=child,
        session=ForumSessionFactory(forum_date=D(2026, 3, 9)),
        status=Booking.Status.CONFIRMED,
    )

    services.deadlines_sweep(by=system, now=at(D(2026, 2, 2), 6))

    assert _told() >= {social_worker.pk, cps_duty.pk}
