"""Writes for the permanency forum (seed 000, SPEC §4): sessions, bookings, Part 1 and Part 2."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from forums import plans
from forums.models import Booking, ForumSession, Part1, Part2, Part2Task
from forums.services.common import (
    child_label,
    connected_person_episode,
    cps_duty_for,
    path,
    require,
)
from permanence.common import transition
from permanence.history import save_with_history
from permanence.models import Child, User
from permanence.notifications import Note, notes_for, notification_text, notify, notify_many
from permanence.panels import child_date
from permanence.timescales import timescale

SESSION_FIELDS = ("forum_date", "start_time", "venue", "chair", "slot_count", "slot_minutes")


def _when(session: ForumSession) -> str:
    return _when_at(session.forum_date, session.start_time)


def _lock_booking(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("session", "child").get(pk=booking.pk)


def _save_booking(booking: Booking, *, by: User, reason: str) -> Booking:
    # The protected status field cannot be reassigned by full_clean; transitions set it.
    return save_with_history(booking, by=by, reason=reason, exclude=["status"])


# -- sessions ---------------------------------------------------------------------------------


@transaction.atomic
def session_open(
    *,
    by: User,
    forum_date: dt.date,
    start_time: dt.time,
    venue: str,
    chair: User,
    slot_count: int,
    slot_minutes: int = 30,
) -> ForumSession:
    """CPS duty opens a forum session with a fixed number of slots (seed 000, SPEC §4)."""
    require(by, "forums.add_forumsession")
    errors = {}
    if forum_date < timezone.localdate():
        errors["forum_date"] = "The date of the forum must be today or in the future"
    if not chair.has_role("forum_chair"):
        errors["chair"] = f"{chair} is not a forum chair: choose a senior manager who chairs forums"
    if errors:
        raise ValidationError(errors)
    session = ForumSession(
        forum_date=forum_date,
        start_time=start_time,
        venue=venue,
        chair=chair,
        slot_count=slot_count,
        slot_minutes=slot_minutes,
        opened_by=by,
    )
    save_with_history(session, by=by, reason="Forum session opened")
    transaction.on_commit(
        lambda: notify(
            recipients=[chair],
            subject=f"You are chairing the permanency forum on {_when(session)}",
            body=f"{session.venue}. {session.slot_count} slots.",
            link=path("forums:session-agenda", session.pk),
        )
    )
    return session


def _day(session: ForumSession) -> str:
    return f"{session.forum_date:%A %-d %B %Y}"


def _children_booked(n: int) -> str:
    return f"{n} child is" if n == 1 else f"{n} children are"


def _lock_session(session: ForumSession) -> ForumSession:
    # The same row lock booking_request takes, so a request and a change queue on the session;
    # `of` leaves the chair's user row unlocked.
    return (
        ForumSession.objects.select_for_update(of=("self",))
        .select_related("chair")
        .get(pk=session.pk)
    )


def _lock_live_bookings(session: ForumSession) -> list[Booking]:
    # `of` keeps the lock on the bookings: Postgres refuses FOR UPDATE across the outer join to a
    # child with no social worker.
    bookings = list(
        Booking.objects.live()
        .filter(session=session)
        .select_for_update(of=("self",))
        .select_related("child", "child__social_worker", "requested_by")
        .order_by("slot_number", "pk")
    )
    for booking in bookings:
        booking.session = session  # the locked session, with the changes about to be made
    return bookings


def _refuse_if_closed(session: ForumSession, bookings: list[Booking], doing: str) -> None:
    """A cancelled forum, or one that has sat, is part of the record: it is not changed."""
    if session.is_cancelled:
        raise ValidationError(
            f"The forum on {_day(session)} was cancelled on "
            f"{timezone.localtime(session.cancelled_at):%-d %B %Y}: it cannot be {doing}"
        )
    if any(b.status in Booking.HELD for b in bookings):
        raise ValidationError(
            f"The forum on {_day(session)} has been held and cases were presented at it: "
            f"it cannot be {doing}"
        )


def _by_worker(bookings: list[Booking]) -> dict[User, list[Booking]]:
    """Each booked child's social worker (and whoever asked for the slot), with their bookings."""
    workers: dict[User, list[Booking]] = {}
    for booking in bookings:
        for user in (booking.child.social_worker, booking.requested_by):
            if user is not None and booking not in workers.setdefault(user, []):
                workers[user].append(booking)
    return workers


