"""A plan rated red at a care planning meeting goes to Permanence Panel every 4 weeks: the
rating recorded on the meeting's page reaches the tracker's stored deadline and raises one
alert (seed 004)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from forums import services as forums
from forums.models import MeetingMatter
from tests.factories.forums import meeting_type
from tests.tracker.conftest import at
from tracker import services
from tracker.models import Alert, Deadline

TODAY = timezone.localdate()

pytestmark = pytest.mark.django_db

D = dt.date
MATTERS = dict.fromkeys(MeetingMatter.Matter.values, "Discussed.")


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
