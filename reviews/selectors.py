"""Reads for the IRO's work, limited to what the user may see (SPEC §1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils.safestring import SafeString

from permanence import timescales
from permanence.models import Child, Code, Plan, User
from permanence.models.plans import Status
from permanence.plans.selectors import STATUS_TAGS, plan_current_for_page
from permanence.prepared import prepared
from permanence.selectors import (
    children_for_user,
    code_meanings,
    looked_after_since,
    looked_after_since_subquery,
    today,
)
from reviews import review_due_dates
from reviews.models import IroAllocation, Ppn1, RatificationCheck, Review, SgoReferral, ordinal
from reviews.tables import next_review_html

DUE_STATE_LABELS = {"overdue": "Overdue", "due_soon": "Due soon", "upcoming": "Upcoming"}
DUE_STATE_TAGS = {
    "overdue": "govuk-tag--red",
    "due_soon": "govuk-tag--orange",
    "upcoming": "govuk-tag--blue",
}


@dataclass
class NextReview:
    """The review the child is waiting for: its number, due date and any booking (004)."""

    sequence: int
    due_on: dt.date
    state: str
    booked: Review | None = None

    @property
    def title(self) -> str:
        if self.booked is not None:
            return self.booked.title
        return f"{ordinal(self.sequence).capitalize()} review"

    @property
    def state_label(self) -> str:
        return DUE_STATE_LABELS[self.state]

    @property
    def tag(self) -> str:
        return DUE_STATE_TAGS[self.state]

    @property
    def as_html(self) -> SafeString:
        """The review as the pages write it: title, due date, state and booking."""
        return next_review_html(self)


@dataclass
class ReviewSchedule:
    """A child's reviews in the current period of care and the next one due (004, SPEC §5)."""

    looked_after_since: dt.date | None
    allocation: IroAllocation | None
    iro_due_on: dt.date | None
    reviews: list[Review] = field(default_factory=list)
    next_review: NextReview | None = None

    @property
    def iro_allocated_late(self) -> bool:
        return bool(
            self.allocation and self.iro_due_on and self.allocation.allocated_on > self.iro_due_on
        )


def next_review(
    *, since: dt.date, held: list[dt.date], booked: Review | None, on: dt.date
) -> NextReview:
    """The next review for a child looked after since `since`, given the reviews held."""
    sequence = len(held) + 1
    if booked is not None:
        due = booked.due_on
    else:
        due = review_due_dates.review_due(sequence=sequence, looked_after_since=since, held=held)
    return NextReview(sequence, due, review_due_dates.due_state(due, on), booked)


def _current_allocation(child: Child) -> IroAllocation | None:
    """The child's IRO allocation in force, with its IRO."""
    if "iro_allocations" not in getattr(child, "_prefetched_objects_cache", {}):
        return (
            IroAllocation.objects.filter(child=child, ended_on__isnull=True)
            .select_related("iro")
            .first()
        )
    # The child's page has read the allocations with its other lists (issue 19). Their IRO is
    # the child's (iro_allocate records both) unless the record was changed since by hand.
    allocation = next((a for a in child.iro_allocations.all() if a.ended_on is None), None)
    if allocation is not None and allocation.iro_id == child.iro_id and Child.iro.is_cached(child):
        IroAllocation.iro.field.set_cached_value(allocation, child.iro)
    return allocation


@prepared
def _reviews_of_period(child_id: int, since: dt.date):
    return (
        Review.objects.filter(child_id=child_id, period_started_on=since)
        .select_related("iro", "ratification", "ppn1", "sgo_referral")
        .order_by("sequence", "pk")
    )


def review_schedule(*, child: Child) -> ReviewSchedule:
    """The child's IRO allocation, reviews of this period of care and the next one due."""
    on = today()
    since = looked_after_since(child=child)
    allocation = _current_allocation(child)
    if since is None:
        return ReviewSchedule(None, allocation, None)
    reviews = _reviews_of_period(child.pk, since)
    held = [r.held_on for r in reviews if r.held_on and not r.cancelled]
    booked = next((r for r in reviews if r.is_booked), None)
    return ReviewSchedule(
        since,
        allocation,
        review_due_dates.iro_allocation_due(since),
        reviews,
        next_review(since=since, held=held, booked=booked, on=on),
    )


@dataclass
class CaseloadRow:
    child: Child
    since: dt.date
    next_review: NextReview
    plan: Plan | None
    last_held_on: dt.date | None
    awaiting_ppn1: bool

    @property
    def plan_tag(self) -> str:
        return STATUS_TAGS.get(self.plan.status, "") if self.plan else ""


