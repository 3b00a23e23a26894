"""Writes for the other panels and meetings (SPEC §4; seeds 000, 002, 003, 004)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from forums.models import Meeting, MeetingAction, MeetingAssessment, MeetingMatter, MeetingType
from forums.models.meetings import (
    AGENDAS,
    CPM_ALWAYS_INVITED,
    CPM_PLACEMENT_SERVICES,
    PANEL_KINDS,
    PPM_ATTENDEES,
    PPM_INVITED,
    GatewayPaper,
    Invitee,
)
from forums.services.common import child_label, cps_duty_for, path, require
from permanence import timescales, uploads
from permanence.history import save_with_history
from permanence.models import Child, User
from permanence.notifications import notify
from permanence.plans.selectors import plan_current_for_child
from permanence.roles import Role
from permanence.timescales import timescale

MATCHING_REPORT_TYPES = {"pdf", "doc", "docx", "odt", "rtf"}
MATCHING_REPORT_MAX_BYTES = 20 * 1024 * 1024
SECTION_20 = "V2"
# The matching meeting and the two panels that hear a match with its whole bundle (003).
MATCHING_FLOW_KINDS = (
    MeetingType.Kind.MATCHING_MEETING,
    MeetingType.Kind.ADOPTION_PANEL,
    MeetingType.Kind.FOSTERING_PANEL,
)


def matching_papers_errors(
    *,
    panel_date: dt.date,
    form_f_updated_on: dt.date | None,
    cpr_updated_on: dt.date | None,
    has_matching_report: bool,
) -> dict[str, str]:
    """A match needs Form F under 12 months old, a CPR under 6 and a matching report (000)."""
    errors = {}
    on = f"{panel_date:%-d %B %Y}"
    form_f = timescale("form_f_current").offset
    cpr = timescale("cpr_current").offset
    today = timezone.localdate()
    if form_f_updated_on is None:
        errors["form_f_updated_on"] = "Enter the date the carers' Form F was completed or updated"
    elif form_f_updated_on > today:
        errors["form_f_updated_on"] = "The Form F date cannot be in the future"
    elif form_f.apply(form_f_updated_on) <= panel_date:
        errors["form_f_updated_on"] = (
            f"Form F is out of date: it was last updated on {form_f_updated_on:%-d %B %Y}, "
            f"{form_f} or more before the panel on {on}. Ask for an updated Form F"
        )
    if cpr_updated_on is None:
        errors["cpr_updated_on"] = (
            "Enter the date the Child Permanence Report was completed or updated"
        )
    elif cpr_updated_on > today:
        errors["cpr_updated_on"] = "The Child Permanence Report date cannot be in the future"
    elif cpr.apply(cpr_updated_on) <= panel_date:
        errors["cpr_updated_on"] = (
            f"The Child Permanence Report is out of date: it was last updated on "
            f"{cpr_updated_on:%-d %B %Y}, {cpr} or more before the panel on {on}. "
            "Update the report"
        )
    if not has_matching_report:
        errors["matching_report"] = (
            "Attach the matching report from the matching meeting: a match cannot be listed "
            "without it"
        )
    return errors


def _check_report_file(report: UploadedFile | None) -> None:
    if report is None:
        return
    suffix = report.name.rsplit(".", 1)[-1].lower() if "." in report.name else ""
    if suffix not in MATCHING_REPORT_TYPES:
        raise ValidationError(
            {"matching_report": "The matching report must be a PDF, Word, ODT or RTF document"}
        )
    if report.size > MATCHING_REPORT_MAX_BYTES:
        raise ValidationError({"matching_report": "The matching report must be smaller than 20MB"})
    try:
        uploads.check_document(report.name, report, suffix=suffix, label="matching report")
    except uploads.UploadRefused as exc:
        raise ValidationError({"matching_report": str(exc)}) from exc


def care_planning_errors(
    *, child: Child, chair: User | None, invited_roles: Iterable[str]
) -> dict[str, str]:
    """A care planning meeting is chaired by the team manager and invites the social worker,
    the IRO, legal services and the fostering or adoption service (seed 004)."""
    errors = {}
    if chair is None:
        errors["chair"] = "Select the team manager who will chair the meeting"
    elif not chair.has_role(Role.TEAM_MANAGER):
        errors["chair"] = "The chair must be a team manager"
    elif child.team_id and chair.team_id != child.team_id:
        errors["chair"] = "The chair must be the team manager of the child's team"
    invited = set(invited_roles)
    unknown = invited - set(Invitee.values)
    missing = [Invitee(code).label for code in CPM_ALWAYS_INVITED if code not in invited]
    if unknown:
        errors["invited_roles"] = "Select who is invited from the list"
    elif missing:
        errors["invited_roles"] = (
            "A care planning meeting always invites the child's social worker, the independent "
            "reviewing officer and legal services. Also invite: " + ", ".join(missing).lower()
        )
    elif not invited & set(CPM_PLACEMENT_SERVICES):
        errors["invited_roles"] = (
            "Invite the fostering or the adoption service, whichever fits the child's needs"
        )
    return errors


def gateway_referral_errors(*, initial_plan: str, papers: Iterable[str]) -> dict[str, str]:
    """A referral to the Legal Gateway Panel carries the initial permanence plan and four
    papers: cultural genogram, chronology, referral form, latest assessment (seed 004)."""
    errors = {}
    if not initial_plan.strip():
        errors["initial_plan"] = "Enter the initial permanence plan the referral carries"
    missing = [label for code, label in GatewayPaper.choices if code not in set(papers)]
    if missing:
        errors["papers"] = (
            "The panel cannot hear the case without all its papers. Still missing: "
            + "; ".join(label[0].lower() + label[1:] for label in missing)
        )
    return errors


def set_attendees(meeting: Meeting, users: Iterable[User], *, by: User, reason: str) -> None:
    """Change who attends, the history row naming who made the change and why (SPEC §7)."""
    meeting._history_user = by
    meeting._change_reason = reason
    try:
        meeting.staff_attendees.set(list(users))
    finally:
        del meeting._history_user, meeting._change_reason


@transaction.atomic
def meeting_schedule(
    *,
    meeting_type: MeetingType,
    child: Child,
    by: User,
    scheduled_for: dt.date,
    start_time: dt.time | None = None,
    venue: str = "",
    staff_attendees: Iterable[User] = (),
    other_attendees: str = "",
    match_carers: str = "",
    form_f_updated_on: dt.date | None = None,
    cpr_updated_on: dt.date | None = None,
    matching_report: UploadedFile | None = None,
    chair: User | None = None,
    invited_roles: Iterable[str] = (),
    initial_plan: str = "",
    papers: Iterable[str] = (),
    arranged_by: User | None = None,
    potential_match=None,
    **papers_on: dt.date | None,
) -> Meeting:
    """Put a child's case on a panel or meeting; a match only with current papers (000); a care
    planning meeting with its chair and invitees (004); a matching meeting with who arranged and
    chairs it, a panel with the match's whole bundle (003)."""
    require(by, "forums.add_meeting", child)
    return _schedule(
        arranged_by=arranged_by,
        potential_match=potential_match,
        papers_on=papers_on,
        meeting_type=meeting_type,
        child=child,
        by=by,
        scheduled_for=scheduled_for,
        start_time=start_time,
        venue=venue,
        staff_attendees=staff_attendees,
        other_attendees=other_attendees,
        match_carers=match_carers,
        form_f_updated_on=form_f_updated_on,
        cpr_updated_on=cpr_updated_on,
        matching_report=matching_report,
        chair=chair,
        invited_roles=invited_roles,
        initial_plan=initial_plan,
        papers=papers,
    )


