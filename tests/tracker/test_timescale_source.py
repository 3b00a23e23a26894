"""An administrator's change to a timescale reaches every page that shows a due date."""

import datetime as dt

import pytest

from forums.services.meetings import matching_papers_errors, next_due_on
from permanence.dates import Offset
from permanence.timescales import Timescale, count, timescale
from reviews import review_due_dates
from tests.factories.forums import ForumSessionFactory, MeetingFactory, meeting_type
from tests.factories.permanence import UserFactory
from tracker.models import DeadlineRule
from tracker.services.timescale_rules import deadline_rule_update

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True, team=None)


def change(code, by, **values):
    deadline_rule_update(rule=DeadlineRule.objects.get(code=code), by=by, **values)


def test_the_default_is_the_fixture_value():
    assert (timescale("first_review").amount, timescale("first_review").unit) == (
        20,
        "working_days",
    )


def test_a_changed_first_review_moves_the_review_schedule(admin_user):
    change("first_review", admin_user, amount=15)
    assert review_due_dates.review_due(sequence=1, looked_after_since=D(2026, 6, 1)) == D(
        2026, 6, 22
    )


def test_a_changed_part1_rule_moves_the_part1_cut_off(admin_user):
    session = ForumSessionFactory(forum_date=D(2027, 3, 15))  # a Monday
    assert session.part1_due_at.date() == D(2027, 3, 10)  # Wednesday, 3 working days before
    change("part1_submitted", admin_user, amount=5, due_time=dt.time(12, 0))
    due = session.part1_due_at
    assert (due.date(), due.hour) == (D(2027, 3, 8), 12)


def test_a_changed_cpr_rule_changes_which_papers_are_stale(admin_user):
    papers = {
        "panel_date": D(2026, 12, 1),
        "form_f_updated_on": D(2026, 6, 1),
        "cpr_updated_on": D(2026, 8, 1),
        "has_matching_report": True,
    }
    assert matching_papers_errors(**papers) == {}
    change("cpr_current", admin_user, amount=3)
    errors = matching_papers_errors(**papers)
    assert "3 months or more before the panel" in errors["cpr_updated_on"]


@pytest.mark.parametrize(
    ("meeting_code", "rule_code", "before", "after"),
    [
        ("care-planning", "care_planning_meeting", D(2026, 12, 14), D(2026, 11, 30)),
        ("early-permanence", "first_ppm", D(2026, 12, 14), D(2026, 11, 30)),
    ],
)
def test_a_changed_meeting_timescale_moves_the_date_the_child_comes_back(
    admin_user, meeting_code, rule_code, before, after
):
    # The meeting page's "next by" date and the tracker's deadline are one number.
    meeting = MeetingFactory(
        meeting_type=meeting_type(meeting_code),
        scheduled_for=D(2026, 11, 2),
        held_on=D(2026, 11, 2),
    )
    assert next_due_on(meeting) == before
    change(rule_code, admin_user, amount=4)
    meeting.meeting_type.refresh_from_db()
    assert str(meeting.meeting_type.repeat) == "4 weeks"
    assert next_due_on(meeting) == after


def test_the_pages_explaining_a_timescale_state_the_administrators_value(
    admin_user, client, social_worker, iro
):
    client.force_login(social_worker)
    booking = "/forums/permanency/bookings/new/"
    assert "Part 1 is due 3 working days before the forum, by 17:00" in client.get(booking).text
    change("part1_submitted", admin_user, amount=5, due_time=dt.time(12, 0))
    assert "Part 1 is due 5 working days before the forum, by 12:00" in client.get(booking).text

    client.force_login(iro)
    change("second_review", admin_user, amount=2)
    page = client.get("/reviews/").text
    assert "the second 2 months after the first, then every 6 months" in page


# The one count every page and the tracker use, field by field, around weekends and bank
# holidays (Good Friday 3 April 2026, Easter Monday 6 April; Christmas 2026 on a Friday).
COUNT_CASES = [
    # amount, unit, direction, first day counts, start, due
    (5, "working_days", "after", False, D(2026, 4, 1), D(2026, 4, 10)),
    (3, "working_days", "before", False, D(2026, 4, 8), D(2026, 4, 1)),
    (3, "working_days", "before", True, D(2026, 4, 8), D(2026, 4, 2)),
    (26, "weeks", "after", True, D(2026, 1, 5), D(2026, 7, 5)),
    (1, "months", "after", False, D(2026, 1, 31), D(2026, 2, 28)),
    (2, "days", "before", False, D(2026, 12, 28), D(2026, 12, 26)),
    (1, "working_days", "after", False, D(2026, 12, 24), D(2026, 12, 29)),
]


@pytest.mark.parametrize(("amount", "unit", "direction", "first", "start", "due"), COUNT_CASES)
def test_count_honours_each_field(amount, unit, direction, first, start, due):
    rule = Timescale("x", amount, unit, direction=direction, counts_start_day=first)
    assert count(rule, start).on == due


def test_count_adds_an_extension_in_the_rules_unit_once_and_a_recorded_one_after():
    rule = Timescale("x", 1, "months", extension_amount=1)
    assert count(rule, D(2026, 1, 31), extended=True).on == D(2026, 3, 31)
    weeks = Timescale("x", 16, "weeks", extension_amount=8)
    assert count(weeks, D(2026, 1, 5), extension=Offset(6, "weeks")).on == D(2026, 6, 8)
    # Recorded in another unit, it is added after the rule's own count.
    assert count(rule, D(2026, 1, 31), extension=Offset(2, "weeks")).on == D(2026, 3, 14)


def test_count_gives_the_moment_due_when_the_rule_sets_a_time():
    rule = Timescale("x", 3, "working_days", due_time=dt.time(17), direction="before")
    due = count(rule, D(2027, 3, 15))
    assert (due.on, due.at.hour, due.by) == (D(2027, 3, 10), 17, due.at)
    whole_day = count(Timescale("x", 3, "working_days"), D(2027, 3, 15)).by
    assert (whole_day.date(), whole_day.hour, whole_day.minute) == (D(2027, 3, 18), 23, 59)
