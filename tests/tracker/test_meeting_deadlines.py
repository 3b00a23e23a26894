"""Deadlines from the meetings (seed 004): a plan rated red at a care planning meeting goes to
Permanence Panel every 4 weeks; an unplanned admission is heard at Legal Gateway; each
assessment the panel asks for is complete by its date. Recorded on the pages, they reach the
tracker's stored deadlines and raise one alert."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from forums import services as forums
from forums.models.meetings import CPM_MATTERS
from tests.factories.forums import meeting_type
from tests.tracker.conftest import at
from tracker import services
from tracker.models import Alert, Deadline

TODAY = timezone.localdate()

pytestmark = pytest.mark.django_db

D = dt.date
MATTERS = dict.fromkeys(CPM_MATTERS, "Discussed.")


def _meeting(code, child, by, day, **record):
    extra = {}
    if code == "care-planning":
        extra = {"chair": by, "invited_roles": ["social_worker", "iro", "legal", "fostering"]}
        record = {"matters": MATTERS, "early_family_finding": "not_now", **record}
        record.setdefault("early_family_finding_reason", "Return home still being tested.")
    meeting = forums.meeting_schedule(
        meeting_type=meeting_type(code), child=child, by=by, scheduled_for=day, **extra
    )
    return forums.meeting_record(
        meeting=meeting, by=by, held_on=day, decisions="Recorded.", **record
    )


def _sweep(system, day):
    services.deadlines_sweep(by=system, now=at(day, 6))
    return Deadline.objects.filter(rule__code="red_plan_panel", current=True).first()


def test_a_red_care_planning_meeting_starts_the_4_week_clock_and_alerts_once(
    make_child, only_rules, system, team_manager
):
    only_rules("red_plan_panel")
    child = make_child(TODAY - dt.timedelta(days=100))
    held = TODAY - dt.timedelta(days=10)
    _meeting(
        "care-planning",
        child,
        team_manager,
        held,
        rag_rating="red",
        rag_reason="Parenting assessment late.",
    )
    due = held + dt.timedelta(weeks=4)
    row = _sweep(system, TODAY)
    assert (row.anchor_on, row.due, row.met_on) == (held, due, None)
    _sweep(system, due + dt.timedelta(days=1))
    _sweep(system, due + dt.timedelta(days=2))
    alerts = Alert.objects.filter(child=child, rule__code="red_plan_panel")
    assert alerts.count() == 1
    assert alerts.get().level == Alert.Level.OVERDUE


def test_the_panel_looking_again_meets_it(
    make_child, only_rules, system, team_manager, head_of_service
):
    only_rules("red_plan_panel")
    child = make_child(TODAY - dt.timedelta(days=100))
    red = TODAY - dt.timedelta(days=20)
    _meeting("care-planning", child, team_manager, red, rag_rating="red", rag_reason="Drift.")
    panel = TODAY - dt.timedelta(days=2)
    _meeting(
        "permanence-panel",
        child,
        head_of_service,
        panel,
        rag_rating="amber",
        rag_reason="Back on track.",
    )
    row = _sweep(system, TODAY)
    assert (row.due, row.met_on) == (red + dt.timedelta(weeks=4), panel)


# -- the Legal Gateway's deadlines (seed 004) ---------------------------------------------------


def test_an_overdue_gateway_assessment_alerts_once_and_completing_it_closes_it(
    make_child, only_rules, system, social_worker
):
    only_rules("gateway_assessment")
    child = make_child(TODAY - dt.timedelta(days=100))
    meeting = forums.meeting_schedule(
        meeting_type=meeting_type("legal-gateway"),
        child=child,
        by=social_worker,
        scheduled_for=TODAY - dt.timedelta(days=30),
        initial_plan="Return home.",
        papers=["cultural_genogram", "chronology", "referral_form", "assessment"],
    )
    due = TODAY - dt.timedelta(days=3)
    forums.meeting_record(
        meeting=meeting,
        by=social_worker,
        held_on=meeting.scheduled_for,
        decisions="Pre-proceedings.",
        gateway_decision="pre_proceedings",
        plan_ratified=True,
        assessments=[forums.AssessmentInput("parenting", due, owner=social_worker)],
    )
    row = _deadline(system, TODAY, "gateway_assessment")
    assert (row.due, row.status) == (due, "overdue")
    _deadline(system, TODAY, "gateway_assessment")
    alerts = Alert.objects.filter(child=child, rule__code="gateway_assessment")
    assert alerts.count() == 1
    forums.meeting_assessment_complete(
        assessment=meeting.assessments.get(), by=social_worker, completed_on=TODAY
    )
    row = _deadline(system, TODAY, "gateway_assessment")
    assert row.met_on == TODAY
    assert alerts.get().closed_at is not None


def test_an_unplanned_admission_is_due_at_legal_gateway(make_child, only_rules, system):
    only_rules("legal_gateway_after_admission")
    since = TODAY - dt.timedelta(days=3)
    child = make_child(since)
    row = _deadline(system, TODAY, "legal_gateway_after_admission")
    assert row.child == child and row.anchor_on == since and row.met_on is None


def _deadline(system, day, code):
    services.deadlines_sweep(by=system, now=at(day, 6))
    return Deadline.objects.get(rule__code=code, current=True)


# -- PPN1 and the Permanency Planning Meeting (seed 002) ---------------------------------------


def test_a_held_permanency_planning_meeting_makes_the_next_due_in_a_month(
    make_child, only_rules, system, social_worker
):
    from forums.models.meetings import PPM_AGENDA
    from permanence import dates
    from permanence.meeting_booking import book_meeting

    only_rules("ppm_monthly")
    child = make_child(TODAY - dt.timedelta(days=300))
    held = TODAY - dt.timedelta(days=40)
    meeting = book_meeting(
        code="permanency-planning", child=child, by=social_worker, scheduled_for=held
    )
    forums.meeting_record(
        meeting=meeting,
        by=social_worker,
        held_on=held,
        decisions="Family finding under way.",
        matters=dict.fromkeys(PPM_AGENDA, "Discussed."),
        attended_roles=["social_worker", "home_finder"],
    )
    row = _deadline(system, TODAY, "ppm_monthly")
    assert (row.anchor_on, row.due, row.status) == (held, dates.add_months(held, 1), "overdue")
    _deadline(system, TODAY, "ppm_monthly")
    assert Alert.objects.filter(child=child, rule__code="ppm_monthly").count() == 1


def test_ppn1_is_due_after_the_second_review(make_child, only_rules, system):
    from tests.factories.reviews import ReviewFactory

    only_rules("ppn1_completed")
    child = make_child(TODAY - dt.timedelta(days=150))
    ReviewFactory(child=child, held_on=TODAY - dt.timedelta(days=120), sequence=1)
    second = TODAY - dt.timedelta(days=2)
    ReviewFactory(child=child, held_on=second, sequence=2)
    row = _deadline(system, TODAY, "ppn1_completed")
    assert row.anchor_on == second and row.met_on is None


def test_an_overdue_panel_action_alerts_the_coordinator_once(
    make_child, only_rules, system, head_of_service, cps_duty
):
    only_rules("panel_action")
    child = make_child(TODAY - dt.timedelta(days=100))
    due = TODAY - dt.timedelta(days=2)
    _meeting(
        "permanence-panel",
        child,
        head_of_service,
        TODAY - dt.timedelta(days=14),
        rag_rating="amber",
        rag_reason="Assessment late.",
        actions=[forums.ActionInput("Chase the parenting assessment", cps_duty, due)],
    )
    row = _deadline(system, TODAY, "panel_action")
    assert (row.due, row.status) == (due, "overdue")
    _deadline(system, TODAY, "panel_action")
    assert Alert.objects.filter(child=child, rule__code="panel_action").count() == 1
