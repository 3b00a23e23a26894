"""Pages of the other panels and meetings, and of a placement disruption (SPEC §4; 000, 004)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django_fsm import can_proceed

from forums import selectors, services
from forums.forms import (
    DisruptionForm,
    DisruptionOutcomeForm,
    MeetingRecordForm,
    MeetingScheduleForm,
    MeetingStartForm,
    PanelEscalationForm,
    PanelSittingForm,
    ReasonForm,
)
from forums.models import Meeting, MeetingType, PanelSitting
from forums.models.meetings import PANEL_KINDS
from forums.services import panels
from forums.views.common import apply_validation_error, deny_unless, int_param, render_form
from forums.views.matching import matching_context
from permanence import timescales
from permanence.documents import pdf_response
from permanence.models import DocumentDownload
from permanence.plans.selectors import plan_current_for_child
from permanence.selectors import child_get_for_user
from permanence.timescales import timescale


class MeetingListView(View):
    """Meetings to come and meetings held, for the children the user may see."""

    def get(self, request):
        type_id = int_param(request, "type")
        meeting_type = MeetingType.objects.filter(pk=type_id).first() if type_id else None
        upcoming = selectors.meetings_for_user(user=request.user, meeting_type=meeting_type)
        held = selectors.meetings_for_user(
            user=request.user, meeting_type=meeting_type, upcoming=False
        )
        return render(
            request,
            "forums/meeting_list.html",
            {
                "types": selectors.meeting_types(),
                "current_type": meeting_type,
                "upcoming": upcoming[:50],
                "held": held[:50],
                "can_add": request.user.has_perm("forums.add_meeting"),
                "today": timezone.localdate(),
            },
        )


class PanelActionListView(View):
    """The Permanence Coordinator's list of panel actions across children (seed 004)."""

    def get(self, request):
        show_done = request.GET.get("show") == "all"
        actions = selectors.panel_actions_for_user(user=request.user, open_only=not show_done)
        return render(
            request,
            "forums/panel_action_list.html",
            {
                "actions": actions[:200],
                "show_done": show_done,
                "today": timezone.localdate(),
            },
        )


class MeetingCreateView(View):
    """Step one chooses the child and the kind of meeting; step two the details."""

    def _chosen(self, request):
        # Arriving from a child's page gives the child only: offer the choice, no errors yet.
        bound = "type" in request.GET
        start = MeetingStartForm(
            request.GET if bound else None,
            initial={"child": int_param(request, "child")},
            user=request.user,
        )
        if not (bound and start.is_valid()):
            return start, None, None
        child = start.cleaned_data["child"]
        deny_unless(request.user.has_perm("forums.add_meeting", child))
        return start, child, start.cleaned_data["type"]

    def get(self, request):
        start, child, meeting_type = self._chosen(request)
        if child is None:
            return render_form(
                request,
                "forums/meeting_start.html",
                {"form": start},
                invalid="type" in request.GET,
            )
        form = MeetingScheduleForm(child=child, meeting_type=meeting_type)
        return self._render(request, form, child, meeting_type)

    def post(self, request):
        start, child, meeting_type = self._chosen(request)
        if child is None:
            return redirect("forums:meeting-create")
        form = MeetingScheduleForm(
            request.POST, request.FILES, child=child, meeting_type=meeting_type
        )
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            try:
                meeting = services.meeting_schedule(
                    meeting_type=meeting_type, child=child, by=request.user, **data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    f"{meeting_type} on {meeting.scheduled_for:%-d %B %Y} added for "
                    f"{child.full_name}.",
                )
                return redirect(meeting)
        return self._render(request, form, child, meeting_type, invalid=True)

    def _render(self, request, form, child, meeting_type, invalid=False):
        return render_form(
            request,
            "forums/meeting_form.html",
            {"form": form, "child": child, "meeting_type": meeting_type},
            invalid=invalid,
        )


def _plan_to_achieve(meeting, user):
    """The child's plan, when a matching panel recommended the match and this user may record
    that permanence was achieved once the match is approved (SPEC §3: "achieved: order made or
    long-term match approved"). The panel only recommends: the decision maker approves."""
    if (
        meeting.kind != MeetingType.Kind.MATCHING_PANEL
        or meeting.match_recommendation != Meeting.MatchRecommendation.RECOMMENDED
    ):
        return None
    plan = plan_current_for_child(child=meeting.child)
    if plan is None or not can_proceed(plan.achieve):
        return None
    return plan if user.has_perm("permanence.change_plan", plan) else None


