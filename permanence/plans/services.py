"""Writes to the permanence plan (SPEC §3). Every change is checked, atomic and in history.

Each service takes the acting user as `by=`, checks their permission (PermissionDenied, a 403),
locks and re-reads the plan so that two people acting at once cannot both move it, and refuses
bad input with a ValidationError keyed by the field it is about. A transition refused leaves
the plan exactly as it was: nothing is saved unless everything succeeds.

A draft plan is changed in place. A presented plan keeps its route but its details may still be
completed before the review. A ratified plan (and one in implementation, achieved or disrupted)
is never edited: a change makes the next version, in draft, which needs ratifying again, and the
old version stays readable as superseded (SPEC §3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from permanence.common import require, transition
from permanence.history import save_with_history
from permanence.models import Child, OptionConsidered, Plan, PlanAction, User
from permanence.models.plans import (
    LADDER,
    PERMANENCE_ROUTES,
    SHORT_ROUTE_NAMES,
    Route,
    Status,
    ladder_message,
    rungs_above,  # noqa: F401 (read by the route forms and tests through this module)
    rungs_not_ruled_out,
)
from permanence.notifications import child_label, notify

# The IRO's checklist at the second review (002 §7): every item must be ticked to ratify.
RATIFICATION_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("plan_drawn_up", "A permanence plan is drawn up"),
    ("actions_clear", "Everyone involved is clear about the actions needed to achieve the plan"),
    ("timescales_clear", "The timescales for achieving the plan are clear"),
    ("resources_available", "The necessary resources are available"),
    ("contingency_in_place", "A contingency plan is in place if the plan does not succeed"),
    ("review_dates_set", "Dates are set for reviewing the plan"),
)
CHECKLIST_LABELS = dict(RATIFICATION_CHECKLIST)

# What a social worker may change about a plan besides its route and status.
DETAIL_FIELDS = (
    "contingency_route",
    "early_permanence",
    "summary",
    "timescales",
    "resources",
    "plan_review_on",
    "placed_out_of_area",
    "out_of_area_reason",
    "identity_and_needs",
    "child_views",
    "parents_views",
    "others_views",
)


@dataclass(frozen=True)
class OptionInput:
    """A rung of the ladder the worker has considered and ruled out, as entered on a form."""

    rung: str
    considered_on: dt.date | None
    why_ruled_out: str
    considered_by: str = ""


def _today() -> dt.date:
    return timezone.localdate()


def _lock(plan: Plan) -> Plan:
    """The plan as it is now in the database, locked until the transaction ends."""
    return Plan.objects.select_for_update().select_related("child", "child__team").get(pk=plan.pk)


def _save(plan: Plan, *, by: User, reason: str) -> Plan:
    # The protected state fields cannot be assigned by full_clean; transitions validate them.
    return save_with_history(plan, by=by, reason=reason, exclude=["status", "route"])


def long_date(day: dt.date) -> str:
    """27 March 2025: how GOV.UK writes a date."""
    return f"{day.day} {day:%B %Y}"


def _name(route: str) -> str:
    return SHORT_ROUTE_NAMES.get(route, route)


def _transition(plan: Plan, name: str, user: User, /, **kwargs) -> None:
    """The common transition, refusing a plan in the wrong state in the plan's own words."""
    transition(plan, name, user, refused=_not_now(plan, name), **kwargs)


def _not_now(plan: Plan, name: str) -> dict[str, str]:
    if name == "ratify" and plan.status == Status.DRAFT:
        return {
            "status": "The plan has not been presented yet: it is presented before it is ratified"
        }
    return {
        "status": f"A plan that is {plan.get_status_display().lower()} cannot be {_VERBS[name]}"
    }


_VERBS = {
    "present": "presented",
    "ratify": "ratified",
    "implement": "put into implementation",
    "achieve": "marked achieved",
    "disrupt": "marked disrupted",
    "supersede": "superseded",
    "move_down": "moved down the ladder",
    "move_up": "moved up the ladder",
    "start_pathway_plan": "turned into a pathway plan",
}


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: "Enter the reason"})
    return reason


