"""Writes for the IRO's work: allocation, reviews, ratification at a review and PPN1, and the
social worker's SGO referral after a review recommending special guardianship.

Every service takes the acting user as `by=`, checks their permission, runs in one transaction
and records who and why in history. Refused input raises a ValidationError keyed by the field
it concerns, and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from permanence.common import require
from permanence.history import save_with_history
from permanence.meeting_booking import book_meeting
from permanence.models import Child, User
from permanence.notifications import child_label, notify
from permanence.plans.selectors import plan_current_for_child
from permanence.plans.services import RATIFICATION_CHECKLIST, long_date, plan_ratify
from permanence.roles import Role
from permanence.selectors import looked_after_since
from permanence.services import child_update
from reviews import review_due_dates
from reviews.models import IroAllocation, Ppn1, RatificationCheck, Review, SgoReferral


def _today() -> dt.date:
    return timezone.localdate()


def _lock_child(child: Child) -> Child:
    return Child.objects.select_for_update().select_related("team").get(pk=child.pk)


def _period_start(child: Child, field: str) -> dt.date:
    since = looked_after_since(child=child)
    if since is None:
        raise ValidationError(
            {
                field: f"{child.first_name} is not looked after: reviews are for "
                "looked-after children"
            }
        )
    return since


def _held_dates(child: Child, since: dt.date) -> list[dt.date]:
    return list(
        Review.objects.filter(
            child=child, period_started_on=since, held_on__isnull=False, cancelled=False
        )
        .order_by("sequence")
        .values_list("held_on", flat=True)
    )


def _booked(child: Child, since: dt.date) -> Review | None:
    return (
        Review.objects.select_for_update()
        .filter(child=child, period_started_on=since, held_on__isnull=True, cancelled=False)
        .order_by("sequence")
        .first()
    )


def _team_managers(child: Child) -> list[User]:
    return list(
        User.objects.filter(
            team_id=child.team_id, groups__name=Role.TEAM_MANAGER.label, is_active=True
        )
    )


# -- IRO allocation ----------------------------------------------------------------------------


@transaction.atomic
def iro_allocate(
    *, child: Child, iro: User, by: User, allocated_on: dt.date | None = None, reason: str = ""
) -> IroAllocation:
    """Allocate the child's IRO, due within 5 working days of becoming looked after (004)."""
    require(by, "reviews.add_iroallocation", child)
    child = _lock_child(child)
    allocated_on = allocated_on or _today()
    if iro is None or not iro.is_active or not iro.has_role(Role.IRO):
        raise ValidationError({"iro": "Choose an independent reviewing officer"})
    current = IroAllocation.objects.select_for_update().filter(child=child, ended_on__isnull=True)
    current = current.first()
    if current is not None:
        if current.iro_id == iro.pk:
            raise ValidationError({"iro": f"{iro} is already {child.first_name}'s IRO"})
        if allocated_on < current.allocated_on:
            raise ValidationError(
                {"allocated_on": "The new IRO cannot start before the current one was allocated"}
            )
        current.ended_on = allocated_on
        save_with_history(current, by=by, reason=f"Replaced by {iro}")
    allocation = save_with_history(
        IroAllocation(
            child=child, iro=iro, allocated_on=allocated_on, allocated_by=by, reason=reason
        ),
        by=by,
        reason=reason or "IRO allocated",
    )
    child_update(child=child, by=by, iro=iro, reason=f"IRO allocated: {iro}")
    notify(
        recipients=[iro],
        subject=f"You are the IRO for {child_label(child)}",
        body=f"{by} allocated you as the independent reviewing officer for {child_label(child)}.",
        link=child.get_absolute_url(),
    )
    return allocation


# -- reviews -----------------------------------------------------------------------------------


@transaction.atomic
def review_book(*, child: Child, by: User, planned_on: dt.date) -> Review:
    """Book the next review, its due date from the schedule (004, SPEC §5)."""
    require(by, "reviews.add_review", child)
    child = _lock_child(child)
    since = _period_start(child, "planned_on")
    booked = _booked(child, since)
    if booked is not None:
        raise ValidationError(
            {
                "planned_on": f"The {booked.title.lower()} is already booked for "
                f"{long_date(booked.planned_on or booked.due_on)}: change that booking instead"
            }
        )
    if planned_on < _today():
        raise ValidationError(
            {"planned_on": "A review is booked for today or later: record one already held"}
        )
    held = _held_dates(child, since)
    sequence = len(held) + 1
    review = Review(
        child=child,
        period_started_on=since,
        sequence=sequence,
        due_on=review_due_dates.review_due(sequence=sequence, looked_after_since=since, held=held),
        planned_on=planned_on,
        iro=child.iro,
        created_by=by,
    )
    return save_with_history(review, by=by, reason=f"{review.title} booked")


