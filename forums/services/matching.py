"""Matching (000 "Matching process", 003 "Long-term fostering", "Match to IFA", "Family
finding"): the matching meeting, the adoption or fostering panel with its bundle, the panel's
recommendation, the agency decision maker's decision and, for long-term fostering, the head of
service's ratification. The outcome of each is written onto the permanence app's
`PotentialMatch`, so that the plan can be achieved only from that evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from forums.models import Meeting, MeetingType
from forums.models.meetings import (
    BUNDLE_PANEL_KINDS,
    PANEL_ATTENDEES,
    PANEL_BUNDLE,
    PANEL_KINDS,
    Invitee,
    bundle_for,
)
from forums.services.common import child_label, cps_duty_for, path, require
from forums.services.meetings import _check_report_file as check_report_file
from forums.services.meetings import matching_papers_errors
from permanence.history import save_with_history
from permanence.models import PotentialMatch, User
from permanence.notifications import notify
from permanence.roles import Role
from permanence.timescales import timescale

Kind = MeetingType.Kind
# The date fields of the bundle besides Form F and the Child Permanence Report, which the older
# matching panel already held.
BUNDLE_DATE_FIELDS = tuple(
    item.field
    for item in PANEL_BUNDLE
    if item.field not in ("matching_report", "form_f_updated_on", "cpr_updated_on")
)
CLOSED_OUTCOMES = (PotentialMatch.Outcome.RULED_OUT, PotentialMatch.Outcome.WITHDRAWN)


def open_matches(child):
    """The households still in the running for the child (not ruled out or withdrawn)."""
    return (
        PotentialMatch.objects.filter(plan__child=child)
        .exclude(outcome__in=CLOSED_OUTCOMES)
        .select_related("carer", "plan")
        .order_by("considered_on", "pk")
    )


def matching_meeting_for(potential_match: PotentialMatch | None) -> Meeting | None:
    """The latest held matching meeting for the match, with its report (000: the panel hears a
    match from the matching report written after the matching meeting)."""
    if potential_match is None:
        return None
    return (
        Meeting.objects.filter(
            potential_match=potential_match,
            meeting_type__kind=Kind.MATCHING_MEETING,
            held_on__isnull=False,
        )
        .exclude(matching_report="")
        .order_by("-held_on", "-pk")
        .first()
    )


def _paper_label(label: str) -> str:
    return label if label.startswith(("Form F", "Child", "DBS")) else label[0].lower() + label[1:]


def bundle_errors(
    *,
    kind: str,
    panel_date: dt.date,
    papers_on: dict[str, dt.date | None],
    has_matching_report: bool,
) -> dict[str, str]:
    """Every paper of the panel's bundle (003), present and current: Form F and the Child
    Permanence Report by their own rules (000); the carers' other assessment papers by Form F's,
    the child's permanency assessment by the report's."""
    errors = matching_papers_errors(
        panel_date=panel_date,
        form_f_updated_on=papers_on.get("form_f_updated_on"),
        cpr_updated_on=papers_on.get("cpr_updated_on"),
        has_matching_report=has_matching_report,
    )
    today = timezone.localdate()
    for item in bundle_for(kind):
        if item.field not in BUNDLE_DATE_FIELDS:
            continue
        day = papers_on.get(item.field)
        name = _paper_label(item.label)
        # "References" and "DBS checks and medicals" are plural.
        was, is_, it = ("were", "are", "they") if item.label.endswith("s") else ("was", "is", "it")
        if day is None:
            errors[item.field] = f"Enter the date the {name} {was} completed or updated"
        elif day > today:
            errors[item.field] = f"The date of the {name} cannot be in the future"
        else:
            rule = timescale(item.current_by).offset
            if rule.apply(day) <= panel_date:
                errors[item.field] = (
                    f"The {name} {is_} out of date: {it} {was} completed on {day:%-d %B %Y}, "
                    f"{rule} or more before the panel on {panel_date:%-d %B %Y}. Ask for an "
                    "updated copy"
                )
    return errors


def _match_errors(meeting: Meeting, potential_match: PotentialMatch | None) -> dict[str, str]:
    if potential_match is None:
        return {"potential_match": "Select the household proposed for the child"}
    if potential_match.plan.child_id != meeting.child_id:
        return {"potential_match": "Select a household considered for this child"}
    if potential_match.outcome in CLOSED_OUTCOMES:
        return {
            "potential_match": f"{potential_match.carer} was "
            f"{potential_match.get_outcome_display().lower()}: select a household still "
            "being considered"
        }
    return {}


def prepare(
    meeting: Meeting,
    *,
    arranged_by: User | None,
    chair: User | None,
    potential_match: PotentialMatch | None,
    matching_report: UploadedFile | None,
    papers_on: dict[str, dt.date | None],
) -> None:
    """Check and fill a new matching meeting or adoption or fostering panel before it is saved;
    every problem is raised at once, each beside its field."""
    kind = meeting.meeting_type.kind
    errors = _match_errors(meeting, potential_match)
    if kind == Kind.MATCHING_MEETING:
        if arranged_by is None:
            errors["arranged_by"] = "Select who arranged the matching meeting"
        if chair is None:
            errors["chair"] = "Select who chairs the matching meeting"
        if errors:
            raise ValidationError(errors)
        meeting.arranged_by = arranged_by
        meeting.chair = chair
        meeting.potential_match = potential_match
        meeting.match_carers = potential_match.carer.name
        return
    earlier = matching_meeting_for(potential_match) if not errors else None
    if not errors and earlier is None and matching_report is None:
        errors["potential_match"] = (
            f"Hold the matching meeting for {potential_match.carer} and record its report "
            "before the match goes to panel"
        )
    if not errors and not _panel_fits(kind, potential_match):
        errors["potential_match"] = _wrong_panel(kind, potential_match)
    errors |= bundle_errors(
        kind=kind,
        panel_date=meeting.scheduled_for,
        papers_on=papers_on,
        has_matching_report=matching_report is not None or earlier is not None,
    )
    if errors:
        raise ValidationError(errors)
    check_report_file(matching_report)
    meeting.potential_match = potential_match
    meeting.match_carers = potential_match.carer.name
    for item in bundle_for(kind):
        if item.field != "matching_report":
            setattr(meeting, item.field, papers_on.get(item.field))
    # The report written from the matching meeting, unless a newer one is attached here.
    meeting.matching_report = matching_report or earlier.matching_report.name


def _panel_fits(kind: str, potential_match: PotentialMatch) -> bool:
    """Adopters' matches go to the adoption panel and foster carers' to the fostering panel
    (000: "approved either by the Adoption Panel or by the Fostering Panel")."""
    return potential_match.carer.is_adopters == (kind == Kind.ADOPTION_PANEL)


def _wrong_panel(kind: str, potential_match: PotentialMatch) -> str:
    if kind == Kind.ADOPTION_PANEL:
        return (
            f"{potential_match.carer} are not approved adopters: a match with foster carers "
            "goes to the fostering panel"
        )
    return f"{potential_match.carer} are approved adopters: their match goes to the adoption panel"


def record_errors(
    kind: str,
    *,
    matching_report: UploadedFile | None,
    attended_roles: Iterable[str],
    match_recommendation: str,
) -> dict[str, str]:
    """What the matching meeting and the panel must record (000, 003)."""
    errors = {}
    if kind == Kind.MATCHING_MEETING and matching_report is None:
        errors["matching_report"] = (
            "Attach the matching report written from the meeting: the panel hears the match from it"
        )
    if kind in BUNDLE_PANEL_KINDS:
        attended = set(attended_roles)
        missing = [Invitee(c).label for c in PANEL_ATTENDEES if c not in attended]
        if not attended <= set(Invitee.values):
            errors["attended_roles"] = "Select who attended from the list"
        elif missing:
            errors["attended_roles"] = (
                "The social worker, the permanency worker and the carers attend the panel. "
                "Not ticked: " + ", ".join(missing).lower()
            )
    if kind in PANEL_KINDS and not match_recommendation:
        errors["match_recommendation"] = "Select the panel's recommendation on the match"
    return errors


def recorded(
    meeting: Meeting,
    *,
    by: User,
    matching_report: UploadedFile | None,
    attended_roles: Iterable[str],
) -> None:
    """After the meeting's own record: the matching report kept, who attended by role, and the
    panel's recommendation written onto the match (000)."""
    kind = meeting.meeting_type.kind
    if kind == Kind.MATCHING_MEETING:
        check_report_file(matching_report)
        meeting.matching_report = matching_report
        save_with_history(meeting, by=by, reason="Matching report attached")
        match = meeting.potential_match
        if match is not None and match.outcome == PotentialMatch.Outcome.CONSIDERING:
            match.outcome = PotentialMatch.Outcome.PROCEEDING
            save_with_history(match, by=by, reason=f"Matching meeting held on {meeting.held_on}")
        return
    if kind in BUNDLE_PANEL_KINDS:
        meeting.attended_roles = [c for c in Invitee.values if c in set(attended_roles)]
        save_with_history(meeting, by=by, reason="Who attended the panel")
    match = meeting.potential_match
    if kind in PANEL_KINDS and match is not None:
        match = PotentialMatch.objects.select_for_update().get(pk=match.pk)
        match.panel_recommendation = meeting.match_recommendation
        match.panel_on = meeting.held_on
        save_with_history(
            match,
            by=by,
            reason=f"{meeting.meeting_type} on {meeting.held_on:%-d %B %Y}: "
            f"{meeting.get_match_recommendation_display().lower()}",
        )


