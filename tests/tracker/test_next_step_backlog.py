"""What is really outstanding comes first (issue 16): a deadline overdue since before the service
went live is neither the child's next step nor a reason for the row's rating, unless it is still
actionable (a statutory one); it is listed once, on the managers' backlog page, and folded away on
its owner's tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from permanence.models import Plan
from permanence.models.plans import Route, Status
from tests.factories.plans import PlanFactory
from tracker import services
from tracker.dashboard.models import TrackerRow
from tracker.models import Alert, Deadline, DeadlineRule

pytestmark = pytest.mark.django_db

GATEWAY = "Present the admission to the Legal Gateway Panel"


@pytest.fixture
def went_live(only_rules):
    """The service went live 100 days ago: one rule (recorded elsewhere before) is tracked
    from then; the Legal Gateway rule is not, so a child in care since 2019 is years overdue."""
    only_rules("legal_gateway_after_admission")
    on = timezone.localdate() - dt.timedelta(days=100)
    DeadlineRule.objects.filter(code="first_ppm").update(applies_from=on)
    return on


def _row(child, system):
    services.deadlines_refresh(child_ids=[child.pk], by=system)
    return TrackerRow.objects.select_related("next_rule").get(child=child)


def test_a_deadline_missed_years_before_go_live_is_not_the_next_step(went_live, make_child, system):
    child = make_child(dt.date(2019, 5, 13))
    row = _row(child, system)
    deadline = Deadline.objects.get(child=child, rule__code="legal_gateway_after_admission")
    assert deadline.status == Deadline.Status.OVERDUE and deadline.due.year == 2019
    step = row.next_step
    assert GATEWAY not in step.text
    # The plan's own step instead, and nothing amber or red about the old deadline.
    assert step.text.startswith("Draft the plan")
    assert row.computed_rag == "green"
    assert row.overdue_count == 0
    # It is on the managers' backlog list, once.
    assert Alert.objects.filter(child=child, backlog=True).count() == 1


def test_the_same_deadline_missed_since_go_live_is_the_next_step(went_live, make_child, system):
    child = make_child(timezone.localdate() - dt.timedelta(days=30))
    row = _row(child, system)
    assert row.next_step.text.startswith(f"{GATEWAY}: it was due on")
    assert row.computed_rag == "amber"
    assert row.overdue_count == 1


def test_a_statutory_deadline_missed_before_go_live_is_still_the_next_step_and_red(
    went_live, make_child, system, only_rules
):
    """The child is still owed an IRO: that stays actionable, whenever it fell due."""
    only_rules("legal_gateway_after_admission", "iro_allocated")
    child = make_child(dt.date(2019, 5, 13), iro=None)
    row = _row(child, system)
    assert row.next_step.text.startswith("Allocate an IRO: it was due on")
    assert row.computed_rag == "red"
    assert "a statutory deadline is overdue" in row.next_step.why_red
    assert GATEWAY not in row.next_step.text


def test_the_tracker_page_says_the_current_step_not_the_2019_deadline(
    went_live, make_child, system, client, team_manager
):
    child = make_child(dt.date(2019, 5, 13), first_name="Orla", last_name="Oldcase")
    _row(child, system)
    client.force_login(team_manager)
    page = client.get(reverse("tracker:dashboard")).content.decode()
    assert "Oldcase" in page
    assert "Draft the plan: it must be ready for the second review" in page
    assert "it was due on 20 May 2019" not in page


def test_the_tasks_page_folds_the_old_deadline_but_keeps_a_live_one_overdue(
    went_live, make_child, system, client, social_worker
):
    old = make_child(dt.date(2019, 5, 13), first_name="Orla", last_name="Oldcase")
    new = make_child(timezone.localdate() - dt.timedelta(days=30), last_name="Newcase")
    services.deadlines_refresh(child_ids=[old.pk, new.pk], by=system)
    client.force_login(social_worker)
    page = client.get(reverse("tracker:my-tasks")).content.decode()
    overdue, backlog = page.split('<details class="govuk-details" id="backlog">')
    assert "Newcase" in overdue and "Oldcase" not in overdue
    assert "Oldcase" in backlog


def test_the_chronology_says_the_old_alert_in_a_sentence_and_that_nobody_was_told(
    went_live, make_child, system
):
    from tracker.dashboard.chronology import chronology

    child = make_child(dt.date(2019, 5, 13))
    _row(child, system)
    (entry,) = [e for e in chronology(child=child) if e.kind == "alerts"]
    assert entry.action == "Alert raised"
    assert entry.subject == "Presenting the admission to Legal Gateway is overdue (due 20 May 2019)"
    assert entry.reason.endswith("on the managers' backlog list")


def test_an_overdue_statutory_deadline_is_the_next_step_before_an_older_local_one(
    make_child, system, only_rules
):
    """Red because the first review is overdue, so the next step is the first review, not the
    Legal Gateway deadline that fell due a fortnight before it."""
    only_rules("legal_gateway_after_admission", "first_review")
    child = make_child(timezone.localdate() - dt.timedelta(days=60))
    row = _row(child, system)
    assert row.next_rule.code == "first_review"
    assert row.next_step.text.startswith("Hold the first looked-after review: it was due on")
    assert "First looked-after review" in row.next_step.why_red
    assert row.overdue_count == 2


def test_once_permanence_is_achieved_a_local_timescale_no_longer_colours_the_row(
    went_live, make_child, system
):
    """The local timescales lead to permanence; once it is achieved an overdue one is neither
    the next step, nor a reason for amber, nor counted overdue on the tracker."""
    child = make_child(timezone.localdate() - dt.timedelta(days=30))
    plan = PlanFactory(child=child, route=Route.LONG_TERM_FOSTERING, status=Status.RATIFIED)
    row = _row(child, system)
    assert row.computed_rag == "amber" and row.overdue_count == 1  # the Legal Gateway, overdue
    Plan.objects.filter(pk=plan.pk).update(
        status=Status.ACHIEVED, achieved_on=timezone.localdate() - dt.timedelta(days=2)
    )
    row = _row(child, system)
    assert row.computed_rag == "green"
    assert row.overdue_count == 0
    assert row.next_step.text.startswith("Nothing more the plan requires: permanence achieved")
    # The timescale ended with permanence: overdue on the day it was achieved, it is kept as
    # missed, no longer the child's current deadline, and its alert is closed.
    deadline = Deadline.objects.get(child=child, rule__code="legal_gateway_after_admission")
    assert not deadline.current
    assert deadline.outcome == Deadline.Outcome.MISSED
    alert = Alert.objects.get(child=child, rule__code="legal_gateway_after_admission")
    assert alert.close_reason == Alert.CloseReason.PERMANENCE_ACHIEVED