def _check_route_for_age(child: Child, route: str) -> None:
    """16 and over: a pathway plan, never a permanence route; under 16: the reverse (000, 001)."""
    today = _today()
    if child.needs_pathway_plan(today):
        if route != Route.PATHWAY_PLAN:
            raise ValidationError(
                {
                    "route": f"{child.first_name} is {child.age_on(today)}: for a young person "
                    "of 16 or over permanence is addressed through a pathway plan, not "
                    f"{_name(route)}"
                }
            )
    elif route == Route.PATHWAY_PLAN:
        raise ValidationError(
            {
                "route": "A pathway plan is for young people of 16 and over: "
                "choose a permanence route"
            }
        )


def ruled_out_rungs(child: Child) -> dict[str, OptionConsidered]:
    """Each ladder rung currently ruled out for the child, with its latest record (002 §6)."""
    records = OptionConsidered.objects.filter(child=child, reopened_on__isnull=True).order_by(
        "considered_on", "pk"
    )
    return {record.rung: record for record in records}


def _record_options(
    child: Child, plan: Plan | None, options: Iterable[OptionInput], by: User
) -> None:
    """Record each rung ruled out; errors are keyed `ruled_out_<rung>` for the form."""
    errors: dict[str, list[str]] = {}
    for option in options:
        if option.rung not in LADDER:
            raise ValidationError({"route": f"“{option.rung}” is not a rung of the ladder"})
        if option.considered_on is None:
            errors.setdefault(f"ruled_out_{option.rung}_on", []).append(
                f"Enter the date {_name(option.rung)} was considered"
            )
            continue
        record = OptionConsidered(
            child=child,
            plan=plan,
            rung=option.rung,
            considered_on=option.considered_on,
            why_ruled_out=(option.why_ruled_out or "").strip(),
            considered_by=(option.considered_by or "").strip() or by.get_full_name() or by.username,
            recorded_by=by,
        )
        try:
            save_with_history(record, by=by, reason=f"{_name(option.rung)} ruled out")
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                key = f"ruled_out_{option.rung}" + ("_on" if field == "considered_on" else "")
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_rungs_ruled_out(child: Child, route: str) -> None:
    """Every rung above `route` must have been considered and ruled out (002 §6, SPEC §3).

    The route a plan moves to is the transition's argument, which django-fsm conditions cannot
    see; ratifying checks the same rule on the plan's own route as a condition (ladder_passed).
    """
    missing = rungs_not_ruled_out(child, route)
    if missing:
        errors = {"route": ladder_message(route, missing)}
        for rung in missing:
            errors[f"ruled_out_{rung}"] = f"Enter why {_name(rung)} was ruled out"
        raise ValidationError(errors)


def _check_contingency(child: Child, plan: Plan) -> None:
    route = plan.contingency_route
    if not route:
        return
    if route in LADDER:
        record = ruled_out_rungs(child).get(route)
        if record is not None:
            raise ValidationError(
                {
                    "contingency_route": f"{_name(route).capitalize()} was ruled out on "
                    f"{long_date(record.considered_on)}: it cannot be the contingency"
                }
            )
    if route == Route.PATHWAY_PLAN:
        raise ValidationError({"contingency_route": "A pathway plan cannot be a contingency route"})


def _reopen(child: Child, rung: str, *, by: User, reason: str) -> None:
    """The plan returns to `rung`: its earlier ruling-out no longer stands (001 §2.1)."""
    for record in OptionConsidered.objects.filter(child=child, rung=rung, reopened_on__isnull=True):
        record.reopened_on = _today()
        record.reopened_reason = reason
        save_with_history(record, by=by, reason=f"{_name(rung)} reopened: {reason}")


