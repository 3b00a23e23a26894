"""One source for every due date (SPEC §5): whatever an administrator changes about a timescale,
the page that shows the date and the tracker's stored deadline row say the same day.

Each test changes one field of a rule through the service the admin pages use, sweeps as beat
would, then reads the page and the row. The change must also move the date (or, for a field the
rule does not use there, leave it where it was), so that two stale dates cannot agree by luck.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from forums.models import Booking
from forums.services.meetings import next_due_on
from permanence import dates
from permanence.services import connected_approval_extend, connected_approval_start
from reviews import review_due_dates
from tests.factories.forums import BookingFactory, ForumSessionFactory, MeetingFactory, meeting_type
from tests.factories.permanence import UserFactory
from tests.factories.reviews import ReviewFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.models import Deadline, DeadlineRule
from tracker.services.timescale_rules import deadline_rule_update

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TODAY = timezone.localdate()

# One change of each field that decides a due date. MOVES says whether the change must move the
# date on that page: a time of day or an extension nobody has recorded leaves the day alone.
CHANGES = [
    pytest.param({"amount": 4}, True, id="amount"),
    pytest.param({"unit": "days"}, True, id="unit-days"),
    pytest.param({"unit": "working_days"}, True, id="unit-working-days"),
    pytest.param({"unit": "months"}, True, id="unit-months"),
    pytest.param({"counts_start_day": True}, True, id="start-day-counts"),
    pytest.param({"direction": "before"}, True, id="direction"),
    pytest.param({"due_time": dt.time(12, 30)}, False, id="time-of-day"),
    pytest.param({"extension_amount": 3}, False, id="extension-not-recorded"),
]


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True, team=None)


@pytest.fixture
def sweep(only_rules, system):
    """Switch on only RULE and sweep as beat would; return the child's stored deadline."""

    def run(child, code: str) -> Deadline:
        only_rules(code)
        services.deadlines_sweep(by=system, now=at(TODAY))
        return Deadline.objects.get(child=child, rule__code=code, current=True)

    return run


def change(code: str, by, values: dict) -> None:
    rule = DeadlineRule.objects.get(code=code)
    if values.get("unit") == rule.unit:
        values = {**values, "unit": "weeks" if rule.unit != "weeks" else "days"}
    if values.get("direction") == rule.direction:
        values = {**values, "direction": "after"}
    deadline_rule_update(rule=rule, by=by, **values)