@transaction.atomic
def review_rebook(*, review: Review, by: User, planned_on: dt.date, reason: str) -> Review:
    """Move a booked review to another date; the due date does not move (004)."""
    require(by, "reviews.change_review", review)
    review = Review.objects.select_for_update().select_related("child").get(pk=review.pk)
    if not review.is_booked:
        raise ValidationError({"planned_on": "Only a review not yet held can be moved"})
    if planned_on < _today():
        raise ValidationError({"planned_on": "The new date must be today or later"})
    review.planned_on = planned_on
    return save_with_history(review, by=by, reason=f"Moved: {reason}" if reason else "Moved")


@transaction.atomic
def review_record(
    *,
    child: Child,
    by: User,
    held_on: dt.date,
    participation: str,
    summary: str = "",
    recommends_sgo: bool = False,
) -> Review:
    """Record a review held (SSDA903 REVIEW and REVIEW_CODE); the next one's clock starts (004)."""
    require(by, "reviews.add_review", child)
    child = _lock_child(child)
    since = _period_start(child, "held_on")
    held = _held_dates(child, since)
    if held and held_on <= held[-1]:
        raise ValidationError(
            {"held_on": f"The review must be after the previous one, held on {long_date(held[-1])}"}
        )
    review = _booked(child, since)
    if review is None:
        sequence = len(held) + 1
        review = Review(
            child=child,
            period_started_on=since,
            sequence=sequence,
            due_on=review_due_dates.review_due(
                sequence=sequence, looked_after_since=since, held=held
            ),
            created_by=by,
        )
    review.held_on = held_on
    review.participation = participation
    review.summary = summary
    review.recommends_sgo = recommends_sgo
    review.iro = by
    return save_with_history(review, by=by, reason=f"{review.title} held")


