"""Reads for family finding (issue 14), each scoped by the one rule in permanence.access."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from permanence.access import child_visibility_q, household_visibility_q, user_keeps_household
from permanence.finding import services
from permanence.models import (
    CarerHousehold,
    Child,
    FamilyFindingAllocation,
    FamilySearch,
    OrderRecord,
    Plan,
    PotentialMatch,
    SgoAssessment,
    User,
)
from permanence.models.finding import (
    SGO_CAO_REASONS,
    achievement_missing,
    may_place_for_adoption,
    plan_lineage,
)
from permanence.models.plans import Route, Status

REASON_LABELS = dict(SGO_CAO_REASONS)


def households_for_user(*, user: User) -> QuerySet[CarerHousehold]:
    q = household_visibility_q(user)
    if q is None:
        return CarerHousehold.objects.none()
    return (
        CarerHousehold.objects.filter(q)
        .select_related("supervising_social_worker", "service")
        .order_by("name", "pk")
    )


def household_get_for_user(*, user: User, pk: int) -> CarerHousehold:
    """One household, or 404 when the user has no reason to see it."""
    household = households_for_user(user=user).filter(pk=pk).first()
    if household is None:
        raise Http404("No such household")
    return household


def household_matches(*, household: CarerHousehold, user: User) -> list[PotentialMatch]:
    """The children this household was considered for, among those the reader may see."""
    q = child_visibility_q(user)
    if q is None:
        return []
    children = Child.objects.filter(q).values("pk")
    return list(
        PotentialMatch.objects.filter(carer=household, plan__child__in=children)
        .select_related("plan", "plan__child")
        .order_by("-considered_on", "-pk")
    )


def item_for_plan(model, *, plan: Plan, pk: int):
    """A record of this plan (or an earlier version still counting), or 404."""
    if model is OrderRecord:
        found = model.objects.filter(pk=pk, child_id=plan.child_id).first()
    else:
        found = model.objects.filter(pk=pk, plan_id__in=plan_lineage(plan)).first()
    if found is None:
        raise Http404("No such record")
    return found


def _contact_lines(matches: list[PotentialMatch], user: User) -> None:
    for match in matches:
        carer = match.carer
        match.keeps = user_keeps_household(user, carer)
        match.contact_route = services.contact_route(carer)


def finding_context(*, plan: Plan, user: User) -> dict:
    lineage = plan_lineage(plan)
    allocations = list(
        FamilyFindingAllocation.objects.filter(plan_id__in=lineage)
        .select_related("worker", "by")
        .order_by("ended_on", "-allocated_on", "-pk")
    )
    current = [a for a in allocations if a.ended_on is None]
    searches = list(
        FamilySearch.objects.filter(plan_id__in=lineage)
        .select_related("permission_by")
        .order_by("-started_on", "-pk")
    )
    matches = list(
        PotentialMatch.objects.filter(plan_id__in=lineage)
        .select_related("carer", "carer__supervising_social_worker", "ratified_by_hos")
        .order_by("considered_on", "pk")
    )
    _contact_lines(matches, user)
    for match in matches:
        match.can_change = user.has_perm("permanence.change_potentialmatch", match)
        match.can_place = match.can_change and match.is_approved and not match.placed_on
    orders = list(
        OrderRecord.objects.filter(child_id=plan.child_id)
        .select_related("household")
        .order_by("-pk")
    )
    for order in orders:
        order.warnings = services.order_warnings(order)
        order.reason_labels = [REASON_LABELS[r] for r in order.reasons if r in REASON_LABELS]
        order.can_change = user.has_perm("permanence.change_orderrecord", order)
    assessments = list(
        SgoAssessment.objects.filter(plan_id__in=lineage)
        .select_related("assessor", "household")
        .order_by("-pk")
    )
    for assessment in assessments:
        assessment.can_change = user.has_perm("permanence.change_sgoassessment", assessment)
    for search in searches:
        search.can_change = user.has_perm("permanence.change_familysearch", search)
    live = plan.is_live
    kinds = services.allocation_kinds(plan)
    adoption = plan.route == Route.ADOPTION
    return {
        "plan": plan,
        "child": plan.child,
        "allocations": allocations,
        "current_allocations": current,
        "allocation_due": services.allocation_due(plan) if not current else None,
        "allocation_kinds": kinds,
        "searches": searches,
        "matches": matches,
        "orders": orders,
        "assessments": assessments,
        "achieve_needs": achievement_missing(plan)
        if live and plan.status in (Status.RATIFIED, Status.IN_IMPLEMENTATION)
        else [],
        "placement_authority": may_place_for_adoption(plan.child) if adoption else None,
        "is_adoption": adoption,
        "shows_sgo": plan.route in (Route.SGO_CAO, Route.CONNECTED_PERSON) or bool(assessments),
        "can_allocate": live
        and bool(kinds)
        and plan.status in services.ALLOCATING_STATES
        and user.has_perm("permanence.add_familyfindingallocation", plan),
        "can_search": live and user.has_perm("permanence.add_familysearch", plan),
        "can_match": live and user.has_perm("permanence.add_potentialmatch", plan),
        "can_order": live and user.has_perm("permanence.add_orderrecord", plan),
        "can_assess": live and user.has_perm("permanence.add_sgoassessment", plan),
    }
