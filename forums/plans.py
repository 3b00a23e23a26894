"""The permanence plan as the forums see it: its routes, and the plan services Part 2 and a
disruption call (SPEC §3, seed 000).

One module holds every touch on `permanence.plans`, so that the forums app depends on the plan
through a handful of named functions and nothing else.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django_fsm import can_proceed

from permanence.models.plans import OptionConsidered, Plan, PlanAction, Route
from permanence.plans.selectors import plan_current_for_child
from permanence.plans.services import (
    plan_action_add,
    plan_action_complete,
    plan_create,
    plan_disrupt,
    plan_present,
)

# Routes that keep the child within the birth family (the first two rungs of the ladder, 001
# §2.1, 002 §6). Every other route needs a Child Permanence Report (seed 000).
WITHIN_BIRTH_FAMILY = frozenset({Route.RETURN_HOME, Route.CONNECTED_PERSON})


def is_outside_birth_family(route: str | None) -> bool:
    """A route outside the birth family needs a Child Permanence Report (seed 000)."""
    return bool(route) and route in Route.values and route not in WITHIN_BIRTH_FAMILY


def needs_child_permanence_report(route: str | None, *, sgo_with_relatives: bool = False) -> bool:
    """A Child Permanence Report for every child whose permanence is outside the birth family:
    not for special guardianship with relatives, nor a pathway plan (seed 000)."""
    if not is_outside_birth_family(route) or route == Route.PATHWAY_PLAN:
        return False
    return not (route == Route.SGO_CAO and sgo_with_relatives)


def current_plan(*, child) -> Plan | None:
    return plan_current_for_child(child=child)


def current_plans(*, child_ids) -> dict[int, Plan]:
    """Each child's plan in force, by child id, in one query (the forum's agenda)."""
    found: dict[int, Plan] = {}
    for plan in (
        Plan.objects.filter(child_id__in=child_ids)
        .exclude(status=Plan.Status.SUPERSEDED)
        .select_related("child", "ratified_by", "presented_by")
        .order_by("child_id", "-version")
    ):
        found.setdefault(plan.child_id, plan)
    return found


def options_ruled_out(*, child) -> list[OptionConsidered]:
    """The rungs of the ladder considered for the child and ruled out, with why (002 §6)."""
    return list(OptionConsidered.objects.filter(child=child, reopened_on__isnull=True))


def plan_actions(ids) -> dict[int, PlanAction]:
    """The plan actions Part 2's tasks became, by id."""
    return PlanAction.objects.select_related("plan", "plan__child").in_bulk([i for i in ids if i])


def complete_plan_action(*, action: PlanAction, by) -> PlanAction:
    """A Part 2 task is done: its plan action is ticked (the plan's own rule on who may)."""
    return plan_action_complete(action=action, by=by)


def present_plan(*, child, by, route: str, contingency_route: str, reason: str) -> Plan:
    """Forum advice received: the child's draft plan becomes presented (SPEC §3, seed 000).

    The social worker drafts the plan before the forum; a chair who may not draft plans cannot
    send Part 2 for a child with none, and is told so. A plan already past draft (presented to a
    review, or ratified) keeps its status: the advice and tasks are added to it.
    """
    plan = current_plan(child=child)
    if plan is None:
        if not by.has_perm("permanence.add_plan", child):
            raise ValidationError(
                f"{child.full_name} has no permanence plan yet, so the forum's advice and tasks "
                "have nothing to be recorded against. Ask the social worker to draft the plan, "
                "then send Part 2: your draft is saved."
            )
        plan = plan_create(
            child=child, by=by, route=route, contingency_route=contingency_route, reason=reason
        )
    if plan.status == Plan.Status.DRAFT:
        plan = plan_present(plan=plan, by=by, reason=reason)
    return plan


def add_plan_action(*, plan: Plan, by, what: str, owner, due_on: dt.date, source: str):
    """A Part 2 task becomes an action on the plan (SPEC §3, seed 000)."""
    return plan_action_add(plan=plan, by=by, what=what, owner=owner, due_on=due_on, source=source)


def disrupt_plan(*, child, by, reason: str, on: dt.date) -> Plan | None:
    """A long-term placement broke down: a ratified plan goes back to planning (000).

    Only a plan that was ratified by the time of the disruption, and that the user may change,
    is marked; otherwise None, and the disruption is recorded on its own.
    """
    plan = current_plan(child=child)
    if plan is None or not can_proceed(plan.disrupt):
        return None
    if plan.ratified_on and on < plan.ratified_on:
        return None
    if not by.has_perm("permanence.change_plan", plan):
        return None
    return plan_disrupt(plan=plan, by=by, reason=reason, on=on)