@transaction.atomic
def review_cancel(*, review: Review, by: User, reason: str) -> Review:
    """A booked review does not go ahead; the review stays due (004)."""
    require(by, "reviews.change_review", review)
    review = Review.objects.select_for_update().select_related("child").get(pk=review.pk)
    if review.held_on is not None:
        raise ValidationError({"reason": "A review that has been held cannot be cancelled"})
    if review.cancelled:
        raise ValidationError({"reason": "This review has already been cancelled"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the review is cancelled"})
    review.cancelled = True
    review.cancelled_reason = reason
    return save_with_history(review, by=by, reason=f"Cancelled: {reason}")


# -- ratification at a review (002 §7, 004) -----------------------------------------------------


@transaction.atomic
def review_ratification_record(
    *,
    review: Review,
    by: User,
    ratify: bool,
    checklist: Mapping[str, bool],
    missing: str = "",
    further_review_on: dt.date | None = None,
) -> RatificationCheck:
    """The IRO ratifies the plan when every checklist item is ticked; otherwise records what
    is missing and sets a further review, which ratifies once the outcome is known (002 §7, 004).
    """
    require(by, "reviews.add_ratificationcheck", review)
    review = Review.objects.select_for_update().select_related("child").get(pk=review.pk)
    child = review.child
    if review.held_on is None:
        raise ValidationError({"checklist": "Record the review as held before the checklist"})
    if RatificationCheck.objects.filter(review=review).exists():
        raise ValidationError({"checklist": "The checklist for this review is already recorded"})
    plan = plan_current_for_child(child=child)
    if plan is None:
        raise ValidationError({"checklist": f"{child.first_name} has no plan to ratify yet"})
    ticks = {key: bool(checklist.get(key)) for key, _ in RATIFICATION_CHECKLIST}
    check = RatificationCheck(review=review, plan=plan, recorded_by=by, **ticks)
    if ratify:
        plan_ratify(
            plan=plan,
            by=by,
            reason=f"Ratified at the {review.title.lower()} held on {long_date(review.held_on)}",
            checklist=ticks,
            on=review.held_on,
        )
        check.outcome = RatificationCheck.Outcome.RATIFIED
        save_with_history(check, by=by, reason="Plan ratified at the review")
        return check
    missing = (missing or "").strip()
    errors = {}
    if not missing:
        errors["missing"] = "Enter what is missing before the plan can be ratified"
    further = _further_review(review, further_review_on, errors, by=by)
    if errors:
        raise ValidationError(errors)
    further = save_with_history(further, by=by, reason="Further review set to ratify the plan")
    check.outcome = RatificationCheck.Outcome.NOT_RATIFIED
    check.missing = missing
    check.further_review = further
    save_with_history(check, by=by, reason="Plan not ratified: further review set")
    notify(
        recipients=[child.social_worker, *_team_managers(child)],
        subject=f"The plan for {child_label(child)} was not ratified at the review",
        body=f"What is missing: {missing}\nA further review is set for "
        f"{long_date(further.due_on)}, to ratify the plan once this is known.",
        link=review.get_absolute_url(),
    )
    return check


def _further_review(review: Review, on: dt.date | None, errors: dict, *, by: User) -> Review | None:
    """The further review the IRO sets, no later than the next statutory review (004)."""
    if on is None:
        errors["further_review_on"] = "Enter the date of the further review"
        return None
    child = review.child
    held = _held_dates(child, review.period_started_on)
    statutory = review_due_dates.review_due(
        sequence=review.sequence + 1, looked_after_since=review.period_started_on, held=held
    )
    if on <= review.held_on:
        errors["further_review_on"] = "The further review must be after this review"
    elif on < _today():
        errors["further_review_on"] = "The further review must be today or later"
    elif on > statutory:
        errors["further_review_on"] = (
            f"The further review must be no later than {long_date(statutory)}, "
            "when the next review is due anyway"
        )
    if _booked(child, review.period_started_on) is not None:
        errors["further_review_on"] = (
            "The next review is already booked: move that booking to the further review's date"
        )
    return Review(
        child=child,
        period_started_on=review.period_started_on,
        sequence=review.sequence + 1,
        kind=Review.Kind.FURTHER,
        due_on=on,
        planned_on=on,
        iro=review.iro,
        created_by=by,
    )


# -- PPN1 (002 §7-8) ---------------------------------------------------------------------------


@transaction.atomic
def ppn1_complete(
    *,
    review: Review,
    by: User,
    adoption_manager: User,
    fostering_manager: User,
    plan_summary: str,
    family_finding: str,
    recommendations: str = "",
    admin_officer: User | None = None,
) -> Ppn1:
    """After the second review the IRO completes PPN1: it goes with the review's minutes to the
    designated admin officer, who books the Permanency Planning Meeting, and to the adoption and
    fostering managers, the social worker and team manager (002 §7-8)."""
    require(by, "reviews.add_ppn1", review)
    review = Review.objects.select_for_update().select_related("child").get(pk=review.pk)
    child = review.child
    if review.held_on is None:
        raise ValidationError({"plan_summary": "Record the review as held before the PPN1"})
    if review.sequence < 2:
        raise ValidationError(
            {"plan_summary": "PPN1 is completed after the second review, not the first"}
        )
    if Ppn1.objects.filter(review=review).exists():
        raise ValidationError({"plan_summary": "A PPN1 has already been completed for this review"})
    plan = plan_current_for_child(child=child)
    if plan is None:
        raise ValidationError({"plan_summary": f"{child.first_name} has no plan yet"})
    errors = {}
    for field, manager in (
        ("adoption_manager", adoption_manager),
        ("fostering_manager", fostering_manager),
    ):
        if manager is None or not manager.is_active:
            errors[field] = "Choose who it goes to"
    if admin_officer is None or not admin_officer.is_active:
        errors["admin_officer"] = "Choose the designated admin officer it goes to"
    elif not admin_officer.has_role(Role.ADMIN_OFFICER):
        errors["admin_officer"] = "Choose a designated admin officer"
    if errors:
        raise ValidationError(errors)
    ppn1 = save_with_history(
        Ppn1(
            review=review,
            child=child,
            plan=plan,
            route=plan.route,
            contingency_route=plan.contingency_route,
            plan_summary=(plan_summary or "").strip(),
            family_finding=family_finding,
            recommendations=recommendations,
            adoption_manager=adoption_manager,
            fostering_manager=fostering_manager,
            admin_officer=admin_officer,
            completed_by=by,
            completed_on=_today(),
        ),
        by=by,
        reason="PPN1 completed: Permanency Planning Meeting to be booked",
    )
    notify(
        recipients=[
            admin_officer,
            adoption_manager,
            fostering_manager,
            child.social_worker,
            *_team_managers(child),
        ],
        subject=f"PPN1 for {child_label(child)}: a Permanency Planning Meeting is to be booked",
        body=f"{by} completed PPN1 after the {review.title.lower()} held on "
        f"{long_date(review.held_on)}. Plan: {plan.get_route_display()}. The review's minutes "
        "are with the PPN1.",
        link=ppn1.get_absolute_url(),
    )
    return ppn1


@transaction.atomic
def ppn1_meeting_book(*, ppn1: Ppn1, by: User, meeting_on: dt.date) -> Ppn1:
    """The Permanency Planning Meeting the PPN1 called for is booked: a real meeting with its
    fixed agenda and those who attend by role, first booking only; a later date moves the
    PPN1's date (002 §8-11)."""
    require(by, "reviews.change_ppn1", ppn1)
    ppn1 = Ppn1.objects.select_for_update().select_related("child").get(pk=ppn1.pk)
    if meeting_on < _today() and ppn1.meeting_on is None:
        raise ValidationError({"meeting_on": "Book the meeting for today or later"})
    first = ppn1.meeting_on is None
    ppn1.meeting_on = meeting_on
    ppn1.meeting_booked_by = by
    if ppn1.planning_meeting_id is None:
        child = ppn1.child
        meeting = book_meeting(
            code="permanency-planning",
            child=child,
            by=by,
            scheduled_for=meeting_on,
            staff_attendees=[
                u
                for u in (
                    child.social_worker,
                    ppn1.fostering_manager,
                    ppn1.adoption_manager,
                    child.iro,
                    *_team_managers(child),
                )
                if u is not None
            ],
        )
        ppn1.planning_meeting_id = meeting.pk
    ppn1 = save_with_history(
        ppn1, by=by, reason="Permanency Planning Meeting " + ("booked" if first else "moved")
    )
    child = ppn1.child
    notify(
        recipients=[
            ppn1.adoption_manager,
            ppn1.fostering_manager,
            child.social_worker,
            child.iro,
            *_team_managers(child),
        ],
        subject=f"Permanency Planning Meeting for {child_label(child)}: {long_date(meeting_on)}",
        body=f"{by} booked the Permanency Planning Meeting for {long_date(meeting_on)}.",
        link=ppn1.planning_meeting_url or ppn1.get_absolute_url(),
    )
    return ppn1


# -- SGO referral (003) ------------------------------------------------------------------------


@transaction.atomic
def sgo_referral_record(
    *,
    review: Review,
    by: User,
    sent_on: dt.date | None,
    sent_to: str,
    proposed_guardians: str,
    relationship: str,
    summary: str = "",
) -> SgoReferral:
    """The child's social worker sends the SGO referral form to the SGO team manager within
    5 working days of the review recommending special guardianship (003)."""
    require(by, "reviews.add_sgoreferral", review)
    review = Review.objects.select_for_update().select_related("child").get(pk=review.pk)
    sent = SgoReferral.objects.filter(review=review).values_list("sent_on", flat=True).first()
    if sent is not None:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: "The SGO referral for this review has already been recorded: "
                f"it was sent on {long_date(sent)}"
            }
        )
    fields = {
        "sent_to": (sent_to or "").strip(),
        "proposed_guardians": (proposed_guardians or "").strip(),
        "relationship": (relationship or "").strip(),
    }
    errors = {}
    if sent_on is None:
        errors["sent_on"] = "Enter the date the referral was sent"
    for name, message in (
        ("sent_to", "Enter the name of the SGO team manager it was sent to"),
        ("proposed_guardians", "Enter the name of the proposed special guardian or guardians"),
        ("relationship", "Enter their relationship to the child"),
    ):
        if not fields[name]:
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    return save_with_history(
        SgoReferral(
            child=review.child,
            review=review,
            sent_on=sent_on,
            summary=(summary or "").strip(),
            sent_by=by,
            **fields,
        ),
        by=by,
        reason=f"SGO referral sent to {fields['sent_to']}",
    )
