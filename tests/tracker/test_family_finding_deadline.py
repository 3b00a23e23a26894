"""Someone allocated to take a ratified plan forward (issue 14; 000, 003): a rule of ours in
the one registry, counted from the ratification, raising its alert once and met by the
allocation recorded on the family finding page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from permanence.finding import services as finding
from permanence.models.plans import Route, Status
from permanence.roles import Role
from permanence.timescales import due_date
from tests.factories.permanence import UserFactory
from tests.factories.plans import PlanFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.models import Alert, Deadline

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _deadline(system):
    services.deadlines_sweep(by=system, now=at(TODAY, 6))
    return Deadline.objects.get(rule__code="family_finding_allocated", current=True)


def test_an_unallocated_ratified_plan_alerts_once_and_the_allocation_meets_it(
    make_child, only_rules, system, cps_duty
):
    only_rules("family_finding_allocated")
    child = make_child(TODAY - dt.timedelta(days=200))
    ratified = TODAY - dt.timedelta(days=40)
    plan = PlanFactory(
        child=child, route=Route.ADOPTION, status=Status.RATIFIED, ratified_on=ratified
    )
    row = _deadline(system)
    assert (row.due, row.status) == (due_date("family_finding_allocated", ratified), "overdue")
    _deadline(system)
    assert Alert.objects.filter(child=child, rule__code="family_finding_allocated").count() == 1
    finder = UserFactory(team=child.team, role=Role.SOCIAL_WORKER)
    finding.allocation_add(plan=plan, by=cps_duty, kind="family_finder", worker=finder)
    row = _deadline(system)
    assert row.met_on == TODAY