def iro_caseload(*, user: User) -> dict[str, list[CaseloadRow]]:
    """The IRO's children and the review each is waiting for: overdue, due soon, upcoming.

    A fixed number of queries however many children: the dates come from annotations and the
    schedule is computed from them with `permanence.dates` (004, SPEC §5)."""
    on = today()
    children = (
        children_for_user(user=user)
        .filter(iro=user)
        .annotate(since=looked_after_since_subquery())
        .filter(since__isnull=False, episodes__dec__isnull=True)
        .select_related("team", "social_worker")
        .order_by("last_name", "first_name", "pk")
    )
    children = list(children)
    ids = [c.pk for c in children]
    # Held reviews of the current period, for every child at once.
    rows = (
        Review.objects.filter(child_id__in=ids, held_on__isnull=False, cancelled=False)
        .values_list("child_id", "period_started_on", "sequence", "held_on")
        .order_by("child_id", "sequence")
    )
    held_by_child: dict[int, list[tuple[dt.date, int, dt.date]]] = {}
    for child_id, period, sequence, held_on in rows:
        held_by_child.setdefault(child_id, []).append((period, sequence, held_on))
    booked = {
        r.child_id: r
        for r in Review.objects.filter(
            child_id__in=ids, held_on__isnull=True, cancelled=False
        ).order_by("-sequence")
    }
    plans = {
        p.child_id: p
        for p in Plan.objects.filter(child_id__in=ids).exclude(status=Status.SUPERSEDED)
    }
    with_ppn1 = set(Ppn1.objects.filter(child_id__in=ids).values_list("review_id", flat=True))
    second_reviews = dict(
        Review.objects.filter(
            child_id__in=ids, sequence=2, held_on__isnull=False, cancelled=False
        ).values_list("child_id", "pk")
    )
    sections: dict[str, list[CaseloadRow]] = {"overdue": [], "due_soon": [], "upcoming": []}
    for child in children:
        dates = [h for p, _, h in held_by_child.get(child.pk, []) if p == child.since]
        booking = booked.get(child.pk)
        if booking is not None and booking.period_started_on != child.since:
            booking = None
        upcoming = next_review(since=child.since, held=dates, booked=booking, on=on)
        second = second_reviews.get(child.pk)
        sections[upcoming.state].append(
            CaseloadRow(
                child=child,
                since=child.since,
                next_review=upcoming,
                plan=plans.get(child.pk),
                last_held_on=dates[-1] if dates else None,
                # Only while the second review is the latest: after the third it is moot.
                awaiting_ppn1=len(dates) == 2 and second is not None and second not in with_ppn1,
            )
        )
    for rows_ in sections.values():
        rows_.sort(key=lambda r: r.next_review.due_on)
    return sections


def plans_awaiting_ratification(*, user: User) -> QuerySet[Plan]:
    """Presented plans of the IRO's children: ready for the checklist at a review (002 §7)."""
    return (
        Plan.objects.filter(child__in=children_for_user(user=user).filter(iro=user))
        .filter(status=Status.PRESENTED)
        .select_related("child")
        .order_by("presented_on")
    )


def review_get_for_user(*, user: User, pk: int) -> Review:
    """One review, or 404 when the user may not see the child (CONVENTIONS: Access)."""
    review = (
        Review.objects.select_related("child", "child__team", "child__iro", "iro")
        .filter(pk=pk)
        .first()
    )
    if review is None or not user.has_perm("reviews.view_review", review):
        raise Http404("No such review")
    return review


def ppn1_get_for_user(*, user: User, pk: int) -> Ppn1:
    ppn1 = (
        Ppn1.objects.select_related(
            "child",
            "review",
            "plan",
            "adoption_manager",
            "fostering_manager",
            "completed_by",
            "meeting_booked_by",
        )
        .filter(pk=pk)
        .first()
    )
    if ppn1 is None or not user.has_perm("reviews.view_ppn1", ppn1):
        raise Http404("No such PPN1")
    return ppn1


@dataclass
class SgoReferralCard:
    """The SGO referral a review recommending special guardianship calls for (003)."""

    review: Review
    due_on: dt.date
    referral: SgoReferral | None
    today: dt.date

    @property
    def within(self) -> str:
        return sgo_referral_within()

    @property
    def sent_late(self) -> bool:
        return self.referral is not None and self.referral.sent_on > self.due_on

    @property
    def overdue(self) -> bool:
        return self.referral is None and self.due_on < self.today


