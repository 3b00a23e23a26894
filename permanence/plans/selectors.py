"""Reads of the permanence plan, limited to what the user may see (SPEC §1, §3)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from permanence.access import visible_column_sql
from permanence.models import Child, OptionConsidered, Plan, PlanAction, User
from permanence.models.plans import (
    LADDER,
    SHORT_ROUTE_NAMES,
    Route,
    Status,
    options_to_rule_out,
)
from permanence.prepared import one_row, prepared
from permanence.selectors import HistoryEntry, _entries

# The GOV.UK tag colour for each status, so every page shows a status the same way.
STATUS_TAGS = {
    Status.DRAFT: "govuk-tag--grey",
    Status.PRESENTED: "govuk-tag--light-blue",
    Status.RATIFIED: "govuk-tag--green",
    Status.IN_IMPLEMENTATION: "govuk-tag--turquoise",
    Status.ACHIEVED: "govuk-tag--purple",
    Status.DISRUPTED: "govuk-tag--red",
    Status.SUPERSEDED: "govuk-tag--grey",
}


def plan_current_for_child(*, child: Child) -> Plan | None:
    """The child's plan in force: the one version not superseded, or None (SPEC §3)."""
    return (
        Plan.objects.filter(child=child)
        .exclude(status=Status.SUPERSEDED)
        .select_related("child", "ratified_by", "presented_by")
        .first()
    )


def plans_for_user(*, user: User) -> QuerySet[Plan]:
    """The plans in force for the children this user may see (SPEC §1)."""
    # The children as one UNION ALL of each relationship's, not read again by id (issue 19).
    children = visible_column_sql(user, "pk")
    if children is None:
        return Plan.objects.none()
    return (
        Plan.objects.filter(child__in=children)
        .exclude(status=Status.SUPERSEDED)
        .select_related("child", "child__team", "child__social_worker", "child__iro")
        .order_by("child__last_name", "child__first_name", "pk")
    )


