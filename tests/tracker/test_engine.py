"""Statuses and owners: what a deadline shows on a given day, and whose it is."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from permanence.roles import Role
from tests.factories.tracker import MeetingFact, facts, looked_after, rule
from tracker.deadlines import registry
from tracker.deadlines.calculators import NOT_YET, Occurrence
from tracker.deadlines.engine import Directory, compute_rows, status_of

D = dt.date
LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


# Second review due Friday 27 February 2026; the default warning is 14 days.
DUE = Occurrence(D(2025, 11, 27), D(2026, 2, 27))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 2, 12), "upcoming"),  # 15 days before
        (D(2026, 2, 13), "due_soon"),  # 14 days before: the window opens
        (D(2026, 2, 27), "due_soon"),  # the day itself is not overdue
        (D(2026, 2, 28), "overdue"),  # the day after
    ],
    ids=["15-days-before", "14-days-before", "on-the-day", "day-after"],
)
def test_status_by_day(today, expected):
    assert status_of(DUE, rule("second_review"), today, at(today)) == expected


def test_met_whatever_the_day():
    met = Occurrence(DUE.anchor_on, DUE.due, met_on=D(2026, 3, 20))
    assert status_of(met, rule("second_review"), D(2026, 4, 1), at(D(2026, 4, 1))) == "met"


def test_not_yet_applicable_has_no_date():
    assert status_of(NOT_YET, rule("second_review"), D(2026, 4, 1), at(D(2026, 4, 1))) == (
        "not_yet_applicable"
    )


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [(16, 59, "due_soon"), (17, 0, "due_soon"), (17, 1, "overdue")],
    ids=["1659", "1700", "1701"],
)
def test_part1_is_overdue_after_1700_on_its_day(hour, minute, expected):
    part1 = Occurrence(
        D(2026, 3, 9), D(2026, 3, 4), due_at=dt.datetime(2026, 3, 4, 17, tzinfo=LONDON)
    )
    day = D(2026, 3, 4)
    assert status_of(part1, rule("part1_submitted"), day, at(day, hour, minute)) == expected


def test_zero_warning_means_due_soon_only_on_the_day():
    config = rule("second_review", warning_days=0)
    assert status_of(DUE, config, D(2026, 2, 26), at(D(2026, 2, 26))) == "upcoming"
    assert status_of(DUE, config, D(2026, 2, 27), at(D(2026, 2, 27))) == "due_soon"


# --- owners ------------------------------------------------------------------------------------

DIRECTORY = Directory(
    team_managers={1: [30, 31]}, heads_of_service={1: [40]}, cps_duty={None: [50]}
)


def test_owner_is_the_role_holder():
    child = facts()
    assert DIRECTORY.owner(Role.SOCIAL_WORKER, child) == 10
    assert DIRECTORY.owner(Role.IRO, child) == 20
    assert DIRECTORY.owner(Role.TEAM_MANAGER, child) == 30


def test_unallocated_worker_or_iro_falls_to_the_team_manager():
    child = facts(social_worker_id=None, iro_id=None)
    assert DIRECTORY.owner(Role.SOCIAL_WORKER, child) == 30
    assert DIRECTORY.owner(Role.IRO, child) == 30


def test_cps_duty_is_a_desk_not_one_person():
    assert DIRECTORY.owner(Role.CPS_DUTY, facts()) is None
    assert DIRECTORY.holders(Role.CPS_DUTY, facts()) == [50]


def test_escalation_goes_to_team_managers_or_above_them():
    child = facts()
    assert DIRECTORY.escalation(Role.SOCIAL_WORKER, child) == [30, 31]
    assert DIRECTORY.escalation(Role.TEAM_MANAGER, child) == [40]
    assert DIRECTORY.escalation(Role.SOCIAL_WORKER, facts(team_id=9)) == [40]


# --- "tracked from": children looked after long before the service began recording ------------

GO_LIVE = D(2026, 4, 1)
TODAY = D(2026, 11, 23)


def _rows(child, *rules_):
    specs = [(r, registry.spec_for(r.code)) for r in rules_]
    return compute_rows([child], specs, DIRECTORY, at(TODAY), TODAY)


def test_one_off_deadline_from_before_go_live_is_not_tracked():
    # Looked after since 2019: an early permanence panel due in 2019 is not shown overdue.
    child = looked_after(D(2019, 5, 7))
    assert _rows(child, rule("early_permanence_panel", applies_from=GO_LIVE)) == {}
    # Without the date the same child shows it years overdue.
    (row,) = _rows(child, rule("early_permanence_panel")).values()
    assert (row.due, row.status) == (D(2019, 5, 21), "overdue")


def test_one_off_deadline_from_after_go_live_is_tracked_as_usual():
    child = looked_after(D(2026, 11, 16))
    (row,) = _rows(child, rule("early_permanence_panel", applies_from=GO_LIVE)).values()
    assert (row.anchor_on, row.due, row.status) == (D(2026, 11, 16), D(2026, 11, 30), "upcoming")


def test_repeating_deadline_counts_from_go_live_when_nothing_recorded_since():
    # No care planning meeting recorded since 2019: the next is due 6 weeks after go-live.
    child = looked_after(D(2019, 5, 7))
    (row,) = _rows(child, rule("care_planning_meeting", applies_from=GO_LIVE)).values()
    assert (row.anchor_on, row.due, row.status) == (GO_LIVE, D(2026, 5, 13), "overdue")


def test_repeating_deadline_counts_from_a_meeting_recorded_after_go_live():
    meeting = MeetingFact("care_planning", D(2026, 11, 2))
    child = looked_after(D(2019, 5, 7), meetings=[meeting])
    (row,) = _rows(child, rule("care_planning_meeting", applies_from=GO_LIVE)).values()
    assert (row.anchor_on, row.due, row.status) == (D(2026, 11, 2), D(2026, 12, 14), "upcoming")