def planning_meeting_book(
    *,
    code: str,
    child: Child,
    by: User,
    scheduled_for: dt.date,
    invited_roles: Iterable[str] = (),
    staff_attendees: Iterable[User] = (),
) -> Meeting:
    """The Permanency Planning Meeting a PPN1 calls for, booked by whoever may book it under the
    PPN1's own rule (the admin officer, the managers it went to, the child's team): the calling
    service has checked that permission (002 §8)."""
    meeting_type = MeetingType.objects.get(code=code)
    return _schedule(
        meeting_type=meeting_type,
        child=child,
        by=by,
        scheduled_for=scheduled_for,
        invited_roles=invited_roles or PPM_INVITED,
        staff_attendees=staff_attendees,
    )


def _schedule(
    *,
    meeting_type: MeetingType,
    child: Child,
    by: User,
    scheduled_for: dt.date,
    start_time: dt.time | None = None,
    venue: str = "",
    staff_attendees: Iterable[User] = (),
    other_attendees: str = "",
    match_carers: str = "",
    form_f_updated_on: dt.date | None = None,
    cpr_updated_on: dt.date | None = None,
    matching_report: UploadedFile | None = None,
    chair: User | None = None,
    invited_roles: Iterable[str] = (),
    initial_plan: str = "",
    papers: Iterable[str] = (),
    arranged_by: User | None = None,
    potential_match=None,
    papers_on: dict[str, dt.date | None] | None = None,
) -> Meeting:
    if not meeting_type.is_active:
        raise ValidationError({"meeting_type": f"{meeting_type} is no longer in use"})
    meeting = Meeting(
        meeting_type=meeting_type,
        child=child,
        scheduled_for=scheduled_for,
        start_time=start_time,
        venue=venue,
        other_attendees=other_attendees,
        created_by=by,
    )
    if meeting_type.kind == MeetingType.Kind.MATCHING_PANEL:
        errors = {}
        if not match_carers.strip():
            errors["match_carers"] = "Enter the names of the carers in the proposed match"
        errors |= matching_papers_errors(
            panel_date=scheduled_for,
            form_f_updated_on=form_f_updated_on,
            cpr_updated_on=cpr_updated_on,
            has_matching_report=matching_report is not None,
        )
        if errors:
            raise ValidationError(errors)
        _check_report_file(matching_report)
        meeting.match_carers = match_carers.strip()
        meeting.form_f_updated_on = form_f_updated_on
        meeting.cpr_updated_on = cpr_updated_on
        meeting.matching_report = matching_report
    if meeting_type.kind in MATCHING_FLOW_KINDS:
        from forums.services import matching

        matching.prepare(
            meeting,
            arranged_by=arranged_by,
            chair=chair,
            potential_match=potential_match,
            matching_report=matching_report,
            papers_on={
                "form_f_updated_on": form_f_updated_on,
                "cpr_updated_on": cpr_updated_on,
                **(papers_on or {}),
            },
        )
    if meeting_type.kind == MeetingType.Kind.CARE_PLANNING:
        invited_roles = [code for code in Invitee.values if code in set(invited_roles)]
        errors = care_planning_errors(child=child, chair=chair, invited_roles=invited_roles)
        if errors:
            raise ValidationError(errors)
        meeting.chair = chair
        meeting.invited_roles = invited_roles
    if meeting_type.kind == MeetingType.Kind.PERMANENCY_PLANNING:
        invited = set(invited_roles) or set(PPM_INVITED)
        missing = [Invitee(c).label for c in PPM_ATTENDEES if c not in invited]
        if missing:
            raise ValidationError(
                {
                    "invited_roles": "A Permanency Planning Meeting invites the social worker, "
                    "the team manager, the fostering and adoption managers and the home finder. "
                    "Also invite: " + ", ".join(missing).lower()
                }
            )
        meeting.invited_roles = [c for c in Invitee.values if c in invited]
    if meeting_type.kind == MeetingType.Kind.LEGAL_GATEWAY:
        papers = [code for code in GatewayPaper.values if code in set(papers)]
        errors = gateway_referral_errors(initial_plan=initial_plan, papers=papers)
        if errors:
            raise ValidationError(errors)
        meeting.initial_plan = initial_plan.strip()
        meeting.papers = papers
    save_with_history(meeting, by=by, reason=f"{meeting_type} arranged")
    set_attendees(meeting, staff_attendees, by=by, reason="Staff attending")
    return meeting