def plan_get_for_user(*, user: User, pk: int) -> Plan:
    """One plan version, or 404 when the user may not see the child (CONVENTIONS: Access)."""
    plan = (
        Plan.objects.select_related(
            "child",
            "child__team",
            "child__social_worker",
            "child__iro",
            "previous",
            "presented_by",
            "ratified_by",
            "created_by",
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None or not user.has_perm("permanence.view_plan", plan):
        raise Http404("No such plan")
    return plan


def plan_versions(*, plan: Plan) -> QuerySet[Plan]:
    """Every version of the child's plan, newest first: old versions stay readable (SPEC §3)."""
    return (
        Plan.objects.filter(child_id=plan.child_id)
        .select_related("created_by")
        .order_by("-version")
    )


def plan_actions(*, plan: Plan) -> QuerySet[PlanAction]:
    """The version's actions, outstanding first by due date."""
    return plan.actions.select_related("owner", "plan__child__team").order_by(
        "done_on", "due_on", "pk"
    )


@dataclass
class Rung:
    """One rung of the ladder as the plan page draws it (002 §6)."""

    route: str
    label: str
    state: str  # current, contingency, ruled_out, not_ruled_out, open, below
    records: list[OptionConsidered] = field(default_factory=list)
    reopened: list[OptionConsidered] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return RUNG_STATE_LABELS[self.state]

    @property
    def tag(self) -> str:
        return RUNG_STATE_TAGS[self.state]


RUNG_STATE_LABELS = {
    "current": "The plan",
    "contingency": "Contingency",
    "ruled_out": "Ruled out",
    "not_ruled_out": "Not ruled out",
    "open": "Not considered yet",
}
RUNG_STATE_TAGS = {
    "current": "govuk-tag--blue",
    "contingency": "govuk-tag--yellow",
    "ruled_out": "govuk-tag--grey",
    "not_ruled_out": "govuk-tag--red",
    "open": "govuk-tag--grey",
}


def ladder_for_plan(*, plan: Plan) -> list[Rung]:
    """Each rung's state for this plan: the route, the contingency, ruled out and why."""
    records = list(
        OptionConsidered.objects.filter(child_id=plan.child_id)
        .select_related("recorded_by")
        .order_by("considered_on", "pk")
    )
    above = set(options_to_rule_out(plan.route))
    rungs = []
    for route in LADDER:
        active = [r for r in records if r.rung == route and r.reopened_on is None]
        reopened = [r for r in records if r.rung == route and r.reopened_on is not None]
        if plan.route == route:
            state = "current"
        elif plan.contingency_route == route:
            state = "contingency"
        elif active:
            state = "ruled_out"
        elif route in above:
            # Plans made before the setting changed, or after a rung was reopened.
            state = "not_ruled_out"
        else:
            state = "open"
        rungs.append(Rung(route, Route(route).label, state, active, reopened))
    return rungs


def off_ladder_route(plan: Plan) -> str | None:
    """The plan's route when it is off the ladder (residential care, pathway plan)."""
    return None if plan.route in LADDER else plan.route


def plan_history(*, plan: Plan) -> list[HistoryEntry]:
    """Every recorded change to this version and its actions, newest first, with who and why."""
    plan_rows = Plan.history.filter(id=plan.pk).select_related("history_user")
    action_rows = PlanAction.history.filter(plan_id=plan.pk).select_related("history_user")
    entries = _entries(plan_rows.order_by("history_date"), lambda r: f"Version {r.version}")
    entries += _entries(action_rows.order_by("history_date"), lambda r: f"Action “{r.what[:60]}”")
    return [_readable(e) for e in sorted(entries, key=lambda e: e.when, reverse=True)]


_CHOICE_LABELS = {
    "Status": dict(Status.choices),
    "Route": dict(Route.choices),
    "Contingency route": dict(Route.choices),
}
_PEOPLE = {"Presented by", "Ratified by", "Owner", "Created by"}


def _readable(entry: HistoryEntry) -> HistoryEntry:
    """Show states by their names and people by theirs, not as stored values."""
    changes = []
    for label, old, new in entry.changes:
        if label in _CHOICE_LABELS:
            names = _CHOICE_LABELS[label]
            old, new = names.get(old, old), names.get(new, new)
        elif label in _PEOPLE:
            old, new = _person(old), _person(new)
        changes.append((label, old, new))
    entry.changes[:] = changes
    return entry


def _person(value: str) -> str:
    if value.isdigit():
        user = User.objects.filter(pk=int(value)).first()
        return str(user) if user else value
    return value


def short_route(route: str) -> str:
    return SHORT_ROUTE_NAMES.get(route, route)


@prepared
def _plan_in_force(child_id: int):
    return one_row(
        Plan.objects.filter(child_id=child_id)
        .exclude(status=Status.SUPERSEDED)
        .select_related("child", "ratified_by", "presented_by")
        .annotate(
            open_action_count=Coalesce(
                Subquery(
                    PlanAction.objects.filter(plan=OuterRef("pk"), done_on__isnull=True)
                    .order_by()
                    .values("plan_id")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
    )


def plan_current_for_page(*, child: Child) -> Plan | None:
    """The child's plan in force with how many of its actions are open, in one query, read once
    for the child's page: the plan's and the reviews' sections share it (issue 19). Only for
    reading a page: the plan is kept on this `child` object for the rest of the request."""
    try:
        return child._plan_for_page
    except AttributeError:
        pass
    found = _plan_in_force(child.pk)
    plan = found[0] if found else None
    child._plan_for_page = plan
    return plan


def child_plan_panel(*, child: Child, user: User) -> dict:
    """The plan section on the child's page (permanence.panels)."""
    plan = plan_current_for_page(child=child)
    return {
        "child": child,
        "plan": plan,
        "status_tag": STATUS_TAGS.get(plan.status) if plan else "",
        "open_action_count": plan.open_action_count if plan else 0,
        "can_draft": plan is None and user.has_perm("permanence.add_plan", child),
        "versions": plan.version if plan else 0,
    }
