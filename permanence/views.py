"""Pages of the child register. Thin: parse, validate, call one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from permanence import access, selectors, services
from permanence.approvals import connected_approval_section, latest_connected_placement
from permanence.family.selectors import contact_section, orders_section, sibling_section
from permanence.forms import (
    CaseloadFilterForm,
    ChildForm,
    ConnectedApprovalExtendForm,
    ConnectedApprovalResolveForm,
    ConnectedApprovalStartForm,
    EpisodeEndForm,
    EpisodeForm,
)
from permanence.models import Child, Code, ConnectedPersonApproval, Notification
from permanence.models.children import CONNECTED_APPROVAL_RULE, max_extension_weeks
from permanence.navigation import home_url_for
from permanence.panels import child_actions, child_panel_lists, child_panels, next_steps
from permanence.timescales import timescale
from permanence.together import prefetch_together


def apply_validation_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError beside the fields it names (or on top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def home(request):
    """Each role starts where their work is."""
    return redirect(home_url_for(request.user))


class CaseloadView(View):
    """The caseload: the children the user may see, searchable and filtered."""

    page_size = 25

    def get(self, request):
        form = CaseloadFilterForm(request.GET or None, user=request.user)
        filters = {}
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            filters = {
                "search": data["q"],
                "team_id": data["team"],
                "worker_id": data["worker"],
                "legal_status": data["legal_status"],
                "court_stage": data["court_stage"],
                "looked_after": data["looked_after"],
            }
        children = selectors.caseload_for_user(user=request.user, **filters)
        page = Paginator(children, self.page_size).get_page(request.GET.get("page"))
        # What each child needs next, from the tracker's rows in one read (issue 16).
        steps = next_steps(child_ids=[child.pk for child in page.object_list])
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "permanence/child_list.html",
            {
                "form": form,
                "page": page,
                "query": query.urlencode(),
                "legal_statuses": selectors.code_meanings(Code.List.LS),
                "placements": selectors.code_meanings(Code.List.PLACE),
                "can_add": request.user.has_perm("permanence.add_child"),
                "scope_sentence": access.scope_sentence(request.user),
                "today": selectors.today(),
                "steps": steps,
            },
        )


# The child's one-to-many records the child's page reads whole (ChildDetailView).
CHILD_PAGE_LISTS = (
    "episodes",
    "connected_approvals",
    "supporting_adults",
    "supervision_orders",
    "placement_support",
)


class ChildDetailView(View):
    def get(self, request, pk: int):
        child = selectors.child_get_for_user(user=request.user, pk=pk)
        # The child's short lists are read once, in one query: the episodes (the page's table,
        # the connected person's approval, the reviews' and the forum's sections), the
        # approvals, the people and orders around the child, and those the other sections
        # read whole (a placement's disruptions) (issue 19).
        relations = [(child, name) for name in (*CHILD_PAGE_LISTS, *child_panel_lists())]
        if child.sibling_group is not None:
            relations.append((child.sibling_group, "evidence"))
        prefetch_together(*relations)
        # Each section asks whether the reader may see the child: worked out once (issue 19).
        with access.reading_child_page(request.user, child):
            return self._page(request, child)

    def _page(self, request, child):
        today = selectors.today()
        panels = child_panels(child=child, user=request.user)
        return render(
            request,
            "permanence/child_detail.html",
            {
                "child": child,
                "connected_approval": connected_approval_section(
                    child=child, user=request.user, today=today
                ),
                "episodes": sorted(child.episodes.all(), key=lambda e: e.decom, reverse=True),
                "history": selectors.child_history(
                    child=child, latest=selectors.HISTORY_ON_CHILD_PAGE
                ),
                "panels": panels,
                # What the reader may do, at the top of the page (issue 16).
                "actions": child_actions(panels),
                "siblings": sibling_section(child=child, user=request.user),
                "contact": contact_section(child=child, user=request.user),
                "orders": orders_section(child=child, user=request.user),
                "codes": selectors.code_meanings_of(
                    Code.List.LS, Code.List.PLACE, Code.List.RNE, Code.List.REC, Code.List.ETHNIC
                ),
                "can_edit": request.user.has_perm("permanence.change_child", child),
                "can_record_episode": request.user.has_perm("permanence.add_episode", child),
                "today": today,
            },
        )


class ChildHistoryView(View):
    """Every recorded change to the child and their episodes (the child's page shows the
    latest), for whoever may open the child."""

    def get(self, request, pk: int):
        child = selectors.child_get_for_user(user=request.user, pk=pk)
        return render(
            request,
            "permanence/child_history.html",
            {"child": child, "history": selectors.child_history(child=child)},
        )


class ChildCreateView(PermissionRequiredMixin, View):
    permission_required = "permanence.add_child"

    def get(self, request):
        initial = {"team": request.user.team_id, "court_stage": Child.CourtStage.NONE}
        if request.user.has_role("social_worker"):
            initial["social_worker"] = request.user.pk
        return self._render(request, ChildForm(initial=initial))

    def post(self, request):
        form = ChildForm(request.POST)
        if form.is_valid():
            try:
                child = services.child_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"{child.full_name} has been added.")
                return redirect(child)
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(
            request,
            "permanence/child_form.html",
            {"form": form, "title": "Add a child"},
            status=status,
        )


class ChildUpdateView(View):
    def _child(self, request, pk):
        child = selectors.child_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm("permanence.change_child", child):
            raise PermissionDenied
        return child

    def get(self, request, pk: int):
        child = self._child(request, pk)
        initial = {f: getattr(child, f) for f in services.CHILD_FIELDS}
        return self._render(request, ChildForm(initial=initial), child)

    def post(self, request, pk: int):
        child = self._child(request, pk)
        form = ChildForm(request.POST)
        if form.is_valid():
            try:
                services.child_update(child=child, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The child's details have been saved.")
                return redirect(child)
        return self._render(request, form, child, status=400)

    def _render(self, request, form, child, status=200):
        return render(
            request,
            "permanence/child_form.html",
            {"form": form, "child": child, "title": f"Change {child.full_name}'s details"},
            status=status,
        )


class EpisodeCreateView(View):
    def _child(self, request, pk):
        child = selectors.child_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm("permanence.add_episode", child):
            raise PermissionDenied
        return child

    def get(self, request, pk: int):
        child = self._child(request, pk)
        current = child.episodes.open().first()
        initial = (
            {"rne": "S"}
            if current is None
            else {
                "legal_status": current.legal_status,
                "place": current.place,
                "place_provider": current.place_provider,
                "cin": current.cin,
                "home_post": current.home_post,
                "pl_post": current.pl_post,
                "urn": current.urn,
            }
        )
        return self._render(request, EpisodeForm(initial=initial), child, current)

    def post(self, request, pk: int):
        child = self._child(request, pk)
        form = EpisodeForm(request.POST)
        if form.is_valid():
            try:
                services.episode_record(child=child, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The episode has been recorded.")
                return redirect(child)
        return self._render(request, form, child, child.episodes.open().first(), status=400)

    def _render(self, request, form, child, current, status=200):
        return render(
            request,
            "permanence/episode_form.html",
            {"form": form, "child": child, "current": current, "title": "Record a new episode"},
            status=status,
        )


class EpisodeEndView(View):
    def _episode(self, request, pk, episode_pk):
        child = selectors.child_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm("permanence.change_episode", child):
            raise PermissionDenied
        return get_object_or_404(child.episodes.open(), pk=episode_pk)

    def get(self, request, pk: int, episode_pk: int):
        episode = self._episode(request, pk, episode_pk)
        return self._render(request, EpisodeEndForm(), episode)

    def post(self, request, pk: int, episode_pk: int):
        episode = self._episode(request, pk, episode_pk)
        form = EpisodeEndForm(request.POST)
        if form.is_valid():
            try:
                services.episode_end(episode=episode, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "The child's episode of care has ended.")
                return redirect(episode.child)
        return self._render(request, form, episode, status=400)

    def _render(self, request, form, episode, status=200):
        return render(
            request,
            "permanence/episode_end.html",
            {
                "form": form,
                "child": episode.child,
                "episode": episode,
                "title": "The child leaves care",
            },
            status=status,
        )


class _ConnectedApprovalFormView(View):
    """A form about a connected person's temporary approval, on its own page (regs 24-25)."""

    perm = "permanence.change_connectedpersonapproval"
    title = ""
    action = ""
    success = ""

    def _child(self, request, pk: int) -> Child:
        child = selectors.child_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm(self.perm, child):
            raise PermissionDenied
        return child

    def _approval(self, child: Child, approval_pk: int) -> ConnectedPersonApproval:
        return get_object_or_404(child.connected_approvals, pk=approval_pk)

    def _render(self, request, form, child, approval=None, status=200):
        return render(
            request,
            "permanence/connected_approval_form.html",
            {
                "form": form,
                "child": child,
                "approval": approval,
                "title": self.title,
                "action": self.action,
                "period": timescale(CONNECTED_APPROVAL_RULE).offset,
                "longest": max_extension_weeks(),
            },
            status=status,
        )

    def _done(self, request, form, child, approval, call):
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.success)
                return redirect(child)
        return self._render(request, form, child, approval, status=400)