@dataclass(frozen=True)
class ActionInput:
    what: str
    owner: User
    due_on: dt.date
    joint_owner: User | None = None


@dataclass(frozen=True)
class AssessmentInput:
    kind: str
    due_on: dt.date
    details: str = ""
    owner: User | None = None


def next_due_on(meeting: Meeting) -> dt.date | None:
    """When the child comes back, by the meeting type's cadence and the decision (003, 004)."""
    repeat = meeting.meeting_type.repeat
    if repeat is None or meeting.held_on is None:
        return None
    kind = meeting.meeting_type.kind
    if kind == MeetingType.Kind.LEGAL_GATEWAY:
        # Pre-proceedings cases and children under section 20 come back every 12 weeks (004).
        episode = meeting.child.episodes.open().first()
        section_20 = episode is not None and episode.legal_status == SECTION_20
        if meeting.gateway_decision != Meeting.GatewayDecision.PRE_PROCEEDINGS and not section_20:
            return None
    elif kind == MeetingType.Kind.PERMANENCE_PANEL:
        # A red plan is looked at again every 4 weeks (004).
        if meeting.rag_rating != Meeting.Rag.RED:
            return None
    elif kind == MeetingType.Kind.MATCHING_PANEL:
        return None
    return _comes_back_by(meeting.meeting_type, meeting.held_on)


