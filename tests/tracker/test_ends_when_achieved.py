"""Once the plan in force is achieved, the timescales that lead to permanence end (SPEC §3): an
open one is no longer the child's deadline, raises no alert and tells nobody. One already
overdue on the day permanence was achieved is kept as missed; the statutory ones, and those
about carers and orders that outlast the plan, go on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from permanence.models.plans import Route, Status
from permanence.plans.services import plan_achieve
from tests.factories.finding import give_evidence
from tests.factories.plans import PlanFactory
from tests.factories.tracker import MeetingFact, episode, facts, looked_after, rule
from tracker import services
from tracker.dashboard.chronology import chronology
from tracker.dashboard.models import TrackerRow
from tracker.dashboard.rag import STATUTORY_RULES
from tracker.deadlines import registry
from tracker.deadlines.calculators import due_for
from tracker.deadlines.engine import Directory, compute_deadlines
from tracker.deadlines.facts import SupervisionOrderFact
from tracker.models import Alert, Deadline

D = dt.date
TODAY = D(2026, 11, 23)
NOW = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)
# In care from Monday 5 October 2026: the Achieving Early Permanence Panel was due two weeks on.
SINCE = D(2026, 10, 5)
PANEL = rule("early_permanence_panel")
PANEL_DUE = due_for(SINCE, PANEL).due


def _deadlines(child, *configs):
    specs = [(config, registry.spec_for(config.code)) for config in configs]
    return compute_deadlines([child], specs, Directory(), NOW, TODAY)


def _achieved(on, **fields):
    child = looked_after(SINCE, **fields)
    child.permanence_achieved, child.permanence_achieved_on = True, on
    if on is not None:
        child.plans_achieved.append(on)
    return child


def _next_saturday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(5 - day.weekday()) % 7 or 7)


@pytest.mark.parametrize(
    ("achieved_on", "kept_as_missed"),
    [
        (PANEL_DUE + dt.timedelta(days=1), True),  # overdue that day: it was missed
        (_next_saturday(PANEL_DUE), True),  # a weekend after the due day: still missed
        (PANEL_DUE, False),  # the due day itself: not overdue yet, so it no longer applies
        (PANEL_DUE - dt.timedelta(days=3), False),  # before it was due
        (None, False),  # achieved on a day not recorded: nothing to say it was late
    ],
    ids=["day-after-due", "weekend-after-due", "on-the-due-day", "before-due", "no-date"],
)
def test_an_open_timescale_leading_to_permanence_ends(achieved_on, kept_as_missed):
    current, stored = _deadlines(_achieved(achieved_on), PANEL)
    assert current == {}  # never the child's deadline again, so no alert is raised
    if kept_as_missed:
        (row,) = stored.values()
        assert (row.due, row.current, row.outcome) == (PANEL_DUE, False, Deadline.Outcome.MISSED)
    else:
        assert stored == {}


def test_one_met_before_permanence_stays_on_the_record():
    held = PANEL_DUE - dt.timedelta(days=1)
    child = _achieved(TODAY, meetings=[MeetingFact("early_permanence", held)])
    current, _ = _deadlines(child, PANEL)
    (row,) = current.values()
    assert (row.met_on, row.status, row.outcome) == (held, "met", Deadline.Outcome.ON_TIME)


def test_a_plan_achieved_then_disrupted_is_back_on_the_road():
    # Achieved once (the date is kept), but the plan in force is no longer achieved.
    child = looked_after(SINCE, plans_achieved=[TODAY - dt.timedelta(days=10)])
    current, _ = _deadlines(child, PANEL)
    (row,) = current.values()
    assert (row.due, row.status, row.current) == (PANEL_DUE, "overdue", True)


@pytest.mark.parametrize(
    ("achieved_on", "ended"),
    [
        (SINCE - dt.timedelta(days=1), False),  # the day before this period of care began
        (SINCE, True),  # the day it began
        (PANEL_DUE + dt.timedelta(days=1), True),  # during it
    ],
    ids=["day-before-the-period", "first-day-of-the-period", "during-the-period"],
)
def test_a_child_back_in_care_after_permanence_has_the_new_periods_timescales(achieved_on, ended):
    """A return home achieved, then the child came back into care: the plan in force still says
    achieved (nobody has drafted a new one yet), but the new period's timescales run."""
    child = facts(episode(D(2025, 1, 6), dec=D(2025, 6, 2)), episode(SINCE))
    child.permanence_achieved, child.permanence_achieved_on = True, achieved_on
    current, _ = _deadlines(child, PANEL)
    if ended:
        assert current == {}
    else:
        (row,) = current.values()
        assert (row.due, row.status, row.current) == (PANEL_DUE, "overdue", True)


