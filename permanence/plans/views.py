"""Pages of the permanence plan. Thin: parse, validate, call one service, redirect (SPEC §3)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from permanence import selectors as core_selectors
from permanence.common import available, reasons_not
from permanence.documents import pdf_response
from permanence.models import DocumentDownload, Plan
from permanence.models.finding import achievement_missing
from permanence.models.plans import LADDER, Route, Status
from permanence.plans import selectors, services
from permanence.plans.forms import (
    ActionForm,
    FinalPlanRatifyForm,
    PlanCreateForm,
    PlanDetailsForm,
    PlanRouteForm,
    ReasonForm,
)
from permanence.views import apply_validation_error

FORM_TEMPLATE = "permanence/plan_form.html"
ACHIEVABLE_STATES = (Status.RATIFIED, Status.IN_IMPLEMENTATION)


def _render_form(request, form, *, title, child, plan=None, intro="", status=200, caption=""):
    return render(
        request,
        FORM_TEMPLATE,
        {
            "form": form,
            "title": title,
            "child": child,
            "plan": plan,
            "intro": intro,
            "caption": caption or child.full_name,
        },
        status=status,
    )


class PlanListView(View):
    """The plans in force for the children the user may see."""

    def get(self, request):
        plans = selectors.plans_for_user(user=request.user)
        status = request.GET.get("status", "")
        if status in Status.values:
            plans = plans.filter(status=status)
        page = Paginator(plans, 25).get_page(request.GET.get("page"))
        return render(
            request,
            "permanence/plan_list.html",
            {
                "page": page,
                "status": status,
                "statuses": [(s, label) for s, label in Status.choices if s != Status.SUPERSEDED],
                "status_tags": selectors.STATUS_TAGS,
                "query": f"status={status}" if status else "",
            },
        )


class PlanForChildView(View):
    """The child's plan in force, or the page to start one."""

    def get(self, request, pk: int):
        child = core_selectors.child_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm("permanence.view_plan", child):
            raise PermissionDenied
        plan = selectors.plan_current_for_child(child=child)
        if plan is not None:
            return redirect(plan)
        versions = child.plans.order_by("-version")
        return render(
            request,
            "permanence/plan_none.html",
            {
                "child": child,
                "versions": versions,
                "can_draft": request.user.has_perm("permanence.add_plan", child),
                "today": core_selectors.today(),
            },
        )