def _comes_back_by(meeting_type: MeetingType, held_on: dt.date) -> dt.date:
    # Counted by the one function the tracker's stored deadline uses, from the timescale the
    # type follows (or the type's own cadence, counted the same way).
    if meeting_type.timescale_code:
        return timescales.due_date(meeting_type.timescale_code, held_on)
    own = timescales.Timescale(
        code=meeting_type.code, amount=meeting_type.repeat_amount, unit=meeting_type.repeat_unit
    )
    return timescales.count(own, held_on).on


@transaction.atomic
def meetings_follow_timescale(*, code: str, by: User) -> int:
    """Held meetings whose type follows timescale CODE come back by its new value (003, 004)."""
    meetings = list(
        Meeting.objects.select_for_update()
        .filter(meeting_type__timescale_code=code, held_on__isnull=False)
        .exclude(next_due_on=None)
        .select_related("meeting_type")
    )
    changed = []
    for meeting in meetings:
        # Only the date moves: whether the child comes back at all was decided when the meeting
        # was recorded, from the facts of that day.
        due_on = _comes_back_by(meeting.meeting_type, meeting.held_on)
        if due_on != meeting.next_due_on:
            meeting.next_due_on = due_on
            changed.append(meeting)
    bulk_update_with_history(
        changed,
        Meeting,
        ["next_due_on"],
        batch_size=1000,
        default_user=by,
        default_change_reason="Timescale changed",
    )
    return len(changed)