def sgo_referral_due(*, held_on: dt.date) -> dt.date:
    """The SGO referral is due 5 working days after the review recommending it (003, SPEC §5)."""
    return timescales.due_date("sgo_referral", held_on)


def sgo_referral_within() -> str:
    """How long the social worker has, as the administrator has set it: "5 working days"."""
    return str(review_due_dates.timescale("sgo_referral"))


def sgo_referral_card(*, review: Review, user: User) -> SgoReferralCard | None:
    """The SGO referral card on a held review that recommends special guardianship (003)."""
    if not (review.is_held and review.recommends_sgo):
        return None
    if not user.has_perm("reviews.view_sgoreferral", review):
        return None
    referral = SgoReferral.objects.filter(review=review).select_related("sent_by").first()
    return SgoReferralCard(
        review=review,
        due_on=sgo_referral_due(held_on=review.held_on),
        referral=referral,
        today=today(),
    )


def ratification_for_review(*, review: Review) -> RatificationCheck | None:
    return (
        RatificationCheck.objects.filter(review=review)
        .select_related("plan", "further_review", "recorded_by")
        .first()
    )


def participation_meanings() -> dict[str, str]:
    return code_meanings(Code.List.REVIEW_CODE)


def ppms_to_book(*, user: User) -> QuerySet[Ppn1]:
    """PPN1s whose Permanency Planning Meeting is still to be booked (002 §8)."""
    return (
        Ppn1.objects.filter(child__in=children_for_user(user=user), meeting_on__isnull=True)
        .select_related("child")
        .order_by("completed_on")
    )


def child_reviews_panel(*, child: Child, user: User) -> dict:
    """The reviews section on the child's page (permanence.panels)."""
    if not user.has_perm("reviews.view_review", child):
        return {"hidden": True}
    plan = plan_current_for_page(child=child)
    schedule = review_schedule(child=child)
    # The forum's section asks when the first review was held: from these, no second read.
    child._period_reviews_for_page = (schedule.looked_after_since, schedule.reviews)
    return {
        "child": child,
        "schedule": schedule,
        "plan": plan,
        "can_allocate": user.has_perm("reviews.add_iroallocation", child),
        "can_review": user.has_perm("reviews.add_review", child),
        "codes": participation_meanings(),
    }


def first_review_held_date(*, child) -> dt.date | None:
    """When the child's first review in this period of care was held, or None if not yet."""
    from permanence.selectors import looked_after_since

    since = looked_after_since(child=child)
    if since is None:
        return None
    read = getattr(child, "_period_reviews_for_page", None)
    if read is not None and read[0] == since:
        # The child's page has read this period's reviews (child_reviews_panel).
        return min((r.held_on for r in read[1] if r.held_on and not r.cancelled), default=None)
    return (
        Review.objects.filter(
            child=child, period_started_on=since, held_on__isnull=False, cancelled=False
        )
        .order_by("held_on")
        .values_list("held_on", flat=True)
        .first()
    )


def second_review_date(*, child) -> dt.date | None:
    """When the child's second review was held or is due in this period of care (004, SPEC §5);
    before the first review is held, counted from the first review's due date."""
    from permanence.selectors import looked_after_since

    since = looked_after_since(child=child)
    if since is None:
        return None
    held = list(
        Review.objects.filter(
            child=child, period_started_on=since, held_on__isnull=False, cancelled=False
        )
        .order_by("sequence")
        .values_list("held_on", flat=True)
    )
    if len(held) >= 2:
        return held[1]
    if held:
        return review_due_dates.review_due(sequence=2, looked_after_since=since, held=held)
    first = review_due_dates.review_due(sequence=1, looked_after_since=since)
    return timescales.due_date("second_review", first)


def ppn1s_sent_to(*, user: User) -> tuple[list[Ppn1], list[Ppn1]]:
    """The PPN1s sent to this designated admin officer (002 §8), of children they may open:
    those whose Permanency Planning Meeting is still to be booked (longest waiting first), and
    those booked (soonest meeting first)."""
    rows = list(
        Ppn1.objects.filter(admin_officer=user, child__in=children_for_user(user=user))
        # Who booked each meeting is on the page: read with the PPN1s, not one query a row.
        .select_related("child", "review", "meeting_booked_by")
        .order_by("completed_on", "pk")
    )
    to_book = [p for p in rows if p.meeting_on is None]
    booked = sorted((p for p in rows if p.meeting_on is not None), key=lambda p: p.meeting_on)
    return to_book, booked