class MeetingDetailView(View):
    def get(self, request, pk: int):
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.view_meeting", meeting))
        return render(
            request,
            "forums/meeting_detail.html",
            {
                "meeting": meeting,
                "child": meeting.child,
                "attendees": meeting.staff_attendees.all(),
                "actions": meeting.actions.select_related("owner", "joint_owner"),
                "assessments": meeting.assessments.select_related("owner"),
                "today": timezone.localdate(),
                "papers_due": (
                    timescales.due("aep_papers", meeting.scheduled_for)
                    if meeting.kind == MeetingType.Kind.EARLY_PERMANENCE
                    else None
                ),
                "matters": meeting.matters.all(),
                "carried": (
                    services.carried_actions(meeting)
                    if meeting.kind == MeetingType.Kind.CARE_PLANNING
                    else []
                ),
                "can_change": request.user.has_perm("forums.change_meeting", meeting),
                "plan_to_achieve": _plan_to_achieve(meeting, request.user),
                "history": selectors.meeting_history(meeting=meeting),
                "bundle": (
                    selectors.matching_bundle_index(meeting=meeting)
                    if meeting.meeting_type.kind in PANEL_KINDS
                    else []
                ),
                **matching_context(meeting, request.user),
            },
        )


class MeetingBundleIndexPdfView(View):
    """A matching panel's bundle index as a PDF, marked Official – sensitive, its download in
    the child's history (issue 17). Other meetings have no bundle: 404."""

    def get(self, request, pk: int):
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.view_meeting", meeting))
        if meeting.meeting_type.kind not in PANEL_KINDS:
            raise Http404("Only a matching panel has a bundle")
        return pdf_response(
            request,
            template="documents/bundle_index.html",
            context={
                "meeting": meeting,
                "child": meeting.child,
                "bundle": selectors.matching_bundle_index(meeting=meeting),
            },
            child=meeting.child,
            document=DocumentDownload.Document.BUNDLE_INDEX,
            record_id=meeting.pk,
            title=f"Matching panel bundle index for child {meeting.child.child_id}",
        )