@transaction.atomic
def meeting_record(
    *,
    meeting: Meeting,
    by: User,
    held_on: dt.date,
    decisions: str,
    staff_attendees: Iterable[User] = (),
    other_attendees: str = "",
    gateway_decision: str = "",
    assessments: Iterable[AssessmentInput] = (),
    rag_rating: str = "",
    rag_reason: str = "",
    match_recommendation: str = "",
    actions: Iterable[ActionInput] = (),
    matters: dict[str, str] | None = None,
    early_family_finding: str = "",
    early_family_finding_reason: str = "",
    carried_done: Iterable[MeetingAction] = (),
    plan_ratified: bool | None = None,
    adoption_contingency: bool = False,
    attended_roles: Iterable[str] = (),
    ffa_considered: bool | None = None,
    ffa_reason: str = "",
    matching_report: UploadedFile | None = None,
) -> Meeting:
    """Record what a meeting decided and the actions it agreed (SPEC §4; 003, 004); a care
    planning meeting also each matter it considered, early family finding, the actions carried
    from the last meeting that are now done, and the plan's rating if it gave one (004)."""
    require(by, "forums.change_meeting", meeting)
    meeting = Meeting.objects.select_for_update().select_related("meeting_type").get(pk=meeting.pk)
    kind = meeting.meeting_type.kind
    errors = {}
    if meeting.is_held:
        raise ValidationError(
            f"What this meeting decided was recorded on {meeting.held_on:%-d %B %Y}"
        )
    assessments = list(assessments)
    errors |= _record_errors(
        kind,
        held_on=held_on,
        decisions=decisions,
        gateway_decision=gateway_decision,
        plan_ratified=plan_ratified,
        assessments=assessments,
        rag_rating=rag_rating,
        rag_reason=rag_reason,
        matters=matters or {},
        early_family_finding=early_family_finding,
        early_family_finding_reason=early_family_finding_reason,
        attended_roles=attended_roles,
        ffa_considered=ffa_considered,
        ffa_reason=ffa_reason,
        match_recommendation=match_recommendation,
    )
    if kind in MATCHING_FLOW_KINDS:
        from forums.services import matching

        errors |= matching.record_errors(
            kind,
            matching_report=matching_report,
            attended_roles=attended_roles,
            match_recommendation=match_recommendation,
        )
    if errors:
        raise ValidationError(errors)
    meeting.held_on = held_on
    meeting.decisions = decisions.strip()
    meeting.other_attendees = other_attendees
    if kind == MeetingType.Kind.LEGAL_GATEWAY:
        meeting.gateway_decision = gateway_decision
        meeting.plan_ratified = plan_ratified
        meeting.adoption_contingency = adoption_contingency
        if gateway_decision == Meeting.GatewayDecision.CARE_PROCEEDINGS and adoption_contingency:
            # Stage 1 notification to the regional adoption agency when proceedings are
            # issued with adoption among the contingency plans (004).
            meeting.stage1_notice_sent_on = held_on
    if kind in (MeetingType.Kind.PERMANENCE_PANEL, MeetingType.Kind.CARE_PLANNING):
        # A care planning meeting may rate the plan too; a red there sends the plan to
        # Permanence Panel every 4 weeks like a red at the panel (004).
        meeting.rag_rating = rag_rating
        meeting.rag_reason = rag_reason.strip()
    if kind == MeetingType.Kind.PERMANENCY_PLANNING:
        meeting.attended_roles = [c for c in Invitee.values if c in set(attended_roles)]
    if kind in FFA_KINDS:
        meeting.ffa_considered = ffa_considered
        meeting.ffa_reason = "" if ffa_considered else ffa_reason.strip()
    if kind == MeetingType.Kind.CARE_PLANNING:
        meeting.early_family_finding = early_family_finding
        meeting.early_family_finding_reason = early_family_finding_reason.strip()
    if kind in PANEL_KINDS:
        meeting.match_recommendation = match_recommendation
    meeting.recorded_by = by
    meeting.recorded_at = timezone.now()
    meeting.next_due_on = next_due_on(meeting)
    save_with_history(meeting, by=by, reason="Decisions recorded")
    set_attendees(meeting, staff_attendees, by=by, reason="Staff who attended")
    if kind in MATCHING_FLOW_KINDS:
        from forums.services import matching

        matching.recorded(
            meeting, by=by, matching_report=matching_report, attended_roles=attended_roles
        )
    if kind == MeetingType.Kind.LEGAL_GATEWAY:
        for item in assessments:
            save_with_history(
                MeetingAssessment(
                    meeting=meeting,
                    kind=item.kind,
                    due_on=item.due_on,
                    details=item.details,
                    owner=item.owner,
                ),
                by=by,
                reason="Assessment agreed at Legal Gateway",
            )
        _gateway_side_effects(meeting, assessments, by=by)
    if kind == MeetingType.Kind.CARE_PLANNING:
        _carried_actions_done(meeting, carried_done, by=by)
    if kind in AGENDAS:
        for code in AGENDAS[kind]:
            save_with_history(
                MeetingMatter(meeting=meeting, matter=code, notes=matters[code].strip()),
                by=by,
                reason="Matter considered",
            )
    owners = []
    for item in actions:
        save_with_history(
            MeetingAction(
                meeting=meeting,
                what=item.what,
                owner=item.owner,
                joint_owner=item.joint_owner,
                due_on=item.due_on,
            ),
            by=by,
            reason="Action agreed",
        )
        owners += [item.owner, item.joint_owner] if item.joint_owner else [item.owner]
    child = meeting.child
    transaction.on_commit(
        lambda: notify(
            recipients=[o for o in owners if o.pk != by.pk],
            subject=f"An action from the {meeting.meeting_type} for {child_label(child)}",
            body=f"Agreed on {held_on:%-d %B %Y}.",
            link=path("forums:meeting-detail", meeting.pk),
        )
    )
    return meeting


