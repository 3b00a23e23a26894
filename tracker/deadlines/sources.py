"""Event sources in the other apps: which models hold the dates, how to read them in bulk, and
which saved objects mean a child's deadlines must be worked out again.

`tracker` is the one app that reads `forums` and `reviews`. It looks their models up by label
rather than importing them at module level, so that a source whose app has not built it yet
simply counts as missing: its rules stay "not yet applicable" and nothing else breaks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from tracker.deadlines import facts as f
from tracker.deadlines.calculators import Meeting

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

# Meeting types the forums app loads from fixtures/meeting_types.json, by code, for the kinds of
# meeting that have no `kind` of their own there.
GENERIC_MEETING_CODES = {
    "early-permanence": Meeting.EARLY_PERMANENCE,
    "permanency-planning": Meeting.PERMANENCY_PLANNING,
    "care-planning": Meeting.CARE_PLANNING,
}
MEETING_KINDS = {
    "legal_gateway": Meeting.LEGAL_GATEWAY,
    "permanence_panel": Meeting.PERMANENCE_PANEL,
    "care_planning": Meeting.CARE_PLANNING,
    "permanency_planning": Meeting.PERMANENCY_PLANNING,
}
MATCHING_KIND = "matching_panel"


@dataclass(frozen=True)
class Source:
    """One kind of event: the models it needs, and what it provides to the calculators."""

    name: str
    models: tuple[str, ...]
    description: str


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(IRO_ALLOCATIONS, ("reviews.IroAllocation",), "IRO allocations (reviews)"),
        Source(REVIEWS, ("reviews.Review",), "Looked-after reviews held (reviews)"),
        Source(
            SGO_RECOMMENDATIONS,
            ("reviews.Review",),
            "A review recommending special guardianship (reviews)",
        ),
        Source(SGO_REFERRALS, ("reviews.SgoReferral",), "SGO referral sent to the SGO team"),
        Source(FORUM_BOOKINGS, ("forums.Booking", "forums.Part1"), "Forum bookings and Part 1"),
        Source(LEGAL_GATEWAY, ("forums.Meeting",), "Legal Gateway Panel hearings (forums)"),
        Source(EARLY_PERMANENCE, ("forums.Meeting",), "Achieving Early Permanence Panel"),
        Source(PERMANENCY_PLANNING, ("forums.Meeting",), "Permanency planning meetings"),
        Source(CARE_PLANNING, ("forums.Meeting",), "Care planning meetings"),
        Source(PERMANENCE_PANEL, ("forums.Meeting",), "Permanence Panel and its RAG rating"),
        Source(DISRUPTIONS, ("forums.Disruption",), "Long-term placement disruptions (forums)"),
        Source(MATCHING, ("forums.Meeting",), "Matching panels with Form F and CPR dates"),
        Source(
            GATEWAY_ASSESSMENTS,
            ("forums.MeetingAssessment",),
            "Assessments the Legal Gateway Panel asked for, with their dates",
        ),
        Source(PPN1S, ("reviews.Ppn1",), "PPN1 completed by the IRO after the second review"),
    )
}


def available(name: str) -> bool:
    """Whether every model the source needs exists (its app has built it)."""
    source = SOURCES[name]
    if name == SGO_RECOMMENDATIONS:
        review = f.model_or_none("reviews.Review")
        return review is not None and _has_field(review, "recommends_sgo")
    return all(f.model_or_none(label) is not None for label in source.models)


def _has_field(model, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


# --- loaders -----------------------------------------------------------------------------------


def _load_forums(scope: f.ChildScope, by_pk: dict[int, f.ChildFacts]) -> None:
    booking = f.model_or_none("forums.Booking")
    if booking is not None and f.model_or_none("forums.Part1") is not None:
        rows = (
            booking.objects.filter(scope.q("child__"), status__in=booking.LIVE)
            .order_by()
            .values_list("child_id", "session__forum_date", "part1__submitted_at")
        )
        f.group(rows, by_pk, "bookings", f.BookingFact)
    meeting = f.model_or_none("forums.Meeting")
    if meeting is not None:
        rows = (
            meeting.objects.filter(scope.q("child__"))
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
            )
        )
        meetings, matchings = [], []
        for child_id, kind, code, scheduled, held, decision, rag, form_f, cpr in rows:
            if kind == MATCHING_KIND:
                # A matching panel matters before it sits: the papers must be current by then.
                matchings.append((child_id, held or scheduled, form_f, cpr))
                continue
            ours = MEETING_KINDS.get(kind) or GENERIC_MEETING_CODES.get(code)
            if ours is not None and held is not None:
                meetings.append((child_id, ours, held, decision, rag))
        f.group(meetings, by_pk, "meetings", f.MeetingFact)
        f.group(matchings, by_pk, "matchings", f.MatchingFact)
    assessment = f.model_or_none("forums.MeetingAssessment")
    if assessment is not None:
        rows = (
            assessment.objects.filter(scope.q("meeting__child__"), meeting__held_on__isnull=False)
            .order_by()
            .values_list("meeting__child_id", "meeting__held_on", "due_on", "completed_on")
        )
        f.group(rows, by_pk, "assessments", f.AssessmentFact)
    disruption = f.model_or_none("forums.Disruption")
    if disruption is not None:
        rows = (
            disruption.objects.filter(scope.q("child__"))
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


def _load_reviews(scope: f.ChildScope, by_pk: dict[int, f.ChildFacts]) -> None:
    allocation = f.model_or_none("reviews.IroAllocation")
    if allocation is not None:
        rows = (
            allocation.objects.filter(scope.q("child__"))
            .order_by()
            .values_list("child_id", "allocated_on", "ended_on")
        )
        f.group(rows, by_pk, "iro_allocations", f.AllocationFact)
    review = f.model_or_none("reviews.Review")
    if review is not None:
        sgo = _has_field(review, "recommends_sgo")
        fields = ["child_id", "held_on"] + (["recommends_sgo"] if sgo else [])
        rows = (
            review.objects.filter(scope.q("child__"), held_on__isnull=False, cancelled=False)
            .order_by()
            .values_list(*fields)
        )
        f.group(rows, by_pk, "reviews", f.ReviewFact)
    ppn1 = f.model_or_none("reviews.Ppn1")
    if ppn1 is not None:
        rows = (
            ppn1.objects.filter(scope.q("child__"))
            .order_by()
            .values_list("child_id", "completed_on")
        )
        f.group(rows, by_pk, "ppn1s", lambda day: day)
    referral = f.model_or_none("reviews.SgoReferral")
    if referral is not None:
        rows = (
            referral.objects.filter(scope.q("child__"))
            .order_by()
            .values_list("child_id", "sent_on")
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
    booking = f.model_or_none("forums.Booking")
    return list(booking.objects.filter(pk=instance.booking_id).values_list("child_id", flat=True))


def _session_children(instance) -> list[int]:
    # Moving a forum's date moves every booked child's Part 1 deadline.
    return list(instance.bookings.values_list("child_id", flat=True))


TRIGGERS: dict[str, ChildIds] = {
    "permanence.Child": lambda instance: [instance.pk],
    "permanence.Episode": _own_child,
    "permanence.ConnectedPersonApproval": _own_child,
    "permanence.SupervisionOrder": _own_child,
    "forums.ForumSession": _session_children,
    "forums.Booking": _own_child,
    "forums.Part1": _part1_child,
    "forums.Meeting": _own_child,
    "forums.MeetingAssessment": lambda instance: [instance.meeting.child_id],
    "forums.Disruption": _own_child,
    "reviews.Review": _own_child,
    "reviews.IroAllocation": _own_child,
    "reviews.SgoReferral": _own_child,
    "reviews.Ppn1": _own_child,
}
