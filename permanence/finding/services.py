"""Writes for family finding (issue 14). Every change is checked, atomic and in history.

Each service takes the acting user as `by=`, checks their permission (a 403 otherwise), and
refuses bad input with a ValidationError keyed by the field it is about; the models' own
`clean()` holds the rules a record must always keep (an external search needs written
permission, a household ruled out needs its reason), so that every way in keeps them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from permanence.access import user_can_see_household, who_may_see
from permanence.common import require
from permanence.history import save_with_history
from permanence.models import (
    CarerHousehold,
    FamilyFindingAllocation,
    FamilySearch,
    OrderRecord,
    Plan,
    PotentialMatch,
    SgoAssessment,
    User,
)
from permanence.models.finding import PLACEMENT_AUTHORITY_MISSING, may_place_for_adoption
from permanence.models.plans import SHORT_ROUTE_NAMES, Route, Status
from permanence.notifications import child_label, notify
from permanence.roles import Role
from permanence.timescales import due_date

Kind = FamilyFindingAllocation.Kind

# Who takes a ratified plan forward, by route (000 "Progressing the plan", 003 "Outcomes"):
# a family finder for adoption and for long-term fostering with new carers; an SGO assessing
# worker for special guardianship (or the supervising social worker, with existing carers);
# the supervising social worker of existing carers for long-term fostering with them.
ALLOCATION_KINDS: dict[str, tuple[str, ...]] = {
    Route.ADOPTION: (Kind.FAMILY_FINDER,),
    Route.LONG_TERM_FOSTERING: (Kind.FAMILY_FINDER, Kind.SUPERVISING_SW),
    Route.SGO_CAO: (Kind.SGO_ASSESSOR, Kind.SUPERVISING_SW),
    Route.CONNECTED_PERSON: (Kind.SGO_ASSESSOR, Kind.SUPERVISING_SW),
}
ALLOCATING_STATES = (Status.RATIFIED, Status.IN_IMPLEMENTATION)
ALLOCATION_RULE = "family_finding_allocated"

HOUSEHOLD_FIELDS = (
    "name",
    "kind",
    "agency_name",
    "approved_on",
    "approved_for",
    "form_f_on",
    "supervising_social_worker",
    "agency_contact",
    "contact_details",
    "status",
    "notes",
)
SEARCH_FIELDS = (
    "scope",
    "started_on",
    "pen_picture_sent_on",
    "permission_by",
    "permission_on",
    "permission_note",
    "copied_to_placements",
    "ifa_request",
    "ifa_funding_agreed_by",
    "ifa_funding_agreed_on",
    "business_case_signed_off_by",
    "business_case_signed_off_on",
    "ended_on",
    "notes",
)
MATCH_FIELDS = (
    "carer",
    "considered_on",
    "outcome",
    "reason",
    "existing_carers",
    "explore_sgo",
    "explore_sgo_note",
    "adoption_support_assessed_on",
    "adoption_support_note",
)
ORDER_FIELDS = (
    "kind",
    "status",
    "reasons",
    "sought_because",
    "applicants",
    "applicant_basis",
    "household",
    "applied_on",
    "made_on",
    "ended_on",
    "notes",
)
SGO_FIELDS = (
    "household",
    "applicants",
    "assessor",
    "assessor_other",
    "started_on",
    "completed_on",
    "recommendation",
    "support_plan",
    "financial_support",
    "support_after_order",
    "support_plan_agreed_on",
)


def _today() -> dt.date:
    return timezone.localdate()


def _set(obj, fields: dict, allowed: tuple[str, ...]):
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{name} cannot be set here")
        setattr(obj, name, value)
    return obj


def _live(plan: Plan) -> None:
    if not plan.is_live:
        raise ValidationError("That version of the plan has been superseded: use the current plan")


def _new_or_locked(model, item, *, plan: Plan, by: User, new: dict, same: dict):
    """The record to write: a new one on the plan (the user may add it, and the plan is still
    live), or the existing one locked for the change (the user may change it, and it belongs to
    `same`, so a forged id from another child is never reached). Returns (record, is_new)."""
    name = model._meta.model_name
    if item is None:
        require(by, f"permanence.add_{name}", plan)
        _live(plan)
        return model(recorded_by=by, **new), True
    require(by, f"permanence.change_{name}", item)
    return model.objects.select_for_update().get(pk=item.pk, **same), False


def _finding_url(plan: Plan) -> str:
    return reverse("permanence:finding", args=[plan.pk])


# -- carers -----------------------------------------------------------------------------------


@transaction.atomic
def household_save(*, by: User, household: CarerHousehold | None = None, **fields):
    """Add a household to the register, or change it: CPS duty keeps the register (000, 003)."""
    if household is None:
        require(by, "permanence.add_carerhousehold")
        service_id = by.oversight_service_id
        if service_id is None:
            raise ValidationError(
                "Your account has no service, so the household would belong to none: ask the "
                "administrator to set your service"
            )
        household = CarerHousehold(created_by=by, service_id=service_id)
        reason = "Household added to the carers' register"
    else:
        require(by, "permanence.change_carerhousehold", household)
        household = CarerHousehold.objects.select_for_update().get(pk=household.pk)
        reason = "Household changed"
    _set(household, fields, HOUSEHOLD_FIELDS)
    worker = household.supervising_social_worker
    if worker is not None and not worker.has_role(Role.SOCIAL_WORKER):
        raise ValidationError(
            {"supervising_social_worker": "Choose a social worker as the supervising social worker"}
        )
    return save_with_history(household, by=by, reason=reason)


def contact_route(household: CarerHousehold) -> str:
    """How a child's social worker reaches the carers: never directly, always through their
    supervising social worker (000)."""
    worker = household.supervising_social_worker
    if worker is not None:
        email = f", {worker.email}" if worker.email else ""
        return f"Contact through the supervising social worker: {worker}{email}"
    if household.agency_contact:
        return f"Contact through the agency's supervising social worker: {household.agency_contact}"
    return "Contact through CPS duty: the household has no supervising social worker recorded"


# -- allocation once the plan is ratified -------------------------------------------------------


def allocation_kinds(plan: Plan) -> tuple[str, ...]:
    return ALLOCATION_KINDS.get(plan.route, ())


def allocation_due(plan: Plan) -> dt.date | None:
    """When the plan should have someone allocated to take it forward: counted from the
    ratification by the one timescale registry (a rule of ours, set by the administrator)."""
    if not plan.ratified_on or not allocation_kinds(plan):
        return None
    return due_date(ALLOCATION_RULE, plan.ratified_on)


def _route_words(route: str) -> str:
    return SHORT_ROUTE_NAMES.get(route, route)


@transaction.atomic
def allocation_add(
    *, plan: Plan, by: User, kind: str, worker: User, on: dt.date | None = None
) -> FamilyFindingAllocation:
    """Allocate a family finder, an SGO assessing worker or the carers' supervising social
    worker to a ratified plan; one of each kind at a time (the new one replaces the old)."""
    require(by, "permanence.add_familyfindingallocation", plan)
    plan = Plan.objects.select_for_update().select_related("child").get(pk=plan.pk)
    _live(plan)
    kinds = allocation_kinds(plan)
    if not kinds:
        raise ValidationError(
            {"kind": f"A plan for {_route_words(plan.route)} has no family finding to allocate"}
        )
    if plan.status not in ALLOCATING_STATES:
        raise ValidationError(
            {
                "kind": "Allocate once the plan has been ratified: this plan is "
                f"{plan.get_status_display().lower()}"
            }
        )
    if kind not in kinds:
        allowed = " or ".join(Kind(k).label.lower() for k in kinds)
        raise ValidationError(
            {"kind": f"A plan for {_route_words(plan.route)} is taken forward by a {allowed}"}
        )
    if not worker.is_active or not worker.roles:
        raise ValidationError({"worker": "Choose someone who works in the service"})
    on = on or _today()
    if on > _today():
        raise ValidationError({"on": "The date allocated cannot be in the future"})
    if plan.ratified_on and on < plan.ratified_on:
        raise ValidationError(
            {
                "on": "The date allocated cannot be before the plan was ratified, "
                f"{plan.ratified_on:%-d %B %Y}"
            }
        )
    for old in FamilyFindingAllocation.objects.filter(plan=plan, kind=kind, ended_on__isnull=True):
        old.ended_on = on
        save_with_history(old, by=by, reason=f"Replaced by {worker}")
    allocation = save_with_history(
        FamilyFindingAllocation(plan=plan, kind=kind, worker=worker, allocated_on=on, by=by),
        by=by,
        reason=f"Allocated as {Kind(kind).label.lower()}",
    )
    child = plan.child
    transaction.on_commit(
        lambda: notify(
            recipients=[u for u in who_may_see([worker], child) if u.pk != by.pk],
            subject=f"You are allocated to {child_label(child)}",
            body=f"{by} allocated you as {Kind(kind).label.lower()} for the "
            f"{_route_words(plan.route)} plan.",
            link=_finding_url(plan),
        )
    )
    return allocation


# -- the search and the households considered ---------------------------------------------------


@transaction.atomic
def search_save(
    *, plan: Plan, by: User, search: FamilySearch | None = None, **fields
) -> FamilySearch:
    """Record the search for a family, or change it (003 "Family finding")."""
    search, is_new = _new_or_locked(
        FamilySearch, search, plan=plan, by=by, new={"plan": plan}, same={"plan": plan}
    )
    reason = "Search for a family recorded" if is_new else "Search for a family changed"
    _set(search, fields, SEARCH_FIELDS)
    manager = search.permission_by
    if manager is not None and not manager.has_role(Role.HEAD_OF_SERVICE):
        raise ValidationError(
            {
                "permission_by": "Permission for a search outside our carers is given by a senior "
                "manager: choose a head of service"
            }
        )
    return save_with_history(search, by=by, reason=reason)


@transaction.atomic
def match_save(
    *, plan: Plan, by: User, match: PotentialMatch | None = None, **fields
) -> PotentialMatch:
    """Record a household considered for the child, or its outcome and reason (000, 003)."""
    match, is_new = _new_or_locked(
        PotentialMatch, match, plan=plan, by=by, new={"plan": plan}, same={"plan": plan}
    )
    reason = "Household considered" if is_new else "Potential match changed"
    carer = fields.get("carer")
    if carer is not None and carer.pk != match.carer_id and not user_can_see_household(by, carer):
        raise ValidationError({"carer": "Choose a household from the carers' register"})
    _set(match, fields, MATCH_FIELDS)
    if (
        match.carer_id
        and PotentialMatch.objects.filter(plan=plan, carer_id=match.carer_id)
        .exclude(pk=match.pk)
        .exists()
    ):
        raise ValidationError({"carer": "This household is already being considered for the child"})
    return save_with_history(match, by=by, reason=reason)


@transaction.atomic
def match_place(*, match: PotentialMatch, by: User, on: dt.date) -> PotentialMatch:
    """The child moves in with the approved carers (or, with existing carers, the placement
    becomes permanent): only after the decision maker's approval; for adoption, with a
    placement order or the parents' consent (001 §6); for long-term fostering, once the head
    of service has ratified the match (003)."""
    require(by, "permanence.change_potentialmatch", match)
    match = (
        PotentialMatch.objects.select_for_update().select_related("plan__child").get(pk=match.pk)
    )
    plan = match.plan
    errors: dict[str, str] = {}
    if on > _today():
        errors["on"] = "The date placed cannot be in the future"
    elif not match.is_approved:
        errors["on"] = (
            "The child is placed only after the agency decision maker has approved the match"
        )
    elif match.decided_on and on < match.decided_on:
        errors["on"] = (
            f"The date placed cannot be before the match was approved, {match.decided_on:%-d %B %Y}"
        )
    elif plan.route == Route.ADOPTION and not may_place_for_adoption(plan.child):
        errors["on"] = f"Before placing for adoption, record {PLACEMENT_AUTHORITY_MISSING}"
    elif plan.route == Route.LONG_TERM_FOSTERING and not (
        match.ratified_by_hos_id and match.ratified_on
    ):
        errors["on"] = (
            "A long-term fostering match is ratified by the head of service before the "
            "placement becomes permanent"
        )
    if errors:
        raise ValidationError(errors)
    match.placed_on = on
    match.outcome = PotentialMatch.Outcome.MATCHED
    return save_with_history(match, by=by, reason="Child placed with the approved carers")


def placement_warnings(match: PotentialMatch) -> list[str]:
    """What to follow up once the child is placed: for adoption, the adopters' need for support,
    financial support included, is assessed (001 §3.9)."""
    if match.plan.route == Route.ADOPTION and not match.adoption_support_assessed_on:
        return [
            "The need for adoption support has not been assessed yet: the authority must assess "
            "it, financial support included, and record the date on the household considered"
        ]
    return []


# -- orders ------------------------------------------------------------------------------------

A = OrderRecord.Applicant
# Who may apply without the court's leave (001 §3.4, §3.5).
MAY_APPLY: dict[str, frozenset[str]] = {
    OrderRecord.Kind.SGO: frozenset(
        {
            A.GUARDIAN,
            A.FOSTER_CARER_YEAR,
            A.HOLDS_ORDER,
            A.LIVED_THREE_YEARS,
            A.LA_CONSENT,
            A.PR_CONSENT,
            A.LEAVE,
        }
    ),
    OrderRecord.Kind.CAO: frozenset(
        {
            A.PARENT,
            A.GUARDIAN,
            A.MARRIAGE,
            A.FOSTER_CARER_YEAR,
            A.LIVED_THREE_YEARS,
            A.HOLDS_ORDER,
            A.LA_CONSENT,
            A.PR_CONSENT,
            A.LEAVE,
        }
    ),
}


def order_warnings(order: OrderRecord) -> list[str]:
    """What to check about who applies, and the support behind a special guardianship order:
    warnings, not refusals, since the court may give leave (001 §3.4-3.5)."""
    warnings: list[str] = []
    allowed = MAY_APPLY.get(order.kind)
    if allowed is not None:
        name = order.get_kind_display().lower()
        if not order.applicant_basis:
            warnings.append(
                f"Record on what footing the applicants apply for a {name}: not everyone may "
                "apply without the court's leave"
            )
        elif order.applicant_basis not in allowed:
            warnings.append(
                f"{order.get_applicant_basis_display()} is not among those who may apply for a "
                f"{name} as of right: the applicants will need the court's leave to apply"
            )
        elif order.applicant_basis == A.LEAVE:
            warnings.append("The applicants apply with the court's leave: record when it is given")
    if order.kind == OrderRecord.Kind.SGO and order.status in (
        OrderRecord.Status.SOUGHT,
        OrderRecord.Status.MADE,
    ):
        done = SgoAssessment.objects.filter(
            plan__child_id=order.child_id, completed_on__isnull=False
        )
        if not any(a.has_support_plan for a in done):
            warnings.append(
                "No completed special guardianship assessment with a support plan (finance and "
                "support after the order) is recorded: every order needs one"
            )
    return warnings


@transaction.atomic
def order_save(
    *, plan: Plan, by: User, order: OrderRecord | None = None, **fields
) -> tuple[OrderRecord, list[str]]:
    """Record an order sought or made (or a return home completed), or change it; returns the
    record and the warnings to show about it."""
    order, is_new = _new_or_locked(
        OrderRecord,
        order,
        plan=plan,
        by=by,
        new={"plan": plan, "child": plan.child},
        same={"child": plan.child},
    )
    reason = "Order recorded" if is_new else "Order changed"
    household = fields.get("household")
    if household is not None and not user_can_see_household(by, household):
        raise ValidationError({"household": "Choose a household from the carers' register"})
    _set(order, fields, ORDER_FIELDS)
    if order.kind not in (OrderRecord.Kind.SGO, OrderRecord.Kind.CAO):
        order.reasons = []
    order = save_with_history(order, by=by, reason=reason)
    return order, order_warnings(order)


@transaction.atomic
def sgo_assessment_save(
    *, plan: Plan, by: User, assessment: SgoAssessment | None = None, **fields
) -> SgoAssessment:
    """Record the special guardianship assessment and its support plan (000, 001 §3.5)."""
    assessment, is_new = _new_or_locked(
        SgoAssessment, assessment, plan=plan, by=by, new={"plan": plan}, same={"plan": plan}
    )
    reason = (
        "Special guardianship assessment recorded"
        if is_new
        else "Special guardianship assessment changed"
    )
    household = fields.get("household")
    if household is not None and not user_can_see_household(by, household):
        raise ValidationError({"household": "Choose a household from the carers' register"})
    _set(assessment, fields, SGO_FIELDS)
    return save_with_history(assessment, by=by, reason=reason)