def needs_ratification(meeting: Meeting) -> bool:
    """Long-term fostering matches are ratified by the head of service after the agency
    decision maker approves them (003: "Match recommended and ratified by HOS")."""
    return meeting.meeting_type.kind == Kind.FOSTERING_PANEL


def decision_errors(
    meeting: Meeting, *, decision: str, decided_on: dt.date | None, decided_by: str
) -> dict[str, str]:
    match = meeting.potential_match
    if meeting.meeting_type.kind not in PANEL_KINDS or match is None:
        return {"decision": "Only a panel that heard a proposed match takes a decision on it"}
    if meeting.held_on is None or not match.panel_recommendation:
        return {
            "decision": "The agency decision maker decides after the panel: record the panel's "
            "recommendation first"
        }
    if match.decision:
        return {
            "decision": f"The decision was recorded on {match.decided_on:%-d %B %Y}: "
            f"{match.get_decision_display().lower()}"
        }
    errors = {}
    if decision not in PotentialMatch.Decision.values:
        errors["decision"] = "Select the agency decision maker's decision"
    if decided_on is None:
        errors["decided_on"] = "Enter the date of the decision"
    elif decided_on < meeting.held_on:
        errors["decided_on"] = (
            f"The decision cannot come before the panel: the panel sat on "
            f"{meeting.held_on:%-d %B %Y}"
        )
    elif decided_on > timezone.localdate():
        errors["decided_on"] = "The date of the decision cannot be in the future"
    if not decided_by.strip():
        errors["decided_by"] = "Enter the name of the agency decision maker"
    return errors