def _rag_errors(*, rag_rating: str, rag_reason: str) -> dict[str, str]:
    errors = {}
    if not rag_rating:
        errors["rag_rating"] = "Select the plan's RAG rating"
    if not rag_reason.strip():
        errors["rag_reason"] = "Enter the reason for the RAG rating"
    return errors


def _gateway_record_errors(
    *,
    gateway_decision: str,
    plan_ratified: bool | None,
    assessments: list[AssessmentInput],
    held_on: dt.date,
) -> dict[str, str]:
    errors = {}
    if not gateway_decision:
        errors["gateway_decision"] = (
            "Select whether the panel decided on pre-proceedings, care proceedings or neither"
        )
    if plan_ratified is None:
        errors["plan_ratified"] = "Select whether the panel ratified the initial plan"
    for n, item in enumerate(assessments, start=1):
        if item.owner is None:
            errors[f"assessment_{n}_owner"] = f"Select who owns assessment {n}"
        if item.due_on < held_on:
            errors[f"assessment_{n}_due_on"] = f"Assessment {n} cannot be due before the panel sat"
    return errors


def _gateway_side_effects(
    meeting: Meeting, assessments: list[AssessmentInput], *, by: User
) -> None:
    """The initial plan's ratification goes on the plan's history; the Stage 1 notice and each
    assessment's owner are told (004)."""
    child = meeting.child
    held = f"{meeting.held_on:%-d %B %Y}"
    plan = plan_current_for_child(child=child) if meeting.plan_ratified else None
    if plan is not None:
        save_with_history(
            plan,
            by=by,
            reason=f"Initial permanence plan ratified at the Legal Gateway Panel on {held}",
            exclude=["status", "route"],
        )
    link = path("forums:meeting-detail", meeting.pk)
    if meeting.stage1_notice_sent_on is not None:
        told = [child.social_worker, *cps_duty_for(child)]
        notify(
            recipients=[user for user in told if user is not None and user.pk != by.pk],
            subject=f"Stage 1 notice to the regional adoption agency for {child_label(child)}",
            body=f"Care proceedings are to be issued with adoption as a contingency plan "
            f"(Legal Gateway Panel, {held}). The Stage 1 notice is recorded as sent on {held}.",
            link=link,
        )
    owners = [item.owner for item in assessments if item.owner and item.owner.pk != by.pk]
    notify(
        recipients=owners,
        subject=f"An assessment from the Legal Gateway Panel for {child_label(child)}",
        body=f"Agreed on {held}.",
        link=link,
    )