def _notes(recipients: list[User], kind: str, context: dict, link: str) -> list[Note]:
    """Notification KIND, worded by templates/forums/notifications/KIND.txt, to each of them."""
    subject, body = notification_text(f"forums/notifications/{kind}.txt", context)
    return notes_for(recipients, subject=subject, body=body, link=link)


def _link_for(bookings: list[Booking]) -> str:
    if len(bookings) == 1:
        return path("forums:booking-detail", bookings[0].pk)
    return path("forums:home")


@transaction.atomic
def session_update(
    *,
    session: ForumSession,
    by: User,
    forum_date: dt.date | None = None,
    start_time: dt.time | None = None,
    venue: str | None = None,
    slots: int | None = None,
    chair: User | None = None,
    reason: str,
) -> ForumSession:
    """CPS duty moves a forum or changes its venue, chair or slots, saying why; Part 1 falls due
    3 working days before the new date and the booked children's workers are told (seed 000)."""
    require(by, "forums.change_forumsession", session)
    reason = (reason or "").strip()
    session = _lock_session(session)
    bookings = _lock_live_bookings(session)
    _refuse_if_closed(session, bookings, "changed")

    new_date = session.forum_date if forum_date is None else forum_date
    new_time = session.start_time if start_time is None else start_time
    new_venue = session.venue if venue is None else venue.strip()
    new_slots = session.slot_count if slots is None else slots
    new_chair = session.chair if chair is None else chair

    errors = {}
    if not reason:
        errors["reason"] = "Enter the reason for changing the session"
    if new_date < timezone.localdate():
        errors["forum_date"] = "The date of the forum must be today or in the future"
    if not new_venue:
        errors["venue"] = "Enter the venue"
    if new_slots < len(bookings):
        n = len(bookings)
        errors["slots"] = (
            f"{_children_booked(n)} booked into this forum: it needs at least {n} "
            f"slot{'s' if n != 1 else ''}"
        )
    elif new_slots < 1:
        errors["slots"] = "A session needs at least 1 slot"
    elif new_slots > 20:
        errors["slots"] = "A session can have at most 20 slots"
    if new_chair.pk != session.chair_id and not new_chair.has_role("forum_chair"):
        errors["chair"] = (
            f"{new_chair} is not a forum chair: choose a senior manager who chairs forums"
        )
    if errors:
        raise ValidationError(errors)

    old = ForumSession(
        forum_date=session.forum_date,
        start_time=session.start_time,
        slot_minutes=session.slot_minutes,
        venue=session.venue,
        chair=session.chair,
        slot_count=session.slot_count,
    )
    changed = {
        "moved": (new_date, new_time) != (old.forum_date, old.start_time),
        "venue_changed": new_venue != old.venue,
        "chair_changed": new_chair.pk != old.chair.pk,
        "slots_changed": new_slots != old.slot_count,
    }
    if not any(changed.values()):
        raise ValidationError(
            "Nothing has changed: change the date, time, venue, chair or number of slots"
        )

    session.forum_date, session.start_time, session.venue = new_date, new_time, new_venue
    session.slot_count, session.chair = new_slots, new_chair
    # Saving the session is what moves each booked child's stored Part 1 deadline: the tracker
    # refreshes the children of a saved session once this commits.
    save_with_history(session, by=by, reason=f"Session changed: {reason}")
    reslotted = _fit_into_slots(session, bookings, by=by)

    context = {
        **changed,
        "old": old,
        "session": session,
        "reason": reason.rstrip("."),  # the messages add their own full stop
        "part1_due": session.part1_due_at,
        "booked": len(bookings),
    }
    workers = _by_worker(bookings)
    tell_workers = changed["moved"] or changed["venue_changed"] or changed["chair_changed"]

    def notices() -> None:
        notes = []
        for worker, theirs in workers.items():
            if tell_workers or any(b.pk in reslotted for b in theirs):
                notes += _notes(
                    [worker], "session_changed", {**context, "theirs": theirs}, _link_for(theirs)
                )
        link = path("forums:session-agenda", session.pk)
        notes += _notes([session.chair], "session_changed_chair", context, link)
        if changed["chair_changed"]:
            notes += _notes([old.chair], "session_chair_released", context, "")
        notify_many(notes)

    transaction.on_commit(notices)
    return session


