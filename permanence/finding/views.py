"""Pages for family finding (issue 14). Thin: parse, validate, call one service, redirect.

A plan's pages hang from a plan the user may see (404 otherwise) and need the permission for
what they change (403 otherwise). A household outside the reader's reasons is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from permanence.access import user_can_edit_household, user_keeps_household
from permanence.finding import forms, selectors, services
from permanence.models import (
    CarerHousehold,
    FamilySearch,
    OrderRecord,
    PotentialMatch,
    SgoAssessment,
)
from permanence.plans import selectors as plan_selectors
from permanence.views import apply_validation_error

FORM_TEMPLATE = "permanence/finding/form.html"


# -- carers -----------------------------------------------------------------------------------


class HouseholdListView(View):
    """The carers' register: the households the reader has a reason to see."""

    def get(self, request):
        if not request.user.has_perm("permanence.view_carerhousehold"):
            raise PermissionDenied
        households = selectors.households_for_user(user=request.user)
        kind = request.GET.get("kind", "")
        if kind in CarerHousehold.Kind.values:
            households = households.filter(kind=kind)
        status = request.GET.get("status", "")
        if status in CarerHousehold.Status.values:
            households = households.filter(status=status)
        page = Paginator(households, 25).get_page(request.GET.get("page"))
        query = "&".join(f"{k}={v}" for k, v in (("kind", kind), ("status", status)) if v)
        return render(
            request,
            "permanence/finding/household_list.html",
            {
                "page": page,
                "kind": kind,
                "status": status,
                "kinds": CarerHousehold.Kind.choices,
                "statuses": CarerHousehold.Status.choices,
                "query": query,
                "can_add": user_can_edit_household(request.user)
                and request.user.has_perm("permanence.add_carerhousehold"),
            },
        )


class HouseholdDetailView(View):
    def get(self, request, pk: int):
        household = selectors.household_get_for_user(user=request.user, pk=pk)
        user = request.user
        return render(
            request,
            "permanence/finding/household_detail.html",
            {
                "household": household,
                "keeps": user_keeps_household(user, household),
                "contact_route": services.contact_route(household),
                "can_change": user.has_perm("permanence.change_carerhousehold", household),
                "matches": selectors.household_matches(household=household, user=user),
            },
        )


def _household_initial(household: CarerHousehold) -> dict:
    return {name: getattr(household, name) for name in services.HOUSEHOLD_FIELDS}


class _HouseholdFormView(View):
    title = ""

    def household(self, request, pk):
        raise NotImplementedError

    def get(self, request, pk: int | None = None):
        household = self.household(request, pk)
        initial = _household_initial(household) if household else None
        return self._render(request, forms.HouseholdForm(initial=initial), household)

    def post(self, request, pk: int | None = None):
        household = self.household(request, pk)
        form = forms.HouseholdForm(request.POST)
        if form.is_valid():
            try:
                saved = services.household_save(
                    by=request.user, household=household, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"{saved.name} has been saved on the carers' register.")
                return redirect("permanence:household-detail", pk=saved.pk)
        return self._render(request, form, household, status=400)

    def _render(self, request, form, household, status=200):
        back = (
            reverse("permanence:household-detail", args=[household.pk])
            if household
            else reverse("permanence:household-list")
        )
        return render(
            request,
            FORM_TEMPLATE,
            {
                "form": form,
                "title": self.title,
                "caption": household.name if household else "Carers' register",
                "back": back,
                "back_text": "Back",
            },
            status=status,
        )


class HouseholdCreateView(_HouseholdFormView):
    title = "Add a household to the carers' register"

    def household(self, request, pk):
        if not request.user.has_perm("permanence.add_carerhousehold"):
            raise PermissionDenied
        return None


class HouseholdUpdateView(_HouseholdFormView):
    title = "Change the household"

    def household(self, request, pk):
        household = selectors.household_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm("permanence.change_carerhousehold", household):
            raise PermissionDenied
        return household


# -- the plan's family finding page ----------------------------------------------------------


class PlanFindingView(View):
    """Family finding for one plan: who is allocated and by when, the search, every household
    considered, the orders, the SGO assessment, and what achieving the plan still needs."""

    def get(self, request, pk: int):
        plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
        if not request.user.has_perm("permanence.view_potentialmatch", plan):
            raise PermissionDenied
        context = selectors.finding_context(plan=plan, user=request.user)
        return render(request, "permanence/finding/plan_finding.html", context)


