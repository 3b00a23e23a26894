"""A supervision order (001 §3.2): one year at first, extendable by the court to three years in
all, never past the child's 18th birthday; its end is a deadline on the tracker, raised once.
Dates around weekends, bank holidays, month ends and leap days are worked out by hand: a count
in months keeps the day of the month (the last day when the month is shorter) and does not move
off a weekend or bank holiday."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from permanence import dates
from permanence.family import services
from permanence.models import SupervisionOrder
from permanence.models.family import supervision_order_ends
from tests.factories.permanence import ChildFactory
from tests.tracker import conftest as tracker_fixtures
from tests.tracker.conftest import at
from tracker import services as tracker_services
from tracker.models import Alert, Deadline

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RULE = "supervision_order_ends"
only_rules = tracker_fixtures.only_rules
system = tracker_fixtures.system


@pytest.mark.parametrize(
    ("made_on", "extension", "ends"),
    [
        (date(2026, 5, 1), None, date(2027, 5, 1)),  # Fri -> Sat: stays on the Saturday
        (date(2025, 12, 25), None, date(2026, 12, 25)),  # Christmas Day -> Christmas Day
        (date(2026, 4, 3), None, date(2027, 4, 3)),  # Good Friday 2026 -> a Saturday
        (date(2024, 2, 29), None, date(2025, 2, 28)),  # leap day -> last day of February
        (date(2024, 2, 29), 24, date(2027, 2, 28)),  # extended to three years in all
        (date(2026, 1, 31), 1, date(2027, 2, 28)),  # 13 months from 31 January
        (date(2026, 8, 31), 6, date(2028, 2, 29)),  # bank holiday Monday -> a leap day
        (date(2026, 12, 4), 12, date(2028, 12, 4)),  # two years
    ],
)
def test_when_an_order_ends(made_on, extension, ends):
    assert supervision_order_ends(made_on, extension) == ends


@pytest.fixture
def child(team, social_worker, iro):
    return ChildFactory(
        team=team,
        social_worker=social_worker,
        iro=iro,
        date_of_birth=dates.add_months(TODAY, -12 * 10),
    )


@pytest.fixture
def teenager(team, social_worker, iro):
    """17 and a half today."""
    return ChildFactory(
        team=team,
        social_worker=social_worker,
        iro=iro,
        date_of_birth=dates.add_months(TODAY, -(17 * 12 + 6)),
    )


def test_an_order_for_a_seventeen_year_old_ends_on_the_18th_birthday(teenager, social_worker):
    order = services.supervision_order_record(
        child=teenager, by=social_worker, made_on=TODAY - dt.timedelta(days=2)
    )
    assert order.ends_on == dates.add_months(teenager.date_of_birth, 18 * 12)


def test_an_extension_past_18_is_refused_beside_the_field(teenager, social_worker):
    order = services.supervision_order_record(
        child=teenager, by=social_worker, made_on=TODAY - dt.timedelta(days=2)
    )
    with pytest.raises(ValidationError) as exc:
        services.supervision_order_extend(
            order=order, by=social_worker, extended_on=TODAY, extension_months=6
        )
    assert (
        "cannot run past the child's 18th birthday" in exc.value.message_dict["extension_months"][0]
    )
    order.refresh_from_db()
    assert order.extension_months is None


def test_an_extension_beyond_three_years_in_all_is_refused(child, social_worker):
    order = services.supervision_order_record(child=child, by=social_worker, made_on=TODAY)
    with pytest.raises(ValidationError) as exc:
        services.supervision_order_extend(
            order=order, by=social_worker, extended_on=TODAY, extension_months=25
        )
    assert exc.value.message_dict["extension_months"] == [
        "An order can be extended by 24 months at most: no more than three years in all"
    ]


def test_an_order_cannot_be_made_for_an_adult(team, social_worker):
    adult = ChildFactory(team=team, date_of_birth=dates.add_months(TODAY, -(18 * 12 + 1)))
    with pytest.raises(ValidationError) as exc:
        services.supervision_order_record(child=adult, by=social_worker, made_on=TODAY)
    assert "once the child is 18" in exc.value.message_dict["made_on"][0]


def test_the_end_is_a_deadline_on_the_tracker_and_raised_once(
    child, social_worker, only_rules, system, django_capture_on_commit_callbacks
):
    only_rules(RULE)
    made = dates.add_months(TODAY, -11)
    with django_capture_on_commit_callbacks(execute=True):
        order = services.supervision_order_record(child=child, by=social_worker, made_on=made)
    deadline = Deadline.objects.get(child=child, rule__code=RULE)
    assert (deadline.anchor_on, deadline.due) == (made, dates.add_months(made, 12))
    tracker_services.deadlines_sweep(by=system, now=at(TODAY))
    tracker_services.deadlines_sweep(by=system, now=at(TODAY))
    assert Alert.objects.filter(child=child, rule__code=RULE).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.supervision_order_extend(
            order=order, by=social_worker, extended_on=TODAY, extension_months=12
        )
    deadline = Deadline.objects.get(child=child, rule__code=RULE)
    assert deadline.due == dates.add_months(made, 24)
    with django_capture_on_commit_callbacks(execute=True):
        services.supervision_order_end(order=order, by=social_worker, ended_on=TODAY)
    deadline = Deadline.objects.get(child=child, rule__code=RULE)
    assert (deadline.status, deadline.met_on) == (Deadline.Status.MET, TODAY)


def test_recorded_and_shown_on_the_childs_page(client, child, social_worker):
    client.force_login(social_worker)
    url = reverse("permanence:supervision-order-create", args=[child.pk])
    response = client.post(
        url,
        {
            "made_on_0": TODAY.day,
            "made_on_1": TODAY.month,
            "made_on_2": TODAY.year,
            "conditions": "Attend the clinic",
        },
    )
    assert response.status_code == 302
    order = SupervisionOrder.objects.get()
    page = client.get(child.get_absolute_url()).content.decode()
    assert "Supervision order" in page
    assert f"{order.ends_on:%-d %B %Y}" in page