def _when_at(day: dt.date, time: dt.time) -> str:
    return f"{day:%A %-d %B %Y} at {time:%H:%M}"


def _fit_into_slots(session: ForumSession, bookings: list[Booking], *, by: User) -> set[int]:
    """Fewer slots: a booking beyond the last slot moves to the first free one (one a slot)."""
    taken = {b.slot_number for b in bookings if b.slot_number <= session.slot_count}
    free = iter(n for n in range(1, session.slot_count + 1) if n not in taken)
    moved = set()
    for booking in bookings:
        if booking.slot_number <= session.slot_count:
            continue
        old_number, booking.slot_number = booking.slot_number, next(free)
        _save_booking(
            booking,
            by=by,
            reason=f"Moved from slot {old_number} to slot {booking.slot_number}: "
            f"the forum now has {session.slot_count} slots",
        )
        moved.add(booking.pk)
    return moved


@transaction.atomic
def session_cancel(*, session: ForumSession, by: User, reason: str) -> ForumSession:
    """CPS duty cancels a forum not yet held: every booking in it is cancelled and each social
    worker told to book the child into another forum (seed 000)."""
    require(by, "forums.change_forumsession", session)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for cancelling the forum"})
    session = _lock_session(session)
    bookings = _lock_live_bookings(session)
    _refuse_if_closed(session, bookings, "cancelled")
    for booking in bookings:
        transition(booking, "cancel", by, by=by, reason=f"The forum was cancelled: {reason}")
        _save_booking(booking, by=by, reason=f"Forum cancelled: {reason}")
    session.cancelled_at = timezone.now()
    session.cancelled_by = by
    session.cancelled_reason = reason
    save_with_history(session, by=by, reason=f"Forum cancelled: {reason}")

    context = {"session": session, "reason": reason.rstrip("."), "booked": len(bookings)}
    workers = _by_worker(bookings)

    def notices() -> None:
        notes = []
        for worker, theirs in workers.items():
            notes += _notes(
                [worker], "session_cancelled", {**context, "theirs": theirs}, _link_for(theirs)
            )
        link = path("forums:session-detail", session.pk)
        notes += _notes([session.chair], "session_cancelled_chair", context, link)
        notify_many(notes)

    transaction.on_commit(notices)
    return session


# -- bookings ---------------------------------------------------------------------------------