def long(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def test_the_review_page_and_the_row_agree_on_the_first_review(
    make_child, sweep, admin_user, client, iro
):
    since = dates.add_days(TODAY, -10)
    child = make_child(since)
    client.force_login(iro)
    page = f"/reviews/children/{child.pk}/"
    row = sweep(child, "first_review")
    assert row.due == dates.add_working_days(since, 20)
    assert f"due {long(row.due)}" in client.get(page).text


@pytest.mark.parametrize(("values", "moves"), CHANGES)
def test_each_change_to_the_first_review_reaches_the_review_page(
    make_child, sweep, admin_user, client, iro, values, moves
):
    """The IRO's page for the child: "First review: due …" (seed 004)."""
    child = make_child(dates.add_days(TODAY, -10))
    client.force_login(iro)
    before = sweep(child, "first_review").due
    change("first_review", admin_user, values)
    row = sweep(child, "first_review")
    assert (row.due != before) is moves
    assert f"due {long(row.due)}" in client.get(f"/reviews/children/{child.pk}/").text


@pytest.mark.parametrize(("values", "moves"), CHANGES)
def test_each_change_to_part1_reaches_the_booking_and_session_pages(
    make_child, sweep, admin_user, client, social_worker, cps_duty, values, moves
):
    """Part 1's cut-off on the booking and session pages (seeds 000, 003)."""
    forum_child = make_child(dates.add_weeks(TODAY, -10))
    session = ForumSessionFactory(forum_date=dates.add_working_days(TODAY, 30))
    booking = BookingFactory(
        session=session,
        child=forum_child,
        status=Booking.Status.CONFIRMED,
        requested_by=social_worker,
    )
    before = sweep(forum_child, "part1_submitted")
    change("part1_submitted", admin_user, values)
    row = sweep(forum_child, "part1_submitted")
    # A time of day changes the moment Part 1 is due even when it leaves the day alone.
    assert (row.due != before.due) is moves
    if "due_time" in values:
        assert row.due_at != before.due_at
    when = row.due_at.astimezone(LONDON) if row.due_at else None
    shown = f"{when:%H:%M}" if when else "23:59"  # a whole-day deadline: to the day's end
    expected = f"{shown}, {row.due:%A %-d %B %Y}"
    client.force_login(social_worker)
    assert expected in client.get(f"/forums/permanency/bookings/{booking.pk}/").text
    client.force_login(cps_duty)
    assert expected in client.get(f"/forums/permanency/sessions/{session.pk}/").text


def test_part1_with_no_time_of_day_is_in_time_until_the_day_ends(make_child, sweep, admin_user):
    forum_child = make_child(dates.add_weeks(TODAY, -10))
    session = ForumSessionFactory(forum_date=dates.add_working_days(TODAY, 30))
    BookingFactory(session=session, child=forum_child, status=Booking.Status.CONFIRMED)
    change("part1_submitted", admin_user, {"due_time": None})
    row = sweep(forum_child, "part1_submitted")
    assert row.due_at is None
    due = session.part1_due_at
    assert (due.date(), due.hour, due.minute) == (row.due, 23, 59)


@pytest.mark.parametrize(
    ("values", "moves"),
    [
        *CHANGES[:-1],
        pytest.param({"extension_amount": 3}, False, id="extension-allowed"),
    ],
)
@pytest.mark.parametrize("extended", [0, 2], ids=["not-extended", "extended-2-weeks"])
def test_each_change_to_a_temporary_approval_reaches_the_childs_page(
    make_child, sweep, admin_user, client, social_worker, values, moves, extended
):
    """The child's page: "Temporary approval ends …" (CPPCR 2010 regs 24-25)."""
    placed = dates.add_weeks(TODAY, -6)
    child = make_child(placed, place="U3")
    if extended:
        approval = connected_approval_start(
            child=child, by=social_worker, placed_on=placed, carers="Jean Smith"
        )
        connected_approval_extend(
            approval=approval,
            by=social_worker,
            extended_on=TODAY,
            extension_weeks=extended,
            agreed_by="Nominated officer",
        )
    before = sweep(child, "connected_person_approval").due
    change("connected_person_approval", admin_user, values)
    row = sweep(child, "connected_person_approval")
    assert (row.due != before) is moves
    client.force_login(social_worker)
    page = client.get(child.get_absolute_url()).text
    assert f'Temporary approval ends</dt><dd class="govuk-summary-list__value">{long(row.due)}' in (
        page
    )


@pytest.mark.parametrize(("values", "moves"), CHANGES)
def test_each_change_to_care_planning_reaches_the_meeting_page(
    make_child, sweep, admin_user, client, social_worker, values, moves
):
    """The meeting's page: "Comes back by …", the next care planning meeting (seed 004)."""
    child = make_child(dates.add_weeks(TODAY, -20))
    held = dates.add_weeks(TODAY, -2)
    meeting = MeetingFactory(
        meeting_type=meeting_type("care-planning"),
        child=child,
        scheduled_for=held,
        held_on=held,
        decisions="Placement stable.",
    )
    meeting.next_due_on = next_due_on(meeting)
    meeting.save()
    before = sweep(child, "care_planning_meeting").due
    change("care_planning_meeting", admin_user, values)
    row = sweep(child, "care_planning_meeting")
    assert (row.due != before) is moves
    client.force_login(social_worker)
    page = client.get(meeting.get_absolute_url()).text
    assert f"{row.due:%A %-d %B %Y}" in page


@pytest.mark.parametrize(("values", "moves"), CHANGES)
def test_each_change_to_the_second_review_reaches_the_booked_review(
    make_child, sweep, admin_user, client, iro, values, moves
):
    """A second review already booked: its own page and the child's reviews page (004)."""
    since = dates.add_weeks(TODAY, -10)
    child = make_child(since)
    first_held = dates.add_working_days(since, 15)
    ReviewFactory(child=child, period_started_on=since, sequence=1, due_on=first_held, iro=iro)
    booked = ReviewFactory(
        child=child,
        period_started_on=since,
        sequence=2,
        due_on=review_due_dates.review_due(sequence=2, looked_after_since=since, held=[first_held]),
        held_on=None,
        planned_on=dates.add_weeks(TODAY, 2),
        participation="",
        iro=iro,
    )
    before = sweep(child, "second_review").due
    assert booked.due_on == before
    change("second_review", admin_user, values)
    row = sweep(child, "second_review")
    assert (row.due != before) is moves
    client.force_login(iro)
    review_page = client.get(f"/reviews/{booked.pk}/").text
    assert f'Due by</dt><dd class="govuk-summary-list__value">{long(row.due)}' in review_page
    assert f"due {long(row.due)}" in client.get(f"/reviews/children/{child.pk}/").text
