"""The connected person's temporary approval reaches the tracker (CPPCR 2010 regs 24-25): what
is recorded on the child's page meets or moves the stored deadline as soon as it is saved."""

from __future__ import annotations

import pytest
from django.utils import timezone

from permanence import dates
from permanence.models import ConnectedPersonApproval
from permanence.services import (
    connected_approval_extend,
    connected_approval_resolve,
    connected_approval_start,
)
from tests.tracker.conftest import at
from tracker import services
from tracker.dashboard.chronology import chronology
from tracker.deadlines.facts import ChildScope, ConnectedApprovalFact, load_facts
from tracker.models import Deadline

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PLACED = dates.add_weeks(TODAY, -20)
RULE = "connected_person_approval"


@pytest.fixture
def kinship_child(make_child, only_rules, system):
    """Placed with a connected person (U3) 20 weeks ago; the tracker has swept since."""
    only_rules(RULE)
    child = make_child(PLACED, place="U3")
    services.deadlines_sweep(by=system, now=at(TODAY))
    return child


def deadline_of(child) -> Deadline:
    return Deadline.objects.get(child=child, rule__code=RULE)


def test_no_record_after_16_weeks_is_overdue(kinship_child):
    deadline = deadline_of(kinship_child)
    assert (deadline.anchor_on, deadline.due) == (PLACED, dates.add_weeks(PLACED, 16))
    assert (deadline.status, deadline.met_on) == (Deadline.Status.OVERDUE, None)


def test_full_approval_meets_it_on_that_date(
    kinship_child, social_worker, django_capture_on_commit_callbacks
):
    approved_on = dates.add_weeks(TODAY, -2)
    with django_capture_on_commit_callbacks(execute=True):
        approval = connected_approval_start(
            child=kinship_child, by=social_worker, placed_on=PLACED, carers="Jean Smith"
        )
    assert deadline_of(kinship_child).status == Deadline.Status.OVERDUE  # only recorded
    with django_capture_on_commit_callbacks(execute=True):
        connected_approval_resolve(
            approval=approval,
            by=social_worker,
            outcome=ConnectedPersonApproval.Outcome.APPROVED,
            resolved_on=approved_on,
        )
    deadline = deadline_of(kinship_child)
    assert (deadline.status, deadline.met_on) == (Deadline.Status.MET, approved_on)


def test_a_6_week_extension_moves_the_due_date_by_exactly_6_weeks(
    kinship_child, social_worker, django_capture_on_commit_callbacks
):
    before = deadline_of(kinship_child).due
    with django_capture_on_commit_callbacks(execute=True):
        approval = connected_approval_start(
            child=kinship_child, by=social_worker, placed_on=PLACED, carers="Jean Smith"
        )
        connected_approval_extend(
            approval=approval,
            by=social_worker,
            extended_on=dates.add_weeks(PLACED, 15),
            extension_weeks=6,
            agreed_by="Helen Morris, nominated officer",
        )
    deadline = deadline_of(kinship_child)
    assert deadline.due == dates.add_weeks(before, 6)
    assert deadline.status != Deadline.Status.OVERDUE  # 22 weeks: not yet ended
    assert deadline.met_on is None


def test_the_facts_carry_the_weeks_of_the_extension(kinship_child, social_worker):
    approval = connected_approval_start(
        child=kinship_child, by=social_worker, placed_on=PLACED, carers="Jean Smith"
    )
    connected_approval_extend(
        approval=approval,
        by=social_worker,
        extended_on=dates.add_weeks(PLACED, 15),
        extension_weeks=6,
        agreed_by="HM",
    )
    facts = load_facts(ChildScope(pks=(kinship_child.pk,)))[kinship_child.pk]
    assert facts.connected_approvals == [ConnectedApprovalFact(PLACED, 6, None)]


def test_the_approval_is_in_the_chronology(kinship_child, social_worker):
    connected_approval_start(
        child=kinship_child, by=social_worker, placed_on=PLACED, carers="Jean Smith"
    )
    subjects = {e.subject for e in chronology(child=kinship_child, kinds={"child"})}
    assert f"Connected person's temporary approval from {PLACED:%-d %b %Y}" in subjects