# -- creating and changing a plan --------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    child: Child,
    by: User,
    route: str,
    contingency_route: str = "",
    reason: str = "",
    options: Iterable[OptionInput] = (),
    **details,
) -> Plan:
    """A new draft plan at the first rung not ruled out; 16+ get a pathway plan (002 §6, 000)."""
    require(by, "permanence.add_plan", child)
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown plan fields: {sorted(unknown)}")
    # Lock the child so that two workers drafting at once cannot both start a plan.
    child = Child.objects.select_for_update().select_related("team").get(pk=child.pk)
    if route not in Route.values:
        raise ValidationError({"route": "Choose a route to permanence"})
    current = Plan.objects.filter(child=child).exclude(status=Status.SUPERSEDED).first()
    if current is not None:
        raise ValidationError(
            {
                "route": f"{child.first_name} already has a plan (version {current.version}, "
                f"{current.get_status_display().lower()}): change that plan instead"
            }
        )
    _check_route_for_age(child, route)
    previous = Plan.objects.filter(child=child).order_by("-version").first()
    plan = Plan(
        child=child,
        route=route,
        contingency_route=contingency_route,
        version=previous.version + 1 if previous else 1,
        previous=previous,
        created_by=by,
        **details,
    )
    _check_contingency(child, plan)
    plan = _save(plan, by=by, reason=reason or f"Plan drafted: {_name(route)}")
    _record_options(child, plan, options, by)
    if route in LADDER and route in ruled_out_rungs(child):
        _reopen(child, route, by=by, reason="Chosen again as the plan's route")
    _check_rungs_ruled_out(child, route)
    return plan


def _new_version(plan: Plan, *, by: User, reason: str) -> Plan:
    """Supersede the locked `plan` with a copy in draft; open actions carry over (SPEC §3)."""
    today = _today()
    _transition(plan, "supersede", by, on=today)
    _save(plan, by=by, reason=f"Superseded by version {plan.version + 1}: {reason}")
    new = Plan(
        child=plan.child,
        version=plan.version + 1,
        previous=plan,
        route=plan.route,
        created_by=by,
        **{field: getattr(plan, field) for field in DETAIL_FIELDS},
    )
    _save(new, by=by, reason=f"Version {new.version}: {reason}")
    for action in plan.actions.filter(done_on__isnull=True):
        action.plan = new
        save_with_history(action, by=by, reason=f"Carried over to version {new.version}")
    return new


@transaction.atomic
def plan_new_version(*, plan: Plan, by: User, reason: str) -> Plan:
    """Changing a ratified plan makes a new version that needs ratifying again (SPEC §3)."""
    require(by, "permanence.change_plan", plan)
    reason = _require_reason(reason)
    plan = _lock(plan)
    return _new_version(plan, by=by, reason=reason)


def _live(plan: Plan) -> None:
    if not plan.is_live:
        raise ValidationError(
            {"status": "This version has been superseded: open the current plan to change it"}
        )


@transaction.atomic
def plan_update(*, plan: Plan, by: User, reason: str = "", **details) -> Plan:
    """Change the plan's details: in place before ratification, else as a new version (SPEC §3)."""
    require(by, "permanence.change_plan", plan)
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown plan fields: {sorted(unknown)}")
    plan = _lock(plan)
    _live(plan)
    changed = {f: v for f, v in details.items() if getattr(plan, f) != v}
    if not changed:
        return plan
    labels = ", ".join(str(Plan._meta.get_field(f).verbose_name) for f in changed)
    if plan.needs_new_version_to_change:
        reason = _require_reason(reason)
        plan = _new_version(plan, by=by, reason=reason)
    for field, value in changed.items():
        setattr(plan, field, value)
    _check_contingency(plan.child, plan)
    return _save(plan, by=by, reason=f"Changed {labels}" + (f": {reason}" if reason else ""))


@transaction.atomic
def plan_route_change(
    *, plan: Plan, by: User, route: str, reason: str, options: Iterable[OptionInput] = ()
) -> Plan:
    """Move the route down (rungs passed over ruled out, 002 §6) or back up (001 §2.1)."""
    require(by, "permanence.change_plan", plan)
    plan = _lock(plan)
    _live(plan)
    if route not in Route.values:
        raise ValidationError({"route": "Choose a route to permanence"})
    if route == plan.route:
        raise ValidationError({"route": f"The plan is already {_name(route)}"})
    reason = _require_reason(reason)
    child = plan.child
    _check_route_for_age(child, route)
    if plan.route == Route.PATHWAY_PLAN:
        raise ValidationError({"route": "A pathway plan cannot return to a permanence route"})
    if plan.status != Status.DRAFT:
        # Only a draft changes route in place; anything presented or ratified needs a new
        # version so that what the forum or the IRO saw stays as it was (SPEC §3).
        plan = _new_version(plan, by=by, reason=f"Route change: {reason}")
    old = plan.route
    _record_options(child, plan, options, by)
    if route == Route.PATHWAY_PLAN:
        _transition(plan, "start_pathway_plan", by)
        verb = "Pathway plan started"
    elif PERMANENCE_ROUTES.index(route) > PERMANENCE_ROUTES.index(old):
        _check_rungs_ruled_out(child, route)
        _transition(plan, "move_down", by, to=route)
        verb = "Moved down the ladder"
    else:
        _reopen(child, route, by=by, reason=reason)
        _transition(plan, "move_up", by, to=route)
        verb = "Moved back up the ladder"
    # The contingency becomes the plan, or was passed over on the way down: either way it is
    # no longer a contingency, and the worker sets a new one.
    if plan.contingency_route == route or plan.contingency_route in ruled_out_rungs(child):
        plan.contingency_route = ""
    if plan.early_permanence and Route.ADOPTION not in (plan.route, plan.contingency_route):
        plan.early_permanence = False
    return _save(plan, by=by, reason=f"{verb} from {_name(old)} to {_name(route)}: {reason}")