@transaction.atomic
def match_decision_record(
    *, meeting: Meeting, by: User, decision: str, decided_on: dt.date | None, decided_by: str
) -> PotentialMatch:
    """The agency decision maker's decision on the panel's recommendation: date, decision and
    who (000). Refused before the panel has recommended."""
    require(by, "forums.change_meeting", meeting)
    meeting = Meeting.objects.select_related("meeting_type", "potential_match").get(pk=meeting.pk)
    if meeting.potential_match_id:
        meeting.potential_match = PotentialMatch.objects.select_for_update().get(
            pk=meeting.potential_match_id
        )
    errors = decision_errors(
        meeting, decision=decision, decided_on=decided_on, decided_by=decided_by
    )
    if errors:
        raise ValidationError(errors)
    match = meeting.potential_match
    match.decision = decision
    match.decided_on = decided_on
    match.decided_by = decided_by.strip()
    if decision == PotentialMatch.Decision.APPROVED:
        match.outcome = PotentialMatch.Outcome.MATCHED
    save_with_history(
        match,
        by=by,
        reason=f"Agency decision maker's decision on {decided_on:%-d %B %Y}: "
        f"{match.get_decision_display().lower()}",
    )
    child = meeting.child
    told = [user for user in (child.social_worker, *cps_duty_for(child)) if user]
    if needs_ratification(meeting) and decision == PotentialMatch.Decision.APPROVED:
        from permanence.access import who_may_see
        from permanence.selectors import staff_with_role

        told += list(who_may_see(staff_with_role(role=Role.HEAD_OF_SERVICE), child))
    body = f"{match.carer}: {match.get_decision_display().lower()} on {decided_on:%-d %B %Y}."
    if needs_ratification(meeting) and decision == PotentialMatch.Decision.APPROVED:
        body += " The head of service ratifies the long-term fostering match."
    transaction.on_commit(
        lambda: notify(
            recipients=[user for user in {u.pk: u for u in told}.values() if user.pk != by.pk],
            subject=f"The agency decision maker's decision on the match for {child_label(child)}",
            body=body,
            link=path("forums:meeting-detail", meeting.pk),
        )
    )
    return match


def may_ratify(user: User) -> bool:
    return user.has_role(Role.HEAD_OF_SERVICE)


@transaction.atomic
def match_ratify(*, meeting: Meeting, by: User, ratified_on: dt.date | None) -> PotentialMatch:
    """The head of service ratifies an approved long-term fostering match (003)."""
    require(by, "forums.view_meeting", meeting)
    if not may_ratify(by):
        raise ValidationError({"ratified_on": "Only the head of service ratifies the match"})
    meeting = Meeting.objects.select_related("meeting_type").get(pk=meeting.pk)
    if not needs_ratification(meeting) or meeting.potential_match_id is None:
        raise ValidationError(
            {"ratified_on": "Only a long-term fostering match from the fostering panel is ratified"}
        )
    match = PotentialMatch.objects.select_for_update().get(pk=meeting.potential_match_id)
    if not match.is_approved:
        raise ValidationError(
            {"ratified_on": "The agency decision maker approves the match before it is ratified"}
        )
    if match.ratified_on is not None:
        raise ValidationError(
            {"ratified_on": f"The match was ratified on {match.ratified_on:%-d %B %Y}"}
        )
    if ratified_on is None:
        raise ValidationError({"ratified_on": "Enter the date you ratified the match"})
    if ratified_on < match.decided_on:
        raise ValidationError(
            {
                "ratified_on": "The match is ratified after the agency decision maker's decision, "
                f"made on {match.decided_on:%-d %B %Y}"
            }
        )
    if ratified_on > timezone.localdate():
        raise ValidationError({"ratified_on": "The date you ratified cannot be in the future"})
    match.ratified_by_hos = by
    match.ratified_on = ratified_on
    return save_with_history(match, by=by, reason="Ratified by the head of service")
