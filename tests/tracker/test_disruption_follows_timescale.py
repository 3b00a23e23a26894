"""A disruption's stored dates follow a changed timescale (seed 000; one source, SPEC §5): the
urgent carer review's and the carer's fee dates on the disruption's page say the same day as the
tracker's stored deadline, whatever the administrator changes; a review already held or a fee
already settled keeps the date it had."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from forums.services.disruptions import disruption_fee_extend, disruption_record
from permanence import dates
from tests.factories.permanence import UserFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.models import Deadline, DeadlineRule
from tracker.services.timescale_rules import deadline_rule_update

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RULES = ("urgent_foster_carer_review", "carer_fee")

# Each field that decides the date, changed once. MOVES: whether the date must move. (Counting
# backwards is left out: the record refuses a review or fee date before the disruption.)
CHANGES = [
    pytest.param({"amount": 3}, True, id="amount"),
    pytest.param({"unit": "days"}, True, id="unit-days"),
    pytest.param({"unit": "working_days"}, True, id="unit-working-days"),
    pytest.param({"unit": "months"}, True, id="unit-months"),
    pytest.param({"counts_start_day": True}, True, id="start-day-counts"),
    pytest.param({"due_time": dt.time(12, 30)}, False, id="time-of-day"),
]


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True, team=None)


@pytest.fixture
def stored(only_rules, system):
    """Sweep as beat would; the child's stored deadline for CODE."""
    only_rules(*RULES)

    def read(child, code: str) -> dt.date:
        services.deadlines_sweep(by=system, now=at(TODAY))
        return Deadline.objects.get(child=child, rule__code=code, current=True).due

    return read


@pytest.fixture
def disruption(make_child, social_worker, django_capture_on_commit_callbacks):
    child = make_child(dates.add_weeks(TODAY, -40))
    with django_capture_on_commit_callbacks(execute=True):
        return disruption_record(
            child=child,
            by=social_worker,
            disrupted_on=TODAY - dt.timedelta(days=2),
            carer_name="Ms Carer",
            details="The placement broke down.",
        )


def change(code: str, by, values: dict) -> None:
    rule = DeadlineRule.objects.get(code=code)
    if values.get("unit") == rule.unit:
        values = {**values, "unit": "weeks" if rule.unit != "weeks" else "days"}
    deadline_rule_update(rule=rule, by=by, **values)


def page(client, user, disruption) -> str:
    client.force_login(user)
    return client.get(disruption.get_absolute_url()).text


@pytest.mark.parametrize(("values", "moves"), CHANGES)
@pytest.mark.parametrize(
    ("code", "field", "shown"),
    [
        ("urgent_foster_carer_review", "carer_review_due_on", "Due by {:%A %-d %B %Y}"),
        ("carer_fee", "fee_paid_until", "Continues until {:%A %-d %B %Y}"),
    ],
)
def test_each_change_reaches_the_disruption_page(
    disruption, stored, admin_user, client, social_worker, code, field, shown, values, moves
):
    before = stored(disruption.child, code)
    assert getattr(disruption, field) == before
    change(code, admin_user, values)
    due = stored(disruption.child, code)
    assert (due != before) is moves
    disruption.refresh_from_db()
    assert getattr(disruption, field) == due
    assert shown.format(due) in page(client, social_worker, disruption)


def test_a_changed_extension_moves_an_extended_fee(
    disruption, stored, admin_user, client, social_worker
):
    disruption = disruption_fee_extend(
        disruption=disruption, by=social_worker, reason="The review is next week"
    )
    before = stored(disruption.child, "carer_fee")
    assert disruption.fee_paid_until == before
    change("carer_fee", admin_user, {"extension_amount": 4})
    due = stored(disruption.child, "carer_fee")
    assert due == dates.add_weeks(before, 2)
    disruption.refresh_from_db()
    assert disruption.fee_paid_until == due
    assert f"Continues until {due:%A %-d %B %Y}" in page(client, social_worker, disruption)


def test_a_held_review_keeps_the_date_it_was_due_by(disruption, admin_user, social_worker):
    from forums.services.disruptions import disruption_outcome_record

    due = disruption.carer_review_due_on
    disruption_outcome_record(
        disruption=disruption,
        by=social_worker,
        carer_review_held_on=TODAY,
        outcome="continues",
    )
    change("urgent_foster_carer_review", admin_user, {"amount": 5})
    change("carer_fee", admin_user, {"amount": 5})
    disruption.refresh_from_db()
    assert disruption.carer_review_due_on == due
    assert disruption.fee_paid_until == dates.add_weeks(disruption.disrupted_on, 2)