class _PlanFormView(View):
    """A form about one plan's family finding, sent back to the family finding page."""

    perm = ""
    title = ""
    intro = ""
    success = "Saved."
    model = None

    def setup_objects(self, request, pk: int, item_pk: int | None) -> None:
        self.plan = plan_selectors.plan_get_for_user(user=request.user, pk=pk)
        self.item = None
        if item_pk is not None:
            self.item = selectors.item_for_plan(self.model, plan=self.plan, pk=item_pk)
            if not request.user.has_perm(self.perm.replace("add_", "change_"), self.item):
                raise PermissionDenied
        elif not request.user.has_perm(self.perm, self.plan):
            raise PermissionDenied

    def make_form(self, request, data=None):
        raise NotImplementedError

    def save(self, request, form):
        raise NotImplementedError

    def get(self, request, pk: int, item_pk: int | None = None):
        self.setup_objects(request, pk, item_pk)
        return self.render_form(request, self.make_form(request))

    def post(self, request, pk: int, item_pk: int | None = None):
        self.setup_objects(request, pk, item_pk)
        form = self.make_form(request, request.POST)
        if form.is_valid():
            try:
                self.save(request, form)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.success)
                return redirect("permanence:finding", pk=self.plan.pk)
        return self.render_form(request, form, status=400)

    def initial(self, fields) -> dict | None:
        if self.item is None:
            return None
        return {name: getattr(self.item, name) for name in fields}

    def render_form(self, request, form, status=200):
        child = self.plan.child
        return render(
            request,
            FORM_TEMPLATE,
            {
                "form": form,
                "title": self.title,
                "intro": self.intro,
                "caption": f"{child.full_name} ({child.child_id})",
                "back": reverse("permanence:finding", args=[self.plan.pk]),
                "back_text": "Back to family finding",
            },
            status=status,
        )


class AllocationCreateView(_PlanFormView):
    perm = "permanence.add_familyfindingallocation"
    title = "Allocate the plan"
    success = "The allocation has been recorded and the worker told."

    def make_form(self, request, data=None):
        kinds = services.allocation_kinds(self.plan)
        if not kinds:
            raise Http404("This plan has no family finding")
        due = services.allocation_due(self.plan)
        self.intro = (
            f"Once the plan is ratified, someone takes it forward: due by {due:%-d %B %Y}."
            if due
            else "Once the plan is ratified, someone takes it forward."
        )
        return forms.AllocationForm(data, kinds=kinds)

    def save(self, request, form):
        data = form.cleaned_data
        services.allocation_add(
            plan=self.plan, by=request.user, kind=data["kind"], worker=data["worker"], on=data["on"]
        )


class SearchView(_PlanFormView):
    perm = "permanence.add_familysearch"
    title = "The search for a family"
    intro = (
        "Our own carers are asked first, with the child's pen picture. A search outside them "
        "needs a senior manager's written permission, copied to the Placements team; a request "
        "to an independent fostering agency needs its funding agreed by the assistant director "
        "and the business case signed off."
    )
    success = "The search has been saved."
    model = FamilySearch

    def make_form(self, request, data=None):
        return forms.SearchForm(data, initial=self.initial(services.SEARCH_FIELDS))

    def save(self, request, form):
        services.search_save(plan=self.plan, by=request.user, search=self.item, **form.cleaned_data)


class MatchView(_PlanFormView):
    perm = "permanence.add_potentialmatch"
    title = "A household considered"
    intro = (
        "Every household considered is kept with its outcome and reason. A social worker never "
        "asks carers directly: the request goes through their supervising social worker."
    )
    success = "The household considered has been saved."
    model = PotentialMatch

    def make_form(self, request, data=None):
        households = selectors.households_for_user(user=request.user).exclude(
            status=CarerHousehold.Status.LEFT
        )
        if self.item is not None:
            households = households | CarerHousehold.objects.filter(pk=self.item.carer_id)
        return forms.MatchForm(
            data, households=households, initial=self.initial(services.MATCH_FIELDS)
        )

    def save(self, request, form):
        services.match_save(plan=self.plan, by=request.user, match=self.item, **form.cleaned_data)


class MatchPlacedView(_PlanFormView):
    perm = "permanence.add_potentialmatch"
    title = "Record the placement"
    success = "The placement has been recorded."
    model = PotentialMatch

    def setup_objects(self, request, pk, item_pk):
        super().setup_objects(request, pk, item_pk)
        self.intro = f"The child placed with {self.item.carer.name}."

    def make_form(self, request, data=None):
        return forms.PlacedForm(data)

    def save(self, request, form):
        match = services.match_place(match=self.item, by=request.user, on=form.cleaned_data["on"])
        for warning in services.placement_warnings(match):
            messages.warning(request, warning)


class OrderView(_PlanFormView):
    perm = "permanence.add_orderrecord"
    title = "An order or outcome"
    intro = (
        "Special guardianship and child arrangements orders are recorded separately: say which "
        "is sought and why. Adoption needs a placement order or the parents' consent recorded."
    )
    success = "The order has been saved."
    model = OrderRecord

    def make_form(self, request, data=None):
        households = selectors.households_for_user(user=request.user)
        return forms.OrderForm(
            data, households=households, initial=self.initial(services.ORDER_FIELDS)
        )

    def save(self, request, form):
        _, warnings = services.order_save(
            plan=self.plan, by=request.user, order=self.item, **form.cleaned_data
        )
        for warning in warnings:
            messages.warning(request, warning)


class SgoAssessmentView(_PlanFormView):
    perm = "permanence.add_sgoassessment"
    title = "Special guardianship assessment"
    intro = (
        "Every special guardianship order has a support plan, with financial support and "
        "support after the order."
    )
    success = "The assessment has been saved."
    model = SgoAssessment

    def make_form(self, request, data=None):
        households = selectors.households_for_user(user=request.user)
        return forms.SgoAssessmentForm(
            data, households=households, initial=self.initial(services.SGO_FIELDS)
        )

    def save(self, request, form):
        services.sgo_assessment_save(
            plan=self.plan, by=request.user, assessment=self.item, **form.cleaned_data
        )