@transaction.atomic
def booking_request(
    *,
    session: ForumSession,
    child: Child,
    by: User,
    pathway: str,
    connected_placement_broken_down: bool = False,
    breakdown_details: str = "",
) -> Booking:
    """A social worker asks for a forum slot for a child; one child a slot, never two (000)."""
    require(by, "forums.add_booking", child)
    # Lock the child, then the session, always in that order: two requests for one child queue on
    # the child, two requests for one session queue on the session, and neither can deadlock.
    child = Child.objects.select_for_update().get(pk=child.pk)
    session = ForumSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise ValidationError(
            {"session": f"The forum on {_when(session)} has been cancelled: choose another session"}
        )
    if session.has_started():
        raise ValidationError(
            {
                "session": f"The forum on {_when(session)} has already taken place: "
                "choose a later session"
            }
        )
    _check_exemption(child, connected_placement_broken_down, breakdown_details)
    if connected_person_episode(child) is None:
        connected_placement_broken_down, breakdown_details = False, ""
    existing = Booking.objects.open().filter(child=child).select_related("session").first()
    if existing is not None:
        if existing.session_id == session.pk:
            message = f"{child.full_name} is already booked into this session"
        else:
            message = (
                f"{child.full_name} already has a booking for the forum on "
                f"{_when(existing.session)} ({existing.get_status_display().lower()}): "
                "withdraw it before booking another session"
            )
        raise ValidationError({"child": message})
    if Booking.objects.live().filter(child=child, session=session).exists():
        raise ValidationError({"child": f"{child.full_name} has already been to this session"})
    taken = set(
        Booking.objects.live().filter(session=session).values_list("slot_number", flat=True)
    )
    free = next((n for n in range(1, session.slot_count + 1) if n not in taken), None)
    if free is None:
        raise ValidationError(
            {
                "session": f"The forum on {_when(session)} is full: all {session.slot_count} "
                "slots are taken. Choose another session"
            }
        )
    second_review = child_date("second_review", child=child)
    booking = Booking(
        session=session,
        child=child,
        after_second_review_on=(
            second_review if second_review and session.forum_date > second_review else None
        ),
        slot_number=free,
        pathway=pathway,
        connected_placement_broken_down=connected_placement_broken_down,
        breakdown_details=breakdown_details,
        requested_by=by,
    )
    try:
        # The database's unique constraints are the last word if anything got past the locks.
        with transaction.atomic():
            _save_booking(booking, by=by, reason="Forum slot requested")
    except IntegrityError as exc:
        raise ValidationError(
            {"session": "That slot has just been taken: choose the session again"}
        ) from exc
    transaction.on_commit(
        lambda: notify(
            recipients=cps_duty_for(child),
            subject=f"Forum slot requested for {child_label(child)}",
            body=f"Slot {free} at the forum on {_when(session)}, requested by {by}.",
            link=path("forums:booking-detail", booking.pk),
        )
    )
    return booking


def _check_exemption(child: Child, broken_down: bool, details: str) -> None:
    """A child placed with a connected person needs no forum unless that placement broke down."""
    episode = connected_person_episode(child)
    if episode is None:
        return
    if not broken_down:
        raise ValidationError(
            {
                "connected_placement_broken_down": (
                    f"{child.full_name} is placed with a connected person (placement type "
                    f"{episode.place}), so does not need a permanency forum: the plan is most "
                    "likely a Special Guardianship Order within "
                    f"{timescale('sgo_made').offset} of the placement starting. If "
                    "the placement has broken down, say so and describe what happened"
                )
            }
        )
    if not details.strip():
        raise ValidationError(
            {"breakdown_details": "Describe how the connected-person placement broke down"}
        )


@transaction.atomic
def booking_confirm(*, booking: Booking, by: User) -> Booking:
    """CPS duty confirms the requested slot (seed 000)."""
    require(by, "forums.confirm_booking", booking)
    booking = _lock_booking(booking)
    transition(booking, "confirm", by, by=by)
    _save_booking(booking, by=by, reason="Slot confirmed by CPS duty")
    part1 = (
        "Part 1 is already in."
        if booking.status == Booking.Status.PART1_SUBMITTED
        else f"Part 1 is due by {booking.session.part1_due_at:%H:%M on %A %-d %B %Y}."
    )
    _tell_worker(
        booking,
        subject=f"Forum slot confirmed for {child_label(booking.child)}",
        body=(
            f"Slot {booking.slot_number} at {booking.slot_starts_at:%H:%M} on "
            f"{_when(booking.session)}. {part1}"
        ),
    )
    return booking


@transaction.atomic
def booking_decline(*, booking: Booking, by: User, reason: str) -> Booking:
    """CPS duty declines the request and says why (seed 000)."""
    require(by, "forums.confirm_booking", booking)
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for declining the booking"})
    booking = _lock_booking(booking)
    transition(booking, "decline", by, by=by, reason=reason.strip())
    _save_booking(booking, by=by, reason=f"Declined: {reason.strip()}")
    _tell_worker(
        booking,
        subject=f"Forum slot declined for {child_label(booking.child)}",
        body=f"CPS duty declined the slot on {_when(booking.session)}: {reason.strip()}",
    )
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by: User, reason: str) -> Booking:
    """CPS duty cancels a booking before the forum, freeing the slot (seed 000)."""
    require(by, "forums.confirm_booking", booking)
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for cancelling the booking"})
    booking = _lock_booking(booking)
    transition(booking, "cancel", by, by=by, reason=reason.strip())
    _save_booking(booking, by=by, reason=f"Cancelled: {reason.strip()}")
    _tell_worker(
        booking,
        subject=f"Forum booking cancelled for {child_label(booking.child)}",
        body=f"CPS duty cancelled the slot on {_when(booking.session)}: {reason.strip()}",
    )
    return booking