@transaction.atomic
def meeting_papers_send(*, meeting: Meeting, by: User) -> Meeting:
    """The social worker sends the referral papers for the Achieving Early Permanence Panel:
    due by 17:00 on the working day set before the panel (Wednesday for Monday, seed 003)."""
    require(by, "forums.change_meeting", meeting)
    meeting = Meeting.objects.select_for_update().select_related("meeting_type").get(pk=meeting.pk)
    if meeting.kind != MeetingType.Kind.EARLY_PERMANENCE:
        raise ValidationError("Only the Achieving Early Permanence Panel takes papers this way")
    if meeting.papers_sent_at is not None:
        raise ValidationError(f"The papers were sent on {meeting.papers_sent_at:%-d %B %Y}")
    if meeting.is_held:
        raise ValidationError("The panel has already sat")
    meeting.papers_sent_at = timezone.now()
    meeting.papers_sent_by = by
    return save_with_history(meeting, by=by, reason="Papers sent for the panel")


@transaction.atomic
def meeting_assessment_complete(
    *, assessment: MeetingAssessment, by: User, completed_on: dt.date
) -> MeetingAssessment:
    """Record that an assessment the Legal Gateway Panel asked for is complete (004)."""
    require(by, "forums.change_meeting", assessment.meeting)
    assessment = MeetingAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.completed_on is not None:
        raise ValidationError({"completed_on": "This assessment is already complete"})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The date it was completed cannot be in the future"})
    assessment.completed_on = completed_on
    return save_with_history(assessment, by=by, reason="Assessment completed")


def _record_errors(
    kind: str,
    *,
    held_on: dt.date,
    decisions: str,
    gateway_decision: str,
    plan_ratified: bool | None,
    assessments: list[AssessmentInput],
    rag_rating: str,
    rag_reason: str,
    matters: dict[str, str],
    early_family_finding: str,
    early_family_finding_reason: str,
    attended_roles: Iterable[str],
    ffa_considered: bool | None,
    ffa_reason: str,
    match_recommendation: str,
) -> dict[str, str]:
    """Every message for a meeting's record, by its kind (SPEC §4; 000-004)."""
    errors = {}
    errors |= _common_record_errors(held_on=held_on, decisions=decisions)
    if kind == MeetingType.Kind.LEGAL_GATEWAY:
        errors |= _gateway_record_errors(
            gateway_decision=gateway_decision,
            plan_ratified=plan_ratified,
            assessments=assessments,
            held_on=held_on,
        )
    if kind == MeetingType.Kind.PERMANENCE_PANEL:
        errors |= _rag_errors(rag_rating=rag_rating, rag_reason=rag_reason)
    if kind == MeetingType.Kind.CARE_PLANNING:
        errors |= _care_planning_record_errors(
            matters=matters,
            early_family_finding=early_family_finding,
            early_family_finding_reason=early_family_finding_reason,
            rag_rating=rag_rating,
            rag_reason=rag_reason,
        )
    if kind in AGENDAS:
        errors |= _matters_errors(matters, AGENDAS[kind])
    if kind == MeetingType.Kind.PERMANENCY_PLANNING:
        errors |= _planning_record_errors(attended_roles=attended_roles)
    if kind in FFA_KINDS:
        errors |= _ffa_errors(ffa_considered=ffa_considered, ffa_reason=ffa_reason)
    if kind == MeetingType.Kind.MATCHING_PANEL and not match_recommendation:
        errors["match_recommendation"] = "Select the panel's recommendation on the match"
    return errors


def _common_record_errors(*, held_on: dt.date, decisions: str) -> dict[str, str]:
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = "The date the meeting was held cannot be in the future"
    if not decisions.strip():
        errors["decisions"] = "Enter what the meeting decided"
    return errors