@transaction.atomic
def option_rule_out(
    *,
    child: Child,
    by: User,
    rung: str,
    considered_on: dt.date,
    why_ruled_out: str,
    considered_by: str = "",
) -> OptionConsidered:
    """Record that a rung was considered and why it was ruled out (002 §6)."""
    require(by, "permanence.add_optionconsidered", child)
    current = Plan.objects.filter(child=child).exclude(status=Status.SUPERSEDED).first()
    if current is not None and current.route == rung:
        raise ValidationError(
            {"rung": f"{_name(rung).capitalize()} is the plan's route: change the route first"}
        )
    try:
        _record_options(
            child,
            current,
            [OptionInput(rung, considered_on, why_ruled_out, considered_by)],
            by,
        )
    except ValidationError as exc:
        # Back from the route form's field names to this record's own.
        raise ValidationError(
            {
                ("considered_on" if key.endswith("_on") else "why_ruled_out"): value
                for key, value in exc.message_dict.items()
            }
        ) from exc
    return OptionConsidered.objects.filter(child=child, rung=rung).latest("pk")


# -- status ------------------------------------------------------------------------------------


@transaction.atomic
def plan_present(*, plan: Plan, by: User, reason: str, on: dt.date | None = None) -> Plan:
    """Draft to presented: forum advice received, or put to the review (000, SPEC §3)."""
    require(by, "permanence.present_plan", plan)
    reason = _require_reason(reason)
    plan = _lock(plan)
    _transition(plan, "present", by, on=_on(on), by=by)
    return _save(plan, by=by, reason=f"Presented: {reason}")


def _check_ticks(checklist: Mapping[str, bool]) -> None:
    """Every item of the checklist ticked by the person ratifying (002 §7).

    What backs each tick (actions, timescales, resources, contingency, review date) is a
    condition of the ratify transition, so the plan's page and this refusal say the same.
    """
    unticked = [key for key, _ in RATIFICATION_CHECKLIST if not checklist.get(key)]
    if unticked:
        errors = {
            key: f"Tick this only when it is true: {CHECKLIST_LABELS[key]}" for key in unticked
        }
        errors["checklist"] = (
            "The plan can be ratified only when every item of the checklist is ticked. "
            "Not ticked: " + "; ".join(CHECKLIST_LABELS[k].lower() for k in unticked)
        )
        raise ValidationError(errors)


@transaction.atomic
def plan_ratify(
    *,
    plan: Plan,
    by: User,
    reason: str,
    checklist: Mapping[str, bool],
    on: dt.date | None = None,
) -> Plan:
    """The child's IRO at a review, or a group manager before court, ratifies (002 §7, 004)."""
    if not (
        by.has_perm("permanence.ratify_plan", plan)
        or by.has_perm("permanence.ratify_final_plan", plan)
    ):
        raise PermissionDenied("Only the child's IRO or a group manager may ratify the plan.")
    reason = _require_reason(reason)
    on = on or _today()
    if on > _today():
        raise ValidationError({"on": "The date of ratification cannot be in the future"})
    plan = _lock(plan)
    if plan.status != Status.PRESENTED:
        raise ValidationError(_not_now(plan, "ratify"))
    _check_ticks(checklist)
    is_iro = by.has_perm("permanence.ratify_plan", plan)
    capacity = "IRO at a looked-after review" if is_iro else "Group manager: final plan for court"
    _transition(plan, "ratify", by, on=on, by=by, capacity=capacity)
    plan = _save(plan, by=by, reason=f"Ratified ({capacity}): {reason}")
    notify(
        recipients=[plan.child.social_worker],
        subject=f"The plan for {child_label(plan.child)} has been ratified",
        body=f"{by} ratified the plan ({_name(plan.route)}) on {long_date(on)}.",
        link=plan.get_absolute_url(),
    )
    return plan


