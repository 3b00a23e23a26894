"""Event sources in the other apps: which models hold the dates, how to read them in bulk, and
which saved objects mean a child's deadlines must be worked out again.

`tracker` is the one app that reads `forums` and `reviews` (the import contracts say so): it
imports their models like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Model

from forums.models import (
    Booking,
    Disruption,
    ForumSession,
    Meeting,
    MeetingAction,
    MeetingAssessment,
    Part1,
)
from permanence.models import (
    Child,
    ConnectedPersonApproval,
    Episode,
    FamilyFindingAllocation,
    Plan,
    SupervisionOrder,
)
from reviews.models import IroAllocation, Ppn1, Review, SgoReferral
from tracker.deadlines import facts as f
from tracker.deadlines.calculators import Meeting as Kind

LONDON = ZoneInfo("Europe/London")

IRO_ALLOCATIONS = "iro_allocations"
REVIEWS = "reviews"
SGO_RECOMMENDATIONS = "sgo_recommendations"
SGO_REFERRALS = "sgo_referrals"
FORUM_BOOKINGS = "forum_bookings"
LEGAL_GATEWAY = "legal_gateway"
EARLY_PERMANENCE = "early_permanence"
PERMANENCY_PLANNING = "permanency_planning"
CARE_PLANNING = "care_planning"
PERMANENCE_PANEL = "permanence_panel"
DISRUPTIONS = "disruptions"
MATCHING = "matching"
GATEWAY_ASSESSMENTS = "gateway_assessments"
PPN1S = "ppn1s"
PANEL_ACTIONS = "panel_actions"
FAMILY_FINDING = "family_finding"
PERMANENCE_PANEL_KIND = "permanence_panel"

# Meeting types the forums app loads from fixtures/meeting_types.json, by code, for the kinds of
# meeting that have no `kind` of their own there.
GENERIC_MEETING_CODES = {
    "early-permanence": Kind.EARLY_PERMANENCE,
    "permanency-planning": Kind.PERMANENCY_PLANNING,
    "care-planning": Kind.CARE_PLANNING,
}
MEETING_KINDS = {
    "legal_gateway": Kind.LEGAL_GATEWAY,
    "permanence_panel": Kind.PERMANENCE_PANEL,
    "care_planning": Kind.CARE_PLANNING,
    "permanency_planning": Kind.PERMANENCY_PLANNING,
    "early_permanence": Kind.EARLY_PERMANENCE,
}
MATCHING_KIND = "matching_panel"
# The panels that hear a match and need its papers current: the older combined matching panel,
# the adoption panel and the fostering panel (000, 003).
MATCHING_KINDS = frozenset({MATCHING_KIND, "adoption_panel", "fostering_panel"})
EARLY_PERMANENCE_KIND = "early_permanence"


@dataclass(frozen=True)
class Source:
    """One kind of event: the models it needs, and what it provides to the calculators."""

    name: str
    models: tuple[type[Model], ...]
    description: str


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(IRO_ALLOCATIONS, (IroAllocation,), "IRO allocations"),
        Source(REVIEWS, (Review,), "Looked-after reviews held"),
        Source(
            SGO_RECOMMENDATIONS,
            (Review,),
            "A review recommending special guardianship",
        ),
        Source(SGO_REFERRALS, (SgoReferral,), "SGO referral sent to the SGO team"),
        Source(FORUM_BOOKINGS, (Booking, Part1), "Forum bookings and Part 1"),
        Source(LEGAL_GATEWAY, (Meeting,), "Legal Gateway Panel hearings"),
        Source(EARLY_PERMANENCE, (Meeting,), "Achieving Early Permanence Panel"),
        Source(PERMANENCY_PLANNING, (Meeting,), "Permanency planning meetings"),
        Source(CARE_PLANNING, (Meeting,), "Care planning meetings"),
        Source(PERMANENCE_PANEL, (Meeting,), "Permanence Panel and its RAG rating"),
        Source(DISRUPTIONS, (Disruption,), "Long-term placement disruptions"),
        Source(MATCHING, (Meeting,), "Matching panels with Form F and CPR dates"),
        Source(
            GATEWAY_ASSESSMENTS,
            (MeetingAssessment,),
            "Assessments the Legal Gateway Panel asked for, with their dates",
        ),
        Source(PPN1S, (Ppn1,), "PPN1 completed by the IRO after the second review"),
        Source(PANEL_ACTIONS, (MeetingAction,), "Actions Permanence Panel agreed"),
        Source(
            FAMILY_FINDING,
            (Plan, FamilyFindingAllocation),
            "Plans ratified and who was allocated to take them forward",
        ),
    )
}


# --- loaders -----------------------------------------------------------------------------------


def _load_forums(scope: f.ChildScope, by_pk: dict[int, f.ChildFacts]) -> None:
    rows = (
        Booking.objects.filter(scope.q("child__"), status__in=Booking.LIVE)
        .order_by()
        .values_list("child_id", "session__forum_date", "part1__submitted_at")
    )
    f.group(rows, by_pk, "bookings", f.BookingFact)
    _load_meetings(scope, by_pk)
    rows = (
        MeetingAssessment.objects.filter(
            scope.q("meeting__child__"), meeting__held_on__isnull=False
        )
        .order_by()
        .values_list("meeting__child_id", "meeting__held_on", "due_on", "completed_on")
    )
    f.group(rows, by_pk, "assessments", f.AssessmentFact)
    rows = (
        MeetingAction.objects.filter(
            scope.q("meeting__child__"),
            meeting__held_on__isnull=False,
            meeting__meeting_type__kind=PERMANENCE_PANEL_KIND,
        )
        .order_by()
        .values_list("meeting__child_id", "meeting__held_on", "due_on", "done_on")
    )
    f.group(rows, by_pk, "panel_actions", f.AssessmentFact)
    rows = (
        Disruption.objects.filter(scope.q("child__"))
        .order_by()
        .values_list(
            "child_id",
            "disrupted_on",
            "carer_review_held_on",
            "fee_extended_at",
            "outcome_recorded_at",
        )
    )
    f.group(
        (
            (child, on, held, extended is not None, _local_date(decided))
            for child, on, held, extended, decided in rows
        ),
        by_pk,
        "disruptions",
        f.DisruptionFact,
    )


def _load_meetings(scope: f.ChildScope, by_pk: dict[int, f.ChildFacts]) -> None:
    rows = (
        Meeting.objects.filter(scope.q("child__"))
        .order_by()
        .values_list(
            "child_id",
            "meeting_type__kind",
            "meeting_type__code",
            "scheduled_for",
            "held_on",
            "gateway_decision",
            "rag_rating",
            "form_f_updated_on",
            "cpr_updated_on",
            "papers_sent_at",
        )
    )
    meetings, matchings, aep = [], [], []
    for child_id, kind, code, scheduled, held, decision, rag, form_f, cpr, papers in rows:
        if kind == EARLY_PERMANENCE_KIND:
            # Its papers matter before it sits (003).
            aep.append((child_id, held or scheduled, papers))
        if kind in MATCHING_KINDS:
            # A matching panel matters before it sits: the papers must be current by then.
            matchings.append((child_id, held or scheduled, form_f, cpr))
            continue
        ours = MEETING_KINDS.get(kind) or GENERIC_MEETING_CODES.get(code)
        if ours is not None and held is not None:
            meetings.append((child_id, ours, held, decision, rag))
    f.group(meetings, by_pk, "meetings", f.MeetingFact)
    f.group(matchings, by_pk, "matchings", f.MatchingFact)
    f.group(aep, by_pk, "aep_panels", f.AepPanelFact)


def _load_reviews(scope: f.ChildScope, by_pk: dict[int, f.ChildFacts]) -> None:
    rows = (
        IroAllocation.objects.filter(scope.q("child__"))
        .order_by()
        .values_list("child_id", "allocated_on", "ended_on")
    )
    f.group(rows, by_pk, "iro_allocations", f.AllocationFact)
    rows = (
        Review.objects.filter(scope.q("child__"), held_on__isnull=False, cancelled=False)
        .order_by()
        .values_list("child_id", "held_on", "recommends_sgo")
    )
    f.group(rows, by_pk, "reviews", f.ReviewFact)
    rows = (
        Ppn1.objects.filter(scope.q("child__")).order_by().values_list("child_id", "completed_on")
    )
    f.group(rows, by_pk, "ppn1s", lambda day: day)
    rows = (
        SgoReferral.objects.filter(scope.q("child__")).order_by().values_list("child_id", "sent_on")
    )
    f.group(rows, by_pk, "sgo_referrals", lambda d: d)


def _local_date(moment):
    return moment.astimezone(LONDON).date() if moment is not None else None


f.register_loader("forums", _load_forums)
f.register_loader("reviews", _load_reviews)


# --- what a saved object means for whose deadlines ---------------------------------------------

ChildIds = Callable[[object], list[int]]


def _own_child(instance) -> list[int]:
    return [instance.child_id]


def _part1_child(instance) -> list[int]:
    return list(Booking.objects.filter(pk=instance.booking_id).values_list("child_id", flat=True))


def _session_children(instance) -> list[int]:
    # Moving a forum's date moves every booked child's Part 1 deadline.
    return list(instance.bookings.values_list("child_id", flat=True))


TRIGGERS: dict[type[Model], ChildIds] = {
    Child: lambda instance: [instance.pk],
    Episode: _own_child,
    ConnectedPersonApproval: _own_child,
    SupervisionOrder: _own_child,
    Plan: _own_child,
    FamilyFindingAllocation: lambda instance: [instance.plan.child_id],
    ForumSession: _session_children,
    Booking: _own_child,
    Part1: _part1_child,
    Meeting: _own_child,
    MeetingAssessment: lambda instance: [instance.meeting.child_id],
    MeetingAction: lambda instance: [instance.meeting.child_id],
    Disruption: _own_child,
    Review: _own_child,
    IroAllocation: _own_child,
    SgoReferral: _own_child,
    Ppn1: _own_child,
}
