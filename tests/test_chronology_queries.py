"""The chronology's query count, pinned flat as the record grows (issue 19): a child with every
kind of record costs the same few queries whether each kind was recorded once or ten times, read
by the child's social worker or by a head of service, whatever kinds are ticked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from forums.models import Booking, MeetingAction, MeetingAssessment
from permanence.models import (
    ConnectedPersonApproval,
    ContactArrangement,
    DocumentDownload,
    PlacementSupport,
    SiblingAssessment,
    SiblingEvidence,
    SupervisionOrder,
    SupportingAdult,
)
from permanence.models.plans import Route, Status
from permanence.services import child_update
from reviews.models import Ppn1, RatificationCheck
from tests.factories.forums import (
    BookingFactory,
    DisruptionFactory,
    MeetingFactory,
    Part1Factory,
    Part2Factory,
    Part2TaskFactory,
    meeting_type,
)
from tests.factories.permanence import (
    ChildFactory,
    ConnectedPersonApprovalFactory,
    EpisodeFactory,
    SiblingGroupFactory,
)
from tests.factories.plans import OptionConsideredFactory, PlanActionFactory, PlanFactory
from tests.factories.reviews import IroAllocationFactory, ReviewFactory, SgoReferralFactory
from tests.querycount import page_queries
from tracker.dashboard.chronology import KINDS
from tracker.models import Alert, DeadlineRule

pytestmark = pytest.mark.django_db

# The page: the session and the user, the child and the right to see them, the tracker's row,
# the panel's ratings, the brothers and sisters, the right to arrange a panel, and the
# chronology itself in a couple of statements however many kinds of record it reads.
CHRONOLOGY_PAGE_QUERIES = 15


def _ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _changed(record, by, reason: str, **fields) -> None:
    """Change a record as a person would, so that its history has a change beside the
    addition (who, why, what)."""
    for name, value in fields.items():
        setattr(record, name, value)
    record._history_user = by
    record._change_reason = reason
    record.save()


def _record_everything(child, by, start: int, count: int) -> None:
    """`count` records of every kind the chronology reads, each added and then changed."""
    for n in range(start, start + count):
        day = 400 - 3 * n  # each record on its own days, none of them open
        child_update(child=child, by=by, reason=f"Change {n}", last_name=f"Stone{n}")
        episode = EpisodeFactory(child=child, decom=_ago(day), dec=_ago(day - 1), rec="E3")
        _changed(episode, by, f"Episode {n}", place="U4")
        approval = ConnectedPersonApprovalFactory(child=child, placed_on=_ago(day), recorded_by=by)
        _changed(
            approval,
            by,
            f"Approval {n}",
            outcome=ConnectedPersonApproval.Outcome.APPROVED,
            resolved_on=_ago(day - 1),
        )
        plan = PlanFactory(
            child=child, version=n + 1, status=Status.SUPERSEDED, created_by=by, ready=True
        )
        _changed(plan, by, f"Plan {n}", presented_on=_ago(day))
        action = PlanActionFactory(plan=plan, what=f"Plan action {n}", owner=by)
        _changed(action, by, f"Done {n}", done_on=_ago(day))
        option = OptionConsideredFactory(child=child, considered_on=_ago(day), recorded_by=by)
        _changed(option, by, f"Option {n}", why_ruled_out=f"Reason {n}")
        allocation = IroAllocationFactory(
            child=child, iro=by, allocated_by=by, allocated_on=_ago(day), ended_on=_ago(day - 1)
        )
        _changed(allocation, by, f"Allocation {n}", allocated_on=_ago(day + 1))
        review = ReviewFactory(
            child=child, period_started_on=_ago(500), sequence=n + 1, held_on=_ago(day)
        )
        _changed(review, by, f"Review {n}", participation="PN2")
        check = RatificationCheck.objects.create(
            review=review, plan=plan, outcome=RatificationCheck.Outcome.RATIFIED, recorded_by=by
        )
        _changed(check, by, f"Check {n}", outcome=RatificationCheck.Outcome.NOT_RATIFIED)
        ppn1 = Ppn1.objects.create(
            review=review,
            child=child,
            plan=plan,
            route=Route.RETURN_HOME,
            plan_summary="Home with support.",
            family_finding=Ppn1.FamilyFinding.NONE,
            adoption_manager=by,
            fostering_manager=by,
            completed_by=by,
            completed_on=_ago(day),
        )
        _changed(ppn1, by, f"PPN1 {n}", plan_summary=f"Home with support {n}.")
        sgo = SgoReferralFactory(review=ReviewFactory(child=child, sequence=100 + n), sent_by=by)
        _changed(sgo, by, f"SGO {n}", sent_to=f"Karen {n}")
        booking = BookingFactory(child=child, status=Booking.Status.PART2_SENT, requested_by=by)
        part1 = Part1Factory(booking=booking)
        _changed(part1, by, f"Part 1 {n}", child_views=f"Views {n}")
        part2 = Part2Factory(booking=booking)
        _changed(part2, by, f"Part 2 {n}", advice=f"Advice {n}")
        task = Part2TaskFactory(part2=part2, owner=by, what=f"Task {n}")
        _changed(task, by, f"Task {n}", what=f"Task {n} changed")
        meeting = MeetingFactory(
            child=child,
            created_by=by,
            meeting_type=meeting_type("permanence-panel"),
            scheduled_for=_ago(day),
        )
        _changed(meeting, by, f"Held {n}", held_on=_ago(day), invited_roles=["iro"])
        meeting_action = MeetingAction.objects.create(
            meeting=meeting, what=f"Meeting action {n}", owner=by, due_on=_ago(day)
        )
        _changed(meeting_action, by, f"Done {n}", done_on=_ago(day))
        assessment = MeetingAssessment.objects.create(
            meeting=meeting, kind=MeetingAssessment.Kind.PARENTING, owner=by, due_on=_ago(day)
        )
        _changed(assessment, by, f"Assessed {n}", completed_on=_ago(day))
        disruption = DisruptionFactory(child=child, disrupted_on=_ago(day), recorded_by=by)
        _changed(disruption, by, f"Disruption {n}", carer_name=f"Carer {n}")
        for document in ("part1", "part2", "plan", "ratification", "bundle_index"):
            DocumentDownload.objects.create(
                child=child, document=document, record_id=booking.pk, downloaded_by=by
            )
        contact = ContactArrangement.objects.create(
            child=child,
            relationship=ContactArrangement.With.MOTHER,
            person_name=f"Mum {n}",
            frequency="Monthly",
            kind=ContactArrangement.Kind.IN_PERSON,
            supervision=ContactArrangement.Supervision.SUPERVISED,
            starts_on=_ago(day),
            recorded_by=by,
        )
        _changed(contact, by, f"Contact {n}", frequency="Weekly", ended_on=_ago(day - 1))
        adult = SupportingAdult.objects.create(
            child=child, name=f"Aunt {n}", relationship="Aunt", support="Visits", recorded_by=by
        )
        _changed(adult, by, f"Adult {n}", support="Visits weekly")
        order = SupervisionOrder.objects.create(child=child, made_on=_ago(day), recorded_by=by)
        _changed(order, by, f"Order {n}", ended_on=_ago(day - 1))
        support = PlacementSupport.objects.create(
            child=child,
            risk_noted_on=_ago(day),
            risk="Carer tired",
            support="Respite",
            offered_on=_ago(day),
            recorded_by=by,
        )
        _changed(support, by, f"Support {n}", support="Respite monthly")
        sibling_assessment = SiblingAssessment.objects.create(
            group=child.sibling_group,
            completed_on=_ago(day),
            completed_by="Ms Jones",
            recommendation=SiblingAssessment.Recommendation.TOGETHER,
            summary="Close bond.",
            recorded_by=by,
        )
        _changed(sibling_assessment, by, f"Siblings {n}", summary="Very close bond.")
        evidence = SiblingEvidence.objects.create(
            group=child.sibling_group, noted_on=_ago(day), evidence="Letters", recorded_by=by
        )
        _changed(evidence, by, f"Evidence {n}", evidence="Letters and calls")
        rule = DeadlineRule.objects.order_by("pk")[n % 5]
        now = timezone.now()
        Alert.objects.create(
            child=child,
            rule=rule,
            due=_ago(day),
            level=Alert.Level.values[0],
            owner=by,
            raised_at=now - dt.timedelta(minutes=3),
            escalated_at=now - dt.timedelta(minutes=2) if n % 2 else None,
            closed_at=now - dt.timedelta(minutes=1) if n % 3 else None,
            close_reason=Alert.CloseReason.MET if n % 3 else "",
        )


@pytest.fixture
def child(team, social_worker, iro):
    child = ChildFactory(
        team=team,
        social_worker=social_worker,
        iro=iro,
        first_name="Ava",
        last_name="Stone",
        sibling_group=SiblingGroupFactory(),
    )
    EpisodeFactory(child=child, decom=_ago(30))
    PlanFactory(child=child, version=1000, status=Status.DRAFT, created_by=social_worker)
    return child


@pytest.mark.parametrize("reader", ["social_worker", "head_of_service", "cps_duty"])
def test_the_chronology_costs_the_same_with_ten_times_the_records(
    client, request, child, social_worker, reader
):
    """CPS duty among the readers: the child is theirs through its forum bookings and
    meetings, several reasons each asked for once."""
    user = request.getfixturevalue(reader)
    url = reverse("tracker:chronology", args=[child.pk])
    _record_everything(child, social_worker, 0, 1)
    few, page = page_queries(client, user, url)
    assert "Plan action: Plan action 0" in page and "Task 0 changed" in page
    _record_everything(child, social_worker, 1, 9)
    many, page = page_queries(client, user, url)
    assert "Task 9 changed" in page  # the newest entries, on the first page
    assert many == few <= CHRONOLOGY_PAGE_QUERIES, (few, many)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_alone_costs_no_more(client, child, social_worker, kind):
    _record_everything(child, social_worker, 0, 3)
    url = reverse("tracker:chronology", args=[child.pk]) + f"?kind={kind}"
    count, page = page_queries(client, social_worker, url)
    assert count <= CHRONOLOGY_PAGE_QUERIES
    assert f"· {escape(KINDS[kind])}</p>" in page
    shown = [label for other, label in KINDS.items() if f"· {escape(label)}</p>" in page]
    assert shown == [KINDS[kind]]