@pytest.mark.parametrize("code", sorted(STATUTORY_RULES))
def test_the_statutory_timescales_go_on(code):
    assert not registry.ends_when_achieved(code)


def test_a_review_and_a_supervision_orders_end_go_on_after_permanence():
    order = SupervisionOrderFact(made_on=D(2025, 11, 2), born=D(2015, 1, 1))
    child = _achieved(TODAY - dt.timedelta(days=1), supervision_orders=[order])
    review, order_ends = rule("second_review"), rule("supervision_order_ends")
    current, _ = _deadlines(child, review, order_ends)
    assert {rule_pk for _, rule_pk in current} == {review.pk, order_ends.pk}
    assert all(row.current and row.met_on is None for row in current.values())


# --- through the service: the social worker records permanence achieved ------------------------


@pytest.fixture
def legal_gateway(db, only_rules):
    only_rules("legal_gateway_after_admission", "second_review")


@pytest.mark.django_db
def test_recording_permanence_achieved_closes_the_alert_and_tells_nobody_again(
    legal_gateway, make_child, system, social_worker, django_capture_on_commit_callbacks, mailoutbox
):
    child = make_child(timezone.localdate() - dt.timedelta(days=30))
    plan = PlanFactory(
        child=child,
        route=Route.RETURN_HOME,
        status=Status.RATIFIED,
        ratified_on=timezone.localdate() - dt.timedelta(days=5),
    )
    give_evidence(plan, by=social_worker)
    services.deadlines_refresh(child_ids=[child.pk], by=system)
    alert = Alert.objects.get(child=child, rule__code="legal_gateway_after_admission")
    assert alert.closed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        plan_achieve(plan=plan, by=social_worker, reason="Placed with long-term foster carers")
    alert.refresh_from_db()
    assert alert.close_reason == Alert.CloseReason.PERMANENCE_ACHIEVED
    # The child's chronology says why it closed.
    closed = [e for e in chronology(child=child, kinds={"alerts"}) if e.action == "Alert closed"]
    assert [e.subject.split(" (due ")[0] for e in closed] == [
        "Presenting the admission to Legal Gateway ended when permanence was achieved"
    ]
    # The statutory review is still the child's deadline; the Legal Gateway is not.
    codes = set(
        Deadline.objects.filter(child=child, current=True).values_list("rule__code", flat=True)
    )
    assert codes == {"second_review"}
    row = TrackerRow.objects.get(child=child)
    assert row.overdue_count == 0
    # The next day's sweep raises nothing and tells nobody about it.
    told = len(mailoutbox)
    summary = services.deadlines_sweep(by=system)
    assert summary.alerts_raised == 0
    assert len(mailoutbox) == told


def test_the_readmes_rule_table_says_what_each_rule_does_once_permanence_is_achieved():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    said = {}
    for line in readme.splitlines():
        if line.startswith("| `") and line.endswith((" ends |", " goes on |")):
            code = line.split("`")[1]
            said[code] = line.endswith(" ends |")
    assert said == {spec.code: spec.ends_when_achieved for spec in registry.SPECS}