class MeetingRecordView(View):
    def _meeting(self, request, pk):
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.change_meeting", meeting))
        return meeting

    def get(self, request, pk: int):
        meeting = self._meeting(request, pk)
        if meeting.is_held:
            messages.info(request, "What this meeting decided has already been recorded.")
            return redirect(meeting)
        initial = {
            "staff_attendees": list(meeting.staff_attendees.values_list("pk", flat=True)),
            "other_attendees": meeting.other_attendees,
        }
        if meeting.scheduled_for <= timezone.localdate():
            initial["held_on"] = meeting.scheduled_for
        if meeting.kind == MeetingType.Kind.LEGAL_GATEWAY:
            plan = plan_current_for_child(child=meeting.child)
            initial["adoption_contingency"] = plan is not None and "adoption" in (
                plan.route,
                plan.contingency_route,
            )
        form = MeetingRecordForm(initial=initial, meeting=meeting, carried=self._carried(meeting))
        return self._render(request, meeting, form)

    def _carried(self, meeting):
        if meeting.kind != MeetingType.Kind.CARE_PLANNING:
            return []
        return list(services.carried_actions(meeting))

    def post(self, request, pk: int):
        meeting = self._meeting(request, pk)
        form = MeetingRecordForm(
            request.POST, request.FILES, meeting=meeting, carried=self._carried(meeting)
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.meeting_record(
                    meeting=meeting,
                    by=request.user,
                    held_on=data["held_on"],
                    decisions=data["decisions"],
                    staff_attendees=data["staff_attendees"],
                    other_attendees=data["other_attendees"],
                    gateway_decision=data.get("gateway_decision", ""),
                    assessments=data["assessments"],
                    rag_rating=data.get("rag_rating", ""),
                    rag_reason=data.get("rag_reason", ""),
                    match_recommendation=data.get("match_recommendation", ""),
                    actions=data["actions"],
                    matters=data.get("matters"),
                    early_family_finding=data.get("early_family_finding", ""),
                    early_family_finding_reason=data.get("early_family_finding_reason", ""),
                    carried_done=data.get("carried_done") or (),
                    plan_ratified=data.get("plan_ratified"),
                    adoption_contingency=data.get("adoption_contingency") or False,
                    attended_roles=data.get("attended_roles") or (),
                    ffa_considered=data.get("ffa_considered"),
                    ffa_reason=data.get("ffa_reason") or "",
                    matching_report=data.get("matching_report"),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _recorded_message(meeting, data))
                return redirect(meeting)
        return self._render(request, meeting, form, invalid=True)

    def _render(self, request, meeting, form, invalid=False):
        return render_form(
            request,
            "forums/meeting_record.html",
            {"form": form, "meeting": meeting, "child": meeting.child},
            invalid=invalid,
        )


def _recorded_message(meeting, data) -> str:
    message = "What the meeting decided has been recorded."
    if meeting.kind == MeetingType.Kind.CARE_PLANNING and data.get("rag_rating") == "red":
        every = timescale("red_plan_panel").offset
        message += f" The plan is rated red: it goes to Permanence Panel every {every}."
    return message


class MeetingActionDoneView(View):
    def post(self, request, pk: int, action_pk: int):
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.change_meeting", meeting))
        action = get_object_or_404(meeting.actions, pk=action_pk)
        try:
            services.meeting_action_complete(
                action=action, by=request.user, done_on=timezone.localdate()
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"“{action.what}” is done.")
        return redirect(meeting)


class MeetingPapersSentView(View):
    def post(self, request, pk: int):
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.change_meeting", meeting))
        try:
            services.meeting_papers_send(meeting=meeting, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The papers are recorded as sent for the panel.")
        return redirect(meeting)


class MeetingAssessmentDoneView(View):
    def post(self, request, pk: int, assessment_pk: int):
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.change_meeting", meeting))
        assessment = get_object_or_404(meeting.assessments, pk=assessment_pk)
        try:
            services.meeting_assessment_complete(
                assessment=assessment, by=request.user, completed_on=timezone.localdate()
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{assessment} is complete.")
        return redirect(meeting)


class MatchingReportView(View):
    """The matching report, only to those who may see the child (never a public file URL)."""

    def get(self, request, pk: int):
        meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.view_meeting", meeting))
        if not meeting.matching_report:
            raise Http404("No matching report")
        suffix = meeting.matching_report.name.rsplit(".", 1)[-1]
        return FileResponse(
            meeting.matching_report.open("rb"),
            as_attachment=True,
            filename=f"matching-report-{meeting.child.child_id}.{suffix}",
        )


# -- disruption -------------------------------------------------------------------------------


class DisruptionCreateView(View):
    def _child(self, request):
        pk = int_param(request, "child")
        if pk is None:
            raise Http404("Choose the child from their page")
        child = child_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.add_disruption", child))
        return child

    def get(self, request):
        child = self._child(request)
        return self._render(request, DisruptionForm(), child)

    def post(self, request):
        child = self._child(request)
        form = DisruptionForm(request.POST)
        if form.is_valid():
            try:
                disruption = services.disruption_record(
                    child=child, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                plan_note = (
                    f" {child.first_name}'s plan is marked disrupted."
                    if getattr(disruption, "plan_disrupted", None)
                    else f" {child.first_name} has no ratified plan to mark disrupted."
                )
                messages.success(
                    request,
                    "The disruption has been recorded. The urgent foster carer review is due by "
                    f"{disruption.carer_review_due_on:%-d %B %Y}.{plan_note}",
                )
                return redirect(disruption)
        return self._render(request, form, child, invalid=True)

    def _render(self, request, form, child, invalid=False):
        return render_form(
            request, "forums/disruption_form.html", {"form": form, "child": child}, invalid=invalid
        )


class DisruptionDetailView(View):
    def get(self, request, pk: int):
        disruption = selectors.disruption_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.view_disruption", disruption))
        return render(
            request,
            "forums/disruption_detail.html",
            {
                "disruption": disruption,
                "child": disruption.child,
                "can_change": request.user.has_perm("forums.change_disruption", disruption),
                "today": timezone.localdate(),
            },
        )


class DisruptionFeeExtendView(View):
    def _disruption(self, request, pk):
        disruption = selectors.disruption_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.change_disruption", disruption))
        return disruption

    def _form(self, data=None):
        extension = timescale("carer_fee").extension
        return ReasonForm(
            data, label="Why the fee needs to continue", button=f"Extend the fee by {extension}"
        )

    def get(self, request, pk: int):
        disruption = self._disruption(request, pk)
        return self._render(request, disruption, self._form())

    def post(self, request, pk: int):
        disruption = self._disruption(request, pk)
        form = self._form(request.POST)
        if form.is_valid():
            try:
                disruption = services.disruption_fee_extend(
                    disruption=disruption, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    f"The carer's fee now continues until {disruption.fee_paid_until:%-d %B %Y}.",
                )
                return redirect(disruption)
        return self._render(request, disruption, form, invalid=True)

    def _render(self, request, disruption, form, invalid=False):
        return render_form(
            request,
            "forums/disruption_fee.html",
            {"form": form, "disruption": disruption, "child": disruption.child},
            invalid=invalid,
        )


class DisruptionOutcomeView(View):
    def _disruption(self, request, pk):
        disruption = selectors.disruption_get_for_user(user=request.user, pk=pk)
        deny_unless(request.user.has_perm("forums.change_disruption", disruption))
        return disruption

    def get(self, request, pk: int):
        disruption = self._disruption(request, pk)
        if disruption.outcome:
            return redirect(disruption)
        return self._render(request, disruption, DisruptionOutcomeForm())

    def post(self, request, pk: int):
        disruption = self._disruption(request, pk)
        form = DisruptionOutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.disruption_outcome_record(
                    disruption=disruption, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The outcome of the foster carer review is recorded.")
                return redirect(disruption)
        return self._render(request, disruption, form, invalid=True)

    def _render(self, request, disruption, form, invalid=False):
        return render_form(
            request,
            "forums/disruption_outcome.html",
            {"form": form, "disruption": disruption, "child": disruption.child},
            invalid=invalid,
        )


# -- the weekly Permanence Panel (seed 004) ---------------------------------------------------


class PanelSittingListView(View):
    """Permanence Panel sittings, and the escalated cases waiting for the next one."""

    def get(self, request):
        deny_unless(request.user.has_perm("forums.view_panelsitting"))
        today = timezone.localdate()
        sittings = PanelSitting.objects.select_related("chair").order_by("-sits_on", "-pk")
        return render(
            request,
            "forums/panel_sitting_list.html",
            {
                "upcoming": sittings.filter(sits_on__gte=today).order_by("sits_on", "pk")[:20],
                "past": sittings.filter(sits_on__lt=today)[:20],
                "escalations": panels.open_escalations(user=request.user),
                "can_add": request.user.has_perm("forums.add_panelsitting"),
            },
        )


class PanelSittingCreateView(View):
    def get(self, request):
        deny_unless(request.user.has_perm("forums.add_panelsitting"))
        return self._render(request, PanelSittingForm())

    def post(self, request):
        deny_unless(request.user.has_perm("forums.add_panelsitting"))
        form = PanelSittingForm(request.POST)
        if form.is_valid():
            try:
                sitting = panels.sitting_arrange(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                count = sitting.agenda.count()
                messages.success(
                    request,
                    f"{sitting} arranged with {count} "
                    f"{'child' if count == 1 else 'children'} on its agenda.",
                )
                return redirect(sitting)
        return self._render(request, form, invalid=True)

    def _render(self, request, form, invalid=False):
        return render_form(
            request, "forums/panel_sitting_form.html", {"form": form}, invalid=invalid
        )


class PanelSittingDetailView(View):
    """One sitting: its chair and core members, and its agenda team by team, each child's RAG
    rating and reason recorded on the child's panel meeting."""

    def get(self, request, pk: int):
        deny_unless(request.user.has_perm("forums.view_panelsitting"))
        sitting = get_object_or_404(PanelSitting.objects.select_related("chair"), pk=pk)
        agenda = list(panels.sitting_agenda(sitting=sitting, user=request.user))
        escalated = dict(
            sitting.escalations.filter(child__in=[m.child_id for m in agenda]).values_list(
                "child_id", "reason"
            )
        )
        for item in agenda:
            item.escalation_reason = escalated.get(item.child_id, "")
        return render(
            request,
            "forums/panel_sitting_detail.html",
            {"sitting": sitting, "agenda": agenda},
        )


class PanelEscalationCreateView(View):
    """The child's team manager escalates the case to the group manager (seed 004)."""

    def _child(self, request, child_pk):
        child = child_get_for_user(user=request.user, pk=child_pk)
        deny_unless(request.user.has_perm("forums.add_panelescalation", child))
        return child

    def get(self, request, child_pk: int):
        child = self._child(request, child_pk)
        return self._render(request, child, PanelEscalationForm())

    def post(self, request, child_pk: int):
        child = self._child(request, child_pk)
        form = PanelEscalationForm(request.POST)
        if form.is_valid():
            try:
                panels.escalate_to_panel(child=child, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    f"The case is escalated to {form.cleaned_data['group_manager'].strip()} "
                    "and goes on the agenda of the next Permanence Panel.",
                )
                return redirect(child)
        return self._render(request, child, form, invalid=True)

    def _render(self, request, child, form, invalid=False):
        return render_form(
            request,
            "forums/panel_escalation_form.html",
            {"form": form, "child": child},
            invalid=invalid,
        )
