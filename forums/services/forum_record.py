"""Writes for the forum's own record (seed 000): the papers sent with Part 1, the chair's note of
who attended and the minutes, and Part 2's tasks ticked off where Part 2 is read."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from forums import plans
from forums.models import Booking, ForumSession, Part1, Part1Attachment, Part2Task
from forums.services.common import require
from forums.services.meetings import MATCHING_REPORT_MAX_BYTES, MATCHING_REPORT_TYPES
from permanence import uploads
from permanence.history import save_with_history
from permanence.models import User

# The papers Part 1 takes are documents, like the matching report: PDF, Word, ODT or RTF.
PAPER_TYPES = MATCHING_REPORT_TYPES
PAPER_MAX_BYTES = MATCHING_REPORT_MAX_BYTES


def _check_paper(upload: UploadedFile) -> str:
    """The file's type, from its name and checked against its content, and its size."""
    name = PurePath(upload.name or "").name
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in PAPER_TYPES:
        raise ValidationError(
            {"attachment": f"{name or 'The file'} must be a PDF, Word, ODT or RTF document"}
        )
    if upload.size > PAPER_MAX_BYTES:
        raise ValidationError(
            {
                "attachment": f"{name} must be smaller than "
                f"{uploads.megabytes(PAPER_MAX_BYTES)}: save it again with fewer pages or "
                "lower-resolution images"
            }
        )
    if upload.size == 0:
        raise ValidationError({"attachment": f"{name} is empty: choose the file again"})
    try:
        uploads.check_document(name, upload, suffix=suffix, label="paper")
    except uploads.UploadRefused as exc:
        raise ValidationError({"attachment": str(exc)}) from exc
    return suffix


@transaction.atomic
def part1_attach(*, booking: Booking, by: User, kind: str, upload: UploadedFile) -> Part1Attachment:
    """Attach a paper (genogram, chronology, assessment) to Part 1 before it is submitted; it is
    stored under a random name, outside the public files, and read only through the page that
    checks the reader may see the child."""
    require(by, "forums.change_part1", booking)
    booking = Booking.objects.select_for_update().select_related("child").get(pk=booking.pk)
    if kind not in Part1Attachment.Kind.values:
        raise ValidationError({"attachment_kind": "Select what the paper is"})
    part1 = Part1.objects.filter(booking=booking).first()
    if part1 is not None and part1.is_submitted:
        raise ValidationError("Part 1 has been submitted: no more papers can be attached to it")
    if booking.status not in (Booking.Status.REQUESTED, Booking.Status.CONFIRMED):
        raise ValidationError(
            f"This booking is {booking.get_status_display().lower()}: papers cannot be attached"
        )
    _check_paper(upload)
    if part1 is None:
        part1 = save_with_history(Part1(booking=booking), by=by, reason="Part 1 draft saved")
    name = PurePath(upload.name).name[:255]
    attachment = Part1Attachment(
        part1=part1, kind=kind, original_name=name, size=upload.size, uploaded_by=by
    )
    attachment.file.save(name, upload, save=False)
    return save_with_history(attachment, by=by, reason=f"Attached to Part 1: {name}")


@transaction.atomic
def part1_detach(*, attachment: Part1Attachment, by: User) -> None:
    """Take a paper off a Part 1 not yet submitted."""
    require(by, "forums.change_part1", attachment.part1.booking)
    # Read again under the booking's lock: Part 1 may have been submitted meanwhile.
    Booking.objects.select_for_update().filter(pk=attachment.part1.booking_id).first()
    attachment = Part1Attachment.objects.select_related("part1").get(pk=attachment.pk)
    if attachment.part1.is_submitted:
        raise ValidationError("Part 1 has been submitted: its papers can no longer be removed")
    attachment._history_user = by
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


@transaction.atomic
def session_minutes_record(
    *,
    session: ForumSession,
    by: User,
    attendees: list[User],
    other_attendees: str,
    minutes: str,
) -> ForumSession:
    """The chair records who attended the forum and its minutes, on or after its day."""
    if not by.has_perm("forums.record_forum_minutes", session):
        raise PermissionDenied
    session = ForumSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    errors = {}
    if session.is_cancelled:
        raise ValidationError("This forum was cancelled: there is nothing to minute")
    if session.forum_date > timezone.localdate():
        errors["minutes"] = (
            f"The forum is on {session.forum_date:%-d %B %Y}: record its minutes on the day "
            "or after"
        )
    elif not minutes.strip():
        errors["minutes"] = "Enter the minutes of the forum"
    if not attendees:
        errors["attendees"] = "Select who attended from the staff"
    if errors:
        raise ValidationError(errors)
    session.other_attendees = other_attendees.strip()
    session.minutes = minutes.strip()
    session.minutes_recorded_at = timezone.now()
    session.minutes_recorded_by = by
    save_with_history(session, by=by, reason="Attendance and minutes recorded")
    session.attendees.set(attendees)
    return session


def part2_task_done(*, task: Part2Task, by: User):
    """A task the forum set is done: the plan action it became is ticked, by whoever the plan's
    rule lets tick it (the owner, or those who edit the child's case)."""
    if not task.part2.is_sent or not task.plan_action_id:
        raise ValidationError("Part 2 has not been sent: its tasks are ticked once it is")
    action = plans.plan_actions([task.plan_action_id]).get(task.plan_action_id)
    if action is None:
        raise ValidationError("This task is no longer on the plan")
    return plans.complete_plan_action(action=action, by=by)