class PlanCreateView(View):
    """The social worker drafts the plan at the first rung not ruled out (002 §6)."""

    def _child(self, request, pk):
        child = core_selectors.child_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm("permanence.add_plan", child):
            raise PermissionDenied
        return child

    def get(self, request, pk: int):
        child = self._child(request, pk)
        if selectors.plan_current_for_child(child=child) is not None:
            return redirect("permanence:plan-for-child", pk=child.pk)
        return self._render(request, PlanCreateForm(child=child), child)

    def post(self, request, pk: int):
        child = self._child(request, pk)
        form = PlanCreateForm(request.POST, child=child)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan = services.plan_create(
                    child=child,
                    by=request.user,
                    route=data["route"],
                    contingency_route=data["contingency_route"],
                    early_permanence=data["early_permanence"],
                    summary=data["summary"],
                    options=form.ruled_out_options(),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The draft plan has been saved.")
                return redirect(plan)
        return self._render(request, form, child, status=400)

    def _render(self, request, form, child, status=200):
        intro = (
            f"{child.first_name} is 16 or over: permanence is addressed through a pathway plan."
            if child.needs_pathway_plan(core_selectors.today())
            else "Start at the most preferred option that has not been ruled out: return home, "
            "then a connected person, then special guardianship or a child arrangements order, "
            "then long-term fostering, then adoption."
        )
        return _render_form(
            request, form, title="Draft a permanence plan", child=child, intro=intro, status=status
        )


def plan_context(request, pk: int, *, for_document: bool = False) -> dict:
    """What the plan's page and its PDF show, from the same selectors (a plan outside the
    reader's scope is a 404). A document offers no buttons."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    user = request.user
    live = plan.is_live
    can_change = live and user.has_perm("permanence.change_plan", plan) and not for_document
    # The buttons come from the state machine: state, conditions and permission together.
    transitions = [] if for_document else available(plan, user)
    may_ratify_final = user.has_perm("permanence.ratify_final_plan", plan)
    actions = list(selectors.plan_actions(plan=plan))
    for action in actions:
        action.can_tick = not for_document and user.has_perm("permanence.change_planaction", action)
    return {
        "plan": plan,
        "child": plan.child,
        "ladder": selectors.ladder_for_plan(plan=plan),
        "off_ladder": selectors.off_ladder_route(plan),
        "status_tag": selectors.STATUS_TAGS[plan.status],
        "actions": actions,
        "versions": selectors.plan_versions(plan=plan),
        "history": selectors.plan_history(plan=plan),
        "today": core_selectors.today(),
        "can_change": can_change,
        "can_change_route": can_change and plan.route != Route.PATHWAY_PLAN,
        "transitions": transitions,
        # After a disruption the plan is replaced by a new version (000, SPEC §3).
        "can_new_version": "supersede" in transitions and plan.status == Status.DISRUPTED,
        "can_ratify_final": "ratify" in transitions and may_ratify_final,
        "is_childs_iro": user.has_perm("permanence.ratify_plan", plan),
        # What still stands between a presented plan and ratifying it, from the same
        # conditions the ratify transition checks.
        "ratify_needs": reasons_not(plan, "ratify") if live else [],
        # What achieving the plan still needs recorded, from the rule the transition checks
        # (issue 14): shown before anyone tries.
        "achieve_needs": achievement_missing(plan)
        if live and plan.status in ACHIEVABLE_STATES
        else [],
        "can_open_finding": not for_document
        and user.has_perm("permanence.view_potentialmatch", plan),
        "can_add_action": live
        and not for_document
        and user.has_perm("permanence.add_planaction", plan),
        "ladder_rungs": LADDER,
    }


class PlanDetailView(View):
    """The plan: the ladder, status, contingency, actions, versions and history."""

    def get(self, request, pk: int):
        return render(request, "permanence/plan_detail.html", plan_context(request, pk))


class PlanPdfView(View):
    """The plan as a PDF (version, route, contingency, options ruled out, actions), marked
    Official – sensitive, its download in the child's history (issue 17)."""

    def get(self, request, pk: int):
        context = plan_context(request, pk, for_document=True)
        plan = context["plan"]
        return pdf_response(
            request,
            template="documents/plan.html",
            context=context,
            child=plan.child,
            document=DocumentDownload.Document.PLAN,
            record_id=plan.pk,
            title=f"Permanence plan for child {plan.child.child_id}, version {plan.version}",
        )


class _PlanFormView(View):
    """A page that acts on one live plan the user may change."""

    perm = "permanence.change_plan"

    def _plan(self, request, pk) -> Plan:
        plan = selectors.plan_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm(self.perm, plan):
            raise PermissionDenied
        if not plan.is_live:
            messages.error(request, "That version has been superseded: this is the current plan.")
            raise _Superseded(plan)
        return plan

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except _Superseded as exc:
            return redirect("permanence:plan-for-child", pk=exc.plan.child_id)


class _Superseded(Exception):  # noqa: N818 (control flow, not an error)
    def __init__(self, plan):
        self.plan = plan


class PlanUpdateView(_PlanFormView):
    """Change the plan's details: in place before ratification, else a new version."""

    def get(self, request, pk: int):
        plan = self._plan(request, pk)
        initial = {f: getattr(plan, f) for f in services.DETAIL_FIELDS}
        return self._render(request, PlanDetailsForm(initial=initial, plan=plan), plan)

    def post(self, request, pk: int):
        plan = self._plan(request, pk)
        form = PlanDetailsForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                result = services.plan_update(
                    plan=plan,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    **form.details(),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                if result.pk != plan.pk:
                    messages.success(
                        request,
                        f"Version {result.version} of the plan has been made. "
                        "It needs presenting and ratifying again.",
                    )
                else:
                    messages.success(request, "The plan has been saved.")
                return redirect(result)
        return self._render(request, form, plan, status=400)

    def _render(self, request, form, plan, status=200):
        intro = (
            "This plan has been ratified, so it is not changed in place: saving makes a new "
            "version, which needs ratifying again. This version stays readable."
            if plan.needs_new_version_to_change
            else ""
        )
        return _render_form(
            request,
            form,
            title="Change the plan",
            child=plan.child,
            plan=plan,
            intro=intro,
            status=status,
        )


class PlanRouteView(_PlanFormView):
    """Move down the ladder (rungs passed over ruled out) or back up (002 §6, 001 §2.1)."""

    def get(self, request, pk: int):
        plan = self._plan(request, pk)
        return self._render(request, PlanRouteForm(plan=plan), plan)

    def post(self, request, pk: int):
        plan = self._plan(request, pk)
        form = PlanRouteForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                result = services.plan_route_change(
                    plan=plan,
                    by=request.user,
                    route=form.cleaned_data["route"],
                    reason=form.cleaned_data["reason"],
                    options=form.ruled_out_options(),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                message = f"The route is now {result.get_route_display().lower()}."
                if result.pk != plan.pk:
                    message += f" Version {result.version} needs presenting and ratifying again."
                messages.success(request, message)
                return redirect(result)
        return self._render(request, form, plan, status=400)

    def _render(self, request, form, plan, status=200):
        intro = f"The route is {plan.get_route_display().lower()}."
        if plan.status != Status.DRAFT:
            intro += (
                " The plan has been presented or ratified: changing the route makes a new "
                "version, which needs presenting and ratifying again."
            )
        return _render_form(
            request,
            form,
            title="Change the route",
            child=plan.child,
            plan=plan,
            intro=intro,
            status=status,
        )


# Each status page: the service, the button, the reason's label, whether it takes a date.
TRANSITIONS = {
    "present": (
        services.plan_present,
        "Record that the plan was presented",
        "Forum advice received, or why the plan is being put to the review",
        False,
        "permanence.present_plan",
    ),
    "implement": (
        services.plan_implement,
        "Start implementation",
        "What has started (family finding, assessments or matching)",
        True,
        "permanence.change_plan",
    ),
    "achieve": (
        services.plan_achieve,
        "Record that permanence was achieved",
        "The order made or the match approved",
        True,
        "permanence.change_plan",
    ),
    "disrupt": (
        services.plan_disrupt,
        "Record the disruption",
        "What happened",
        True,
        "permanence.change_plan",
    ),
    "new-version": (
        services.plan_new_version,
        "Start a new version",
        "Why the plan is being changed",
        False,
        "permanence.change_plan",
    ),
}
TITLES = {
    "present": "The plan has been presented",
    "implement": "Start implementing the plan",
    "achieve": "Permanence achieved",
    "disrupt": "The placement has disrupted",
    "new-version": "Start a new version of the plan",
}


class PlanTransitionView(_PlanFormView):
    """A status change with its reason: present, implement, achieve, disrupt, new version."""

    def _setup(self, request, pk, action):
        if action not in TRANSITIONS:
            raise Http404("No such change")
        service, button, label, with_date, perm = TRANSITIONS[action]
        self.perm = perm
        return self._plan(request, pk), service, button, label, with_date

    def get(self, request, pk: int, action: str):
        plan, _, button, label, with_date = self._setup(request, pk, action)
        form = ReasonForm(button=button, with_date=with_date, reason_label=label)
        return self._render(request, form, plan, action)

    def post(self, request, pk: int, action: str):
        plan, service, button, label, with_date = self._setup(request, pk, action)
        form = ReasonForm(request.POST, button=button, with_date=with_date, reason_label=label)
        if form.is_valid():
            kwargs = {"plan": plan, "by": request.user, "reason": form.cleaned_data["reason"]}
            if with_date:
                kwargs["on"] = form.cleaned_data["on"]
            try:
                result = service(**kwargs)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    f"The plan is now {result.get_status_display().lower()}"
                    + (f" (version {result.version})." if result.pk != plan.pk else "."),
                )
                return redirect(result)
        return self._render(request, form, plan, action, status=400)

    def _render(self, request, form, plan, action, status=200):
        return _render_form(
            request, form, title=TITLES[action], child=plan.child, plan=plan, status=status
        )


class PlanRatifyFinalView(_PlanFormView):
    """A group manager ratifies the final plan before it is filed to court (004)."""

    perm = "permanence.ratify_final_plan"

    def get(self, request, pk: int):
        plan = self._plan(request, pk)
        return self._render(request, FinalPlanRatifyForm(), plan)

    def post(self, request, pk: int):
        plan = self._plan(request, pk)
        form = FinalPlanRatifyForm(request.POST)
        if form.is_valid():
            try:
                services.plan_ratify(
                    plan=plan,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    checklist=form.checklist(),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The plan has been ratified.")
                return redirect(plan)
        return self._render(request, form, plan, status=400)

    def _render(self, request, form, plan, status=200):
        return _render_form(
            request,
            form,
            title="Ratify the final plan for court",
            child=plan.child,
            plan=plan,
            intro="The final plan is ratified before the final evidence and care plan are "
            "filed to court. Ratify only when every item is true.",
            status=status,
        )


class PlanActionCreateView(_PlanFormView):
    """Add an action: allowed on any live plan, ratified ones included (SPEC §3)."""

    perm = "permanence.add_planaction"

    def get(self, request, pk: int):
        plan = self._plan(request, pk)
        return self._render(request, ActionForm(initial={"owner": request.user.pk}), plan)

    def post(self, request, pk: int):
        plan = self._plan(request, pk)
        form = ActionForm(request.POST)
        if form.is_valid():
            try:
                services.plan_action_add(plan=plan, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The action has been added.")
                return redirect(plan)
        return self._render(request, form, plan, status=400)

    def _render(self, request, form, plan, status=200):
        return _render_form(
            request, form, title="Add an action", child=plan.child, plan=plan, status=status
        )


class PlanActionDoneView(View):
    """Tick an action off."""

    def post(self, request, pk: int, action_pk: int):
        plan = selectors.plan_get_for_user(user=request.user, pk=pk)
        action = get_object_or_404(plan.actions, pk=action_pk)
        if not request.user.has_perm("permanence.change_planaction", action):
            raise PermissionDenied
        try:
            services.plan_action_complete(action=action, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The action has been marked as done.")
        return redirect(plan)
