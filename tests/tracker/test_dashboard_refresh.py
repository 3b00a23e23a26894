"""The tracker's summary rows: worked out from the record and the stored deadlines whenever the
deadline engine refreshes a child (a change committed, or the sweep), with the RAG the rules give
and the Permanence Panel's rating beside it (SPEC §6, seed 004)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forums.models import Meeting
from forums.services.meetings import meeting_record, meeting_schedule
from permanence.models.plans import Route, Status
from tests.factories.forums import meeting_type
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.plans import PlanFactory
from tests.factories.reviews import IroAllocationFactory, ReviewFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.dashboard.selectors import panel_ratings
from tracker.dashboard.services import tracker_rows_refresh
from tracker.deadlines.facts import ChildScope
from tracker.models import TrackerRow

pytestmark = pytest.mark.django_db

D = dt.date
SINCE = D(2026, 1, 5)  # Monday: IRO due 12 January, first review due 2 February


def sweep(system, day):
    return services.deadlines_sweep(by=system, now=at(day))


def row_of(child) -> TrackerRow:
    return TrackerRow.objects.get(child=child)


def test_every_child_gets_a_row_with_who_and_where(make_child, system, social_worker, iro, team):
    child = make_child(SINCE, first_name="Ava", last_name="Stone")
    sweep(system, D(2026, 1, 7))
    row = row_of(child)
    assert (row.child_ref, row.first_name, row.last_name, row.sort_name) == (
        child.child_id,
        "Ava",
        "Stone",
        "stone ava",
    )
    assert (row.team, row.service, row.social_worker, row.iro) == (
        team,
        team.service,
        social_worker,
        iro,
    )
    assert (row.legal_status, row.placement, row.period_start, row.period_end) == (
        "C1",
        "U6",
        SINCE,
        None,
    )
    assert row.looked_after_since == SINCE


def test_a_child_not_looked_after_has_no_legal_status_or_weeks(system, team):
    child = ChildFactory(team=team)
    EpisodeFactory(child=child, decom=D(2025, 6, 2), dec=D(2025, 12, 1), rec="E4A")
    sweep(system, D(2026, 1, 7))
    row = row_of(child)
    assert row.legal_status == ""
    assert (row.period_start, row.period_end) == (D(2025, 6, 2), D(2025, 12, 1))
    assert row.looked_after_since is None
    assert row.weeks_looked_after(D(2026, 1, 7)) is None


def test_the_plan_in_force_and_the_first_ratification(make_child, system):
    child = make_child(SINCE)
    first = PlanFactory(
        child=child,
        route=Route.SGO_CAO,
        status=Status.SUPERSEDED,
        ratified_on=D(2026, 3, 2),
    )
    PlanFactory(
        child=child,
        version=2,
        previous=first,
        route=Route.ADOPTION,
        contingency_route=Route.LONG_TERM_FOSTERING,
        status=Status.IN_IMPLEMENTATION,
        ratified_on=D(2026, 4, 6),
    )
    sweep(system, D(2026, 4, 8))
    row = row_of(child)
    assert (row.route, row.plan_status, row.contingency_route) == (
        "adoption",
        "in_implementation",
        "long_term_fostering",
    )
    # The measure "days to a ratified plan" counts from the first ratification in this period.
    assert row.first_ratified_on == D(2026, 3, 2)
    assert row.route_label == "adoption"


def test_next_deadline_and_counts(make_child, only_rules, system):
    only_rules("iro_allocated", "first_review", "care_planning_meeting")
    child = make_child(SINCE)
    sweep(system, D(2026, 1, 28))
    row = row_of(child)
    # IRO due 12 January (overdue), first review 2 February (due soon), CPM 16 February.
    assert row.next_rule.code == "iro_allocated"
    assert (row.next_due, row.next_status) == (D(2026, 1, 12), "overdue")
    assert (row.overdue_count, row.due_soon_count) == (1, 1)


def test_statutory_deadline_overdue_is_red(make_child, only_rules, system):
    only_rules("iro_allocated")
    child = make_child(SINCE)
    sweep(system, D(2026, 1, 20))
    row = row_of(child)
    assert (row.computed_rag, row.rag) == ("red", "red")
    assert row.computed_reason == "Statutory deadline overdue: IRO allocated"


def test_the_row_follows_the_record_met_is_green(make_child, only_rules, system, iro):
    only_rules("iro_allocated")
    child = make_child(SINCE)
    sweep(system, D(2026, 1, 20))
    IroAllocationFactory(child=child, iro=iro, allocated_on=D(2026, 1, 19))
    services.deadlines_refresh(child_ids=[child.pk], by=system, now=at(D(2026, 1, 20)))
    assert (row_of(child).rag, row_of(child).computed_reason) == ("green", "")


def test_local_timescale_overdue_is_amber(make_child, only_rules, system):
    only_rules("care_planning_meeting")
    child = make_child(SINCE)
    sweep(system, D(2026, 3, 2))
    row = row_of(child)
    assert row.rag == "amber"
    assert row.computed_reason.startswith("Overdue: Care planning meeting")


def test_no_ratified_plan_after_the_second_review_was_due_is_red(make_child, only_rules, system):
    only_rules("second_review")
    child = make_child(SINCE)
    ReviewFactory(child=child, period_started_on=SINCE, sequence=1, held_on=D(2026, 1, 30))
    PlanFactory(child=child, status=Status.PRESENTED)
    sweep(system, D(2026, 4, 30))  # second review due 30 April: not yet passed
    assert row_of(child).rag == "amber"
    sweep(system, D(2026, 5, 1))
    row = row_of(child)
    assert row.rag == "red"
    assert (
        "The second review was due on 30 April 2026 and no plan is ratified" in row.computed_reason
    )
    assert row.second_review_due == D(2026, 4, 30)


def test_a_second_review_held_without_ratifying_is_met_and_the_plan_not_ratified(
    make_child, only_rules, system
):
    """Issue 16: the review's deadline is met (it was held); the plan rule says, in its own
    words, that the plan was not ratified there, from the day of the review."""
    only_rules("second_review")
    child = make_child(SINCE)
    ReviewFactory(child=child, period_started_on=SINCE, sequence=1, held_on=D(2026, 1, 30))
    ReviewFactory(child=child, period_started_on=SINCE, sequence=2, held_on=D(2026, 4, 20))
    PlanFactory(child=child, status=Status.PRESENTED)
    sweep(system, D(2026, 4, 21))
    row = row_of(child)
    assert row.rag == "red"
    assert row.computed_reason == "The plan was not ratified at the second review on 20 April 2026"
    assert "due" not in row.computed_reason


def test_a_ratified_plan_by_the_second_review_keeps_it_off_red(make_child, only_rules, system):
    only_rules("second_review")
    child = make_child(SINCE)
    ReviewFactory(child=child, period_started_on=SINCE, sequence=1, held_on=D(2026, 1, 30))
    ReviewFactory(child=child, period_started_on=SINCE, sequence=2, held_on=D(2026, 4, 28))
    PlanFactory(child=child, status=Status.RATIFIED, ratified_on=D(2026, 4, 28))
    sweep(system, D(2026, 5, 1))
    row = row_of(child)
    assert row.rag == "green"
    assert (row.second_review_due, row.second_review_held_on) == (D(2026, 4, 30), D(2026, 4, 28))


def _panel(child, by, *, on, rag, reason):
    meeting = meeting_schedule(
        meeting_type=meeting_type("permanence-panel"), child=child, by=by, scheduled_for=on
    )
    return meeting_record(
        meeting=meeting,
        by=by,
        held_on=on,
        decisions="Plan reviewed",
        rag_rating=rag,
        rag_reason=reason,
    )


def test_the_permanence_panel_overrides_with_its_reason_and_keeps_history(
    make_child, only_rules, system, team_manager
):
    only_rules("iro_allocated")
    child = make_child(SINCE)
    _panel(child, team_manager, on=D(2026, 1, 14), rag="amber", reason="Assessments late")
    _panel(child, team_manager, on=D(2026, 2, 11), rag="green", reason="Back on track")
    sweep(system, D(2026, 2, 12))
    row = row_of(child)
    # Beside each other: what the rules give, and what the latest panel decided, with why.
    assert (row.computed_rag, row.panel_rag, row.rag) == ("red", "green", "green")
    assert (row.panel_reason, row.panel_on) == ("Back on track", D(2026, 2, 11))
    ratings = panel_ratings(child=child)
    assert [(r.held_on, r.rag, r.reason) for r in ratings] == [
        (D(2026, 2, 11), "green", "Back on track"),
        (D(2026, 1, 14), "amber", "Assessments late"),
    ]
    assert ratings[0].recorded_by == team_manager
    # Each rating is in the meeting's own history, with who recorded it.
    history = Meeting.history.filter(id=ratings[1].meeting.pk, rag_rating="amber")
    assert history.filter(history_user=team_manager).exists()


def test_a_panel_from_an_earlier_period_of_care_no_longer_overrides(system, team, team_manager):
    child = ChildFactory(team=team)
    EpisodeFactory(child=child, decom=D(2025, 1, 6), dec=D(2025, 6, 2), rec="E4A")
    _panel(child, team_manager, on=D(2025, 3, 3), rag="green", reason="Return home going well")
    EpisodeFactory(child=child, decom=D(2026, 1, 5))
    sweep(system, D(2026, 1, 20))
    row = row_of(child)
    assert row.panel_rag == ""
    assert row.rag == row.computed_rag


def test_adoption_scorecard_dates(system, team):
    child = ChildFactory(team=team)
    EpisodeFactory(
        child=child, decom=D(2024, 1, 8), rne="S", legal_status="C1", dec=D(2024, 9, 2), rec="X1"
    )
    EpisodeFactory(
        child=child, decom=D(2024, 9, 2), rne="L", legal_status="E1", dec=D(2025, 2, 3), rec="X1"
    )
    # Placed for adoption with the foster carers the child has lived with since January.
    EpisodeFactory(
        child=child,
        decom=D(2025, 2, 3),
        rne="T",
        legal_status="E1",
        place="A5",
        dec=D(2025, 8, 4),
        rec="E11",
    )
    sweep(system, D(2025, 9, 1))
    row = row_of(child)
    assert row.placed_for_adoption_on == D(2025, 2, 3)
    assert row.moved_in_with_adopters_on == D(2024, 1, 8)  # DfE A10: with the foster carers
    assert row.placement_order_on == D(2024, 9, 2)
    assert row.adopted_on == D(2025, 8, 4)


def test_a_rerun_with_nothing_changed_writes_nothing(make_child, system):
    child = make_child(SINCE)
    sweep(system, D(2026, 1, 20))
    scope = ChildScope(pks=(child.pk,))
    assert tracker_rows_refresh(scope=scope, now=at(D(2026, 1, 20))) == 0


def test_refresh_is_set_based_not_per_child(make_child, system):
    """The queries for a batch do not grow with the number of children in it."""
    children = [make_child(SINCE) for _ in range(3)]
    scope = ChildScope(pks=tuple(c.pk for c in children))
    with CaptureQueriesContext(connection) as few:
        tracker_rows_refresh(scope=scope, now=at(D(2026, 1, 20)))
    # Six times as many; kept under SQLite's 999 parameters per insert (about 21 rows of the
    # row's columns), past which Django splits the trial database's insert in two.
    children += [make_child(SINCE) for _ in range(15)]
    TrackerRow.objects.all().delete()
    scope = ChildScope(pks=tuple(c.pk for c in children))
    with CaptureQueriesContext(connection) as many:
        written = tracker_rows_refresh(scope=scope, now=at(D(2026, 1, 20)))
    assert written == 18
    assert len(many) == len(few)


def test_a_plan_change_refreshes_the_row_once_committed(
    make_child, system, django_capture_on_commit_callbacks
):
    child = make_child(SINCE)
    sweep(system, D(2026, 1, 20))
    assert row_of(child).route == ""
    with django_capture_on_commit_callbacks(execute=True):
        PlanFactory(child=child, route=Route.LONG_TERM_FOSTERING)
    assert (row_of(child).route, row_of(child).plan_status) == ("long_term_fostering", "draft")


def test_a_deleted_child_takes_its_row_with_it(make_child, system):
    child = make_child(SINCE)
    sweep(system, D(2026, 1, 20))
    child.delete()
    assert not TrackerRow.objects.exists()