@transaction.atomic
def booking_withdraw(*, booking: Booking, by: User, reason: str) -> Booking:
    """The social worker withdraws the booking before the forum, freeing the slot."""
    require(by, "forums.withdraw_booking", booking)
    if not reason.strip():
        raise ValidationError({"reason": "Enter the reason for withdrawing the booking"})
    booking = _lock_booking(booking)
    transition(booking, "withdraw", by, by=by, reason=reason.strip())
    _save_booking(booking, by=by, reason=f"Withdrawn: {reason.strip()}")
    transaction.on_commit(
        lambda: notify(
            recipients=cps_duty_for(booking.child),
            subject=f"Forum booking withdrawn for {child_label(booking.child)}",
            body=f"The slot on {_when(booking.session)} is free again: {reason.strip()}",
            link=path("forums:booking-detail", booking.pk),
        )
    )
    return booking


def _tell_worker(booking: Booking, *, subject: str, body: str) -> None:
    recipients = [booking.requested_by, booking.child.social_worker]
    transaction.on_commit(
        lambda: notify(
            recipients=recipients,
            subject=subject,
            body=body,
            link=path("forums:booking-detail", booking.pk),
        )
    )


# -- Part 1 -----------------------------------------------------------------------------------


@transaction.atomic
def part1_save(*, booking: Booking, by: User, **fields) -> Part1:
    """Save Part 1 as a draft; once submitted it is read-only (seed 000, SPEC §4)."""
    require(by, "forums.change_part1", booking)
    booking = _lock_booking(booking)
    unknown = set(fields) - set(Part1.CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown Part 1 fields: {sorted(unknown)}")
    part1 = Part1.objects.filter(booking=booking).first() or Part1(booking=booking)
    if part1.is_submitted:
        raise ValidationError(
            "Part 1 was submitted on "
            f"{timezone.localtime(part1.submitted_at):%-d %B %Y at %H:%M} and can no longer be "
            "changed"
        )
    if booking.status not in (Booking.Status.REQUESTED, Booking.Status.CONFIRMED):
        raise ValidationError(
            f"This booking is {booking.get_status_display().lower()}: Part 1 cannot be changed"
        )
    for name, value in fields.items():
        setattr(part1, name, value or "")
    save_with_history(part1, by=by, reason="Part 1 draft saved")
    return part1


PART1_REQUIRED = {
    "reason_for_referral": "Enter the reason for referral",
    "child_situation": "Describe the child's situation and needs",
    "family_explored": "Describe the family members and connected persons explored",
    "child_consulted": "Say whether the child was consulted",
    "parents_consulted": "Say whether the parents were consulted",
    "others_consulted": "Say whether other important people were consulted",
    "options_considered": "Describe the options considered",
    "proposed_route": "Select the proposed route to permanence",
    "contingency_route": "Select the contingency route",
}
VIEWS_FOR = {
    "child_consulted": ("child_views", "the child"),
    "parents_consulted": ("parents_views", "the parents"),
    "others_consulted": ("others_views", "other important people"),
}


def part1_errors(part1: Part1) -> dict[str, str]:
    """What Part 1 still needs before it can be submitted (seed 000 Purpose: views sought)."""
    errors = {
        name: message
        for name, message in PART1_REQUIRED.items()
        if not (getattr(part1, name) or "").strip()
    }
    for consulted, (views, who) in VIEWS_FOR.items():
        answer = getattr(part1, consulted)
        if answer and not (getattr(part1, views) or "").strip():
            errors[views] = (
                f"Enter the views of {who}"
                if answer == "yes"
                else f"Explain why {who} {'was' if who == 'the child' else 'were'} not consulted"
            )
    if (
        part1.proposed_route
        and part1.contingency_route
        and part1.proposed_route == part1.contingency_route
    ):
        errors["contingency_route"] = "The contingency route must differ from the proposed route"
    return errors


@transaction.atomic
def part1_submit(*, booking: Booking, by: User) -> Part1:
    """Submit Part 1 to CPS duty, due 3 working days before the forum at 17:00 (seed 000)."""
    require(by, "forums.change_part1", booking)
    booking = _lock_booking(booking)
    part1 = Part1.objects.select_for_update().filter(booking=booking).first()
    if part1 is None:
        raise ValidationError("Write Part 1 before submitting it")
    if part1.is_submitted:
        raise ValidationError("Part 1 has already been submitted")
    # A request not yet confirmed takes Part 1 too: its cut-off counts back from the forum's
    # date, whenever CPS duty replies (seed 000).
    errors = part1_errors(part1)
    if errors:
        raise ValidationError(errors)
    part1.submitted_at = timezone.now()
    part1.submitted_by = by
    late = part1.was_late
    transition(booking, "submit_part1", by)
    save_with_history(part1, by=by, reason="Part 1 submitted late" if late else "Part 1 submitted")
    _save_booking(booking, by=by, reason="Part 1 submitted")
    due = booking.session.part1_due_at
    unconfirmed = (
        " The slot is still to be confirmed." if booking.status == Booking.Status.REQUESTED else ""
    )
    transaction.on_commit(
        lambda: notify(
            recipients=[*cps_duty_for(booking.child), booking.session.chair],
            subject=f"Part 1 submitted{' late' if late else ''} for {child_label(booking.child)}",
            body=f"For the forum on {_when(booking.session)}; it was due by "
            f"{due:%H:%M on %A %-d %B %Y}.{unconfirmed}",
            link=path("forums:part1-detail", booking.pk),
        )
    )
    return part1


# -- at the forum: presented, Part 2 -----------------------------------------------------------


@transaction.atomic
def booking_present(*, booking: Booking, by: User) -> Booking:
    """The chair records that the social worker presented the case at the forum (seed 000)."""
    require(by, "forums.change_part2", booking)
    booking = _lock_booking(booking)
    # The forum's day is a condition of the transition (forum_day_has_come), which gives the
    # reason; only the state's own refusal is worded here.
    refused = (
        "Part 1 has not been submitted: the social worker must submit it before the case is "
        "presented"
        if booking.status == Booking.Status.CONFIRMED
        else None
    )
    transition(booking, "present", by, refused=refused)
    return _save_booking(booking, by=by, reason="Presented at the forum")


@dataclass(frozen=True)
class TaskInput:
    what: str
    owner: User
    due_on: dt.date
    is_child_permanence_report: bool = False


CPR_TASK = "Complete the Child Permanence Report"


@transaction.atomic
def part2_save(
    *,
    booking: Booking,
    by: User,
    advice: str,
    advised_route: str,
    advised_contingency_route: str = "",
    tasks: list[TaskInput],
    sgo_with_relatives: bool = False,
) -> Part2:
    """The chair writes Part 2: advice and tasks with owners and due dates (seed 000)."""
    require(by, "forums.change_part2", booking)
    booking = _lock_booking(booking)
    part2 = Part2.objects.filter(booking=booking).first() or Part2(booking=booking)
    if part2.is_sent:
        raise ValidationError("Part 2 has been sent and can no longer be changed")
    if booking.status not in (Booking.Status.PART1_SUBMITTED, Booking.Status.PRESENTED):
        raise ValidationError(
            f"This booking is {booking.get_status_display().lower()}: Part 2 cannot be written"
        )
    part2.advice = advice
    part2.advised_route = advised_route
    part2.advised_contingency_route = advised_contingency_route
    part2.sgo_with_relatives = sgo_with_relatives and advised_route == plans.Route.SGO_CAO
    save_with_history(part2, by=by, reason="Part 2 draft saved")
    for old in part2.tasks.all():
        old._history_user = by
        old.delete()
    for position, task in enumerate(tasks):
        save_with_history(
            Part2Task(
                part2=part2,
                what=task.what,
                owner=task.owner,
                due_on=task.due_on,
                is_child_permanence_report=task.is_child_permanence_report,
                position=position,
            ),
            by=by,
            reason="Part 2 task",
        )
    return part2


def part2_errors(part2: Part2) -> dict[str, str]:
    """What Part 2 needs before it is sent: advice, a task with an owner, a CPR if needed (000)."""
    errors = {}
    if not part2.advice.strip():
        errors["advice"] = "Enter the forum's advice"
    if not part2.advised_route:
        errors["advised_route"] = "Select the route to permanence the forum advises"
    tasks = list(part2.tasks.all())
    if not any(t.owner_id for t in tasks):
        errors["task_1_what"] = "Add at least one task with an owner and a due date"
    if plans.needs_child_permanence_report(
        part2.advised_route, sgo_with_relatives=part2.sgo_with_relatives
    ) and not any(t.is_child_permanence_report for t in tasks):
        errors["cpr_owner"] = (
            "The advised route is outside the birth family: give the Child Permanence Report "
            "task an owner and a due date"
        )
    return errors


@transaction.atomic
def part2_send(*, booking: Booking, by: User) -> Part2:
    """Send Part 2: the plan is presented, tasks become plan actions, the IRO gets a copy (000)."""
    require(by, "forums.change_part2", booking)
    booking = _lock_booking(booking)
    part2 = Part2.objects.select_for_update().filter(booking=booking).first()
    if part2 is None:
        raise ValidationError("Write Part 2 before sending it")
    if part2.is_sent:
        raise ValidationError("Part 2 has already been sent")
    if booking.status == Booking.Status.PART1_SUBMITTED:
        raise ValidationError(
            "Record that the case was presented at the forum before sending Part 2"
        )
    errors = part2_errors(part2)
    if errors:
        raise ValidationError(errors)
    child = booking.child
    forum_day = f"{booking.session.forum_date:%-d %B %Y}"
    part2.sent_at = timezone.now()
    part2.sent_by = by
    before = plans.current_plan(child=child)
    if before is not None and before.route != part2.advised_route:
        part2.plan_route_when_sent = before.route
    transition(booking, "send_part2", by)
    save_with_history(part2, by=by, reason="Part 2 sent")
    _save_booking(booking, by=by, reason="Part 2 sent")
    plan = plans.present_plan(
        child=child,
        by=by,
        route=part2.advised_route,
        contingency_route=part2.advised_contingency_route,
        reason=f"Permanency forum advice received ({forum_day})",
    )
    for task in part2.tasks.select_related("owner"):
        action = plans.add_plan_action(
            plan=plan,
            by=by,
            what=task.what,
            owner=task.owner,
            due_on=task.due_on,
            source=f"Permanency forum Part 2, {forum_day}",
        )
        task.plan_action_id = action.pk
        save_with_history(task, by=by, reason="Became a plan action")
    transaction.on_commit(lambda: _part2_notices(booking, part2, forum_day))
    return part2


def _part2_notices(booking: Booking, part2: Part2, forum_day: str) -> None:
    """Part 2 goes back to the social worker with a copy to the IRO (seed 000)."""
    child = booking.child
    link = path("forums:part2-detail", booking.pk)
    owners = [t.owner for t in part2.tasks.select_related("owner")]
    workers = [w for w in (booking.requested_by, child.social_worker) if w is not None]
    count = f"{len(owners)} task{'s' if len(owners) != 1 else ''}"
    notify(
        recipients=workers,
        subject=f"Part 2 from the permanency forum for {child_label(child)}",
        body=f"The forum on {forum_day} has sent its advice and {count}.",
        link=link,
    )
    if child.iro is not None:
        notify(
            recipients=[child.iro],
            subject=f"Copy of Part 2 for {child_label(child)}",
            body=f"The permanency forum on {forum_day} has sent its advice to the social "
            "worker; this is your copy.",
            link=link,
        )
    # Each task's owner hears of it from the plan, as a new plan action.