FFA_KINDS = (MeetingType.Kind.EARLY_PERMANENCE, MeetingType.Kind.UNBORN_TRACKER)


def _ffa_errors(*, ffa_considered: bool | None, ffa_reason: str) -> dict[str, str]:
    """A record that fostering for adoption was considered, or why not (001 §3.8)."""
    if ffa_considered is None:
        return {"ffa_considered": "Select whether fostering for adoption was considered"}
    if not ffa_considered and not ffa_reason.strip():
        return {"ffa_reason": "Enter why fostering for adoption was not considered"}
    return {}


def _planning_record_errors(*, attended_roles: Iterable[str]) -> dict[str, str]:
    """Who attended the Permanency Planning Meeting, by role (002 §9)."""
    errors = {}
    attended = set(attended_roles)
    if not attended or not attended <= set(Invitee.values):
        errors["attended_roles"] = "Select who attended the meeting"
    return errors


def _matters_errors(matters: dict[str, str], codes: tuple[str, ...]) -> dict[str, str]:
    errors = {}
    for code in codes:
        if not (matters.get(code) or "").strip():
            label = MeetingMatter.Matter(code).label
            errors[f"matter_{code}"] = (
                f"Enter what the meeting said on {label[0].lower()}{label[1:]}"
            )
    return errors


def _care_planning_record_errors(
    *,
    matters: dict[str, str],
    early_family_finding: str,
    early_family_finding_reason: str,
    rag_rating: str,
    rag_reason: str,
) -> dict[str, str]:
    errors = {}
    if early_family_finding not in Meeting.EarlyFamilyFinding.values:
        errors["early_family_finding"] = "Select the meeting's decision on early family finding"
    elif (
        early_family_finding == Meeting.EarlyFamilyFinding.NOT_NOW
        and not early_family_finding_reason.strip()
    ):
        errors["early_family_finding_reason"] = "Enter why early family finding is not applied for"
    if rag_rating and not rag_reason.strip():
        errors["rag_reason"] = "Enter the reason for the RAG rating"
    if rag_reason.strip() and not rag_rating:
        errors["rag_rating"] = "Select the plan's RAG rating, or leave the reason empty"
    return errors


def carried_actions(meeting: Meeting):
    """Actions from the child's earlier meetings of this type not yet done: each comes back to
    the next care planning meeting until it is (004)."""
    earlier = MeetingAction.objects.filter(
        meeting__child_id=meeting.child_id,
        meeting__meeting_type_id=meeting.meeting_type_id,
        meeting__held_on__isnull=False,
        done_on__isnull=True,
    ).exclude(meeting_id=meeting.pk)
    if meeting.held_on is not None:
        earlier = earlier.filter(meeting__held_on__lte=meeting.held_on)
    return earlier.select_related("owner", "meeting").order_by("due_on", "pk")


def _carried_actions_done(meeting: Meeting, done: Iterable[MeetingAction], *, by: User) -> None:
    allowed = {action.pk: action for action in carried_actions(meeting).select_for_update()}
    for action in done:
        if action.pk not in allowed:
            raise ValidationError({"carried_done": "Select actions carried from earlier meetings"})
        action = allowed[action.pk]
        action.done_on = meeting.held_on
        save_with_history(action, by=by, reason=f"Done, as {meeting} heard")


@transaction.atomic
def meeting_action_complete(*, action: MeetingAction, by: User, done_on: dt.date) -> MeetingAction:
    """Tick off an action a meeting agreed (SPEC §4)."""
    require(by, "forums.change_meeting", action.meeting)
    action = MeetingAction.objects.select_for_update().get(pk=action.pk)
    if action.done_on is not None:
        raise ValidationError({"done_on": "This action has already been done"})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date it was done cannot be in the future"})
    action.done_on = done_on
    return save_with_history(action, by=by, reason="Action done")