@transaction.atomic
def plan_implement(*, plan: Plan, by: User, reason: str, on: dt.date | None = None) -> Plan:
    """Ratified to in implementation: family finding, assessments, matching (SPEC §3)."""
    require(by, "permanence.change_plan", plan)
    reason = _require_reason(reason)
    plan = _lock(plan)
    _transition(
        plan, "implement", by, on=_on(on, not_before=plan.ratified_on, what="the plan was ratified")
    )
    return _save(plan, by=by, reason=f"Implementation started: {reason}")


@transaction.atomic
def plan_achieve(*, plan: Plan, by: User, reason: str, on: dt.date | None = None) -> Plan:
    """Permanence achieved: the order made or the long-term match approved (SPEC §3)."""
    require(by, "permanence.change_plan", plan)
    reason = _require_reason(reason)
    plan = _lock(plan)
    _transition(
        plan, "achieve", by, on=_on(on, not_before=plan.ratified_on, what="the plan was ratified")
    )
    return _save(plan, by=by, reason=f"Achieved: {reason}")


@transaction.atomic
def plan_disrupt(*, plan: Plan, by: User, reason: str, on: dt.date | None = None) -> Plan:
    """A long-term placement broke down: the plan goes back to planning (000)."""
    require(by, "permanence.change_plan", plan)
    reason = _require_reason(reason)
    plan = _lock(plan)
    _transition(
        plan, "disrupt", by, on=_on(on, not_before=plan.ratified_on, what="the plan was ratified")
    )
    plan = _save(plan, by=by, reason=f"Disrupted: {reason}")
    notify(
        recipients=[plan.child.iro, plan.child.social_worker],
        subject=f"The placement of {child_label(plan.child)} has disrupted",
        body=f"{by} recorded that the plan ({_name(plan.route)}) has disrupted: {reason}",
        link=plan.get_absolute_url(),
    )
    return plan


def _on(on: dt.date | None, *, not_before: dt.date | None = None, what: str = "") -> dt.date:
    on = on or _today()
    if on > _today():
        raise ValidationError({"on": "The date cannot be in the future"})
    if not_before and on < not_before:
        raise ValidationError({"on": f"The date cannot be before {what}, {long_date(not_before)}"})
    return on


# -- actions -----------------------------------------------------------------------------------


@transaction.atomic
def plan_action_add(
    *, plan: Plan, by: User, what: str, owner: User, due_on: dt.date, source: str = ""
) -> PlanAction:
    """An action to achieve the plan: what, who, by when (SPEC §3); allowed on any live plan."""
    require(by, "permanence.add_planaction", plan)
    plan = _lock(plan)
    _live(plan)
    if owner is None or not owner.is_active:
        raise ValidationError({"owner": "Choose who will do it"})
    action = PlanAction(
        plan=plan,
        what=(what or "").strip(),
        owner=owner,
        due_on=due_on,
        source=source,
        created_by=by,
    )
    save_with_history(action, by=by, reason="Action added" + (f" from {source}" if source else ""))
    if owner.pk != by.pk:
        notify(
            recipients=[owner],
            subject=f"New action on the plan for {child_label(plan.child)}",
            body=f"{action.what}\nDue by {long_date(due_on)}.",
            link=plan.get_absolute_url(),
        )
    return action


@transaction.atomic
def plan_action_complete(
    *, action: PlanAction, by: User, done_on: dt.date | None = None
) -> PlanAction:
    """The action has been done (SPEC §3)."""
    require(by, "permanence.change_planaction", action)
    action = PlanAction.objects.select_for_update().select_related("plan").get(pk=action.pk)
    if action.done_on is not None:
        raise ValidationError({"done_on": "This action has already been done"})
    action.done_on = _on(done_on)
    return save_with_history(action, by=by, reason="Done")