class ConnectedApprovalCreateView(_ConnectedApprovalFormView):
    perm = "permanence.add_connectedpersonapproval"
    title = "Record the temporary approval"
    action = "start"
    success = "The connected person's temporary approval has been recorded."

    def get(self, request, pk: int):
        child = self._child(request, pk)
        run = latest_connected_placement(child=child)
        initial = {"placed_on": run.start} if run is not None else {}
        return self._render(request, ConnectedApprovalStartForm(initial=initial), child)

    def post(self, request, pk: int):
        child = self._child(request, pk)
        form = ConnectedApprovalStartForm(request.POST)
        return self._done(
            request,
            form,
            child,
            None,
            lambda data: services.connected_approval_start(child=child, by=request.user, **data),
        )


class ConnectedApprovalExtendView(_ConnectedApprovalFormView):
    title = "Record an extension"
    action = "extend"
    success = "The extension of the temporary approval has been recorded."

    def get(self, request, pk: int, approval_pk: int):
        child = self._child(request, pk)
        approval = self._approval(child, approval_pk)
        return self._render(request, ConnectedApprovalExtendForm(), child, approval)

    def post(self, request, pk: int, approval_pk: int):
        child = self._child(request, pk)
        approval = self._approval(child, approval_pk)
        form = ConnectedApprovalExtendForm(request.POST)
        return self._done(
            request,
            form,
            child,
            approval,
            lambda data: services.connected_approval_extend(
                approval=approval,
                by=request.user,
                extended_on=data["extended_on"],
                extension_weeks=data["extension_weeks"],
                agreed_by=data["extension_agreed_by"],
            ),
        )


class ConnectedApprovalResolveView(_ConnectedApprovalFormView):
    title = "Record the outcome"
    action = "resolve"
    success = "The outcome of the temporary approval has been recorded."

    def get(self, request, pk: int, approval_pk: int):
        child = self._child(request, pk)
        approval = self._approval(child, approval_pk)
        return self._render(request, ConnectedApprovalResolveForm(), child, approval)

    def post(self, request, pk: int, approval_pk: int):
        child = self._child(request, pk)
        approval = self._approval(child, approval_pk)
        form = ConnectedApprovalResolveForm(request.POST)
        return self._done(
            request,
            form,
            child,
            approval,
            lambda data: services.connected_approval_resolve(
                approval=approval, by=request.user, **data
            ),
        )


class NotificationOpenView(View):
    """Opening a notification marks it read and goes to what it is about."""

    def get(self, request, pk: int):
        note = get_object_or_404(Notification, pk=pk, recipient=request.user)
        services.notification_mark_read(notification=note, by=request.user)
        if note.link and url_has_allowed_host_and_scheme(note.link, allowed_hosts=None):
            return redirect(note.link)
        return redirect("permanence:notification-list")
