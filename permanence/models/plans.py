"""The permanence plan and its two state machines, route and status (SPEC §3).

A plan is never edited once it has been ratified: a change makes the next version, which needs
ratifying again, and the old version stays readable as `superseded`. The options considered and
ruled out belong to the child, not to one version, so that moving down the ladder in a later
version still sees why the rungs above were ruled out (002 §6).

Transition bodies only set fields in memory; `permanence.plans.services` checks the permission,
calls the transition and saves with history inside one transaction (CONVENTIONS).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from permanence.common import condition
from permanence.models.children import Child
from permanence.models.people import User


class Route(models.TextChoices):
    """The routes to permanence: the ladder in order of preference, then off the ladder."""

    RETURN_HOME = "return_home", "Return home"
    CONNECTED_PERSON = "connected_person", "Connected person (family and friends)"
    SGO_CAO = "sgo_cao", "Special guardianship or child arrangements order"
    LONG_TERM_FOSTERING = "long_term_fostering", "Long-term fostering"
    ADOPTION = "adoption", "Adoption"
    RESIDENTIAL = "residential", "Long-term residential care"
    PATHWAY_PLAN = "pathway_plan", "Pathway plan (16 and over)"


# The ladder, most preferred first (001 §2.1, 002 §6, SPEC §3).
LADDER: tuple[str, ...] = (
    Route.RETURN_HOME,
    Route.CONNECTED_PERSON,
    Route.SGO_CAO,
    Route.LONG_TERM_FOSTERING,
    Route.ADOPTION,
)
# Routes for a child under 16; a young person of 16 or over has a pathway plan (000, 001).
PERMANENCE_ROUTES: tuple[str, ...] = (*LADDER, Route.RESIDENTIAL)

SHORT_ROUTE_NAMES = {
    Route.RETURN_HOME: "return home",
    Route.CONNECTED_PERSON: "connected person",
    Route.SGO_CAO: "SGO or CAO",
    Route.LONG_TERM_FOSTERING: "long-term fostering",
    Route.ADOPTION: "adoption",
    Route.RESIDENTIAL: "long-term residential care",
    Route.PATHWAY_PLAN: "pathway plan",
}


def rungs_above(route: str) -> list[str]:
    """The ladder rungs more preferred than `route`: all of them for residential care."""
    if route == Route.RESIDENTIAL:
        return list(LADDER)
    if route in LADDER:
        return list(LADDER[: LADDER.index(route)])
    return []


def _below(rung: str) -> list[str]:
    """Where a plan may move down to from `rung`: lower rungs, or off the ladder to residential."""
    return [*LADDER[LADDER.index(rung) + 1 :], Route.RESIDENTIAL]


def _target(plan, *args, to: str, **kwargs) -> str:
    return to


def _allowed(*perms: str):
    """A transition's permission: the user holds one of `perms` for this plan (rules)."""

    def check(plan, user) -> bool:
        return any(user.has_perm(perm, plan) for perm in perms)

    check.perms = perms
    return check


def route_names(routes) -> str:
    """Routes named as a sentence lists them: "return home, connected person and adoption"."""
    names = [SHORT_ROUTE_NAMES.get(r, r) for r in routes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def options_to_rule_out(route: str) -> list[str]:
    """The options this authority asks to be ruled out, with evidence, before `route`: its
    ladder setting (LadderRule), or by default every rung above the route (002 §6)."""
    rule = LadderRule.objects.filter(route=route).first()
    if rule is None:
        return rungs_above(route)
    return rule.options()


def ladder_setting() -> dict[str, list[str]]:
    """Every route's options to rule out first, read in one query (for pages listing them)."""
    rules = {rule.route: rule.options() for rule in LadderRule.objects.all()}
    return {route: rules.get(route, rungs_above(route)) for route in PERMANENCE_ROUTES}


def rungs_not_ruled_out(child: Child, route: str) -> list[str]:
    """The options the ladder setting asks to be ruled out before `route` that have not been
    considered and ruled out for the child (002 §6)."""
    above = options_to_rule_out(route)
    if not above:
        return []
    ruled_out = set(
        OptionConsidered.objects.filter(
            child=child, rung__in=above, reopened_on__isnull=True
        ).values_list("rung", flat=True)
    )
    return [rung for rung in above if rung not in ruled_out]


def ladder_message(route: str, missing: list[str]) -> str:
    """The one wording of the ladder rule, for the route form, the plan page and ratifying."""
    return (
        f"Before the plan can be {SHORT_ROUTE_NAMES.get(route, route)}, record why each option "
        f"to be ruled out first was considered and ruled out: {route_names(missing)} "
        f"({'has' if len(missing) == 1 else 'have'} not been ruled out)"
    )


# -- what ratifying needs (002 §6-7): conditions of the transition, each with its reason ------


@condition(
    lambda plan: ladder_message(plan.route, rungs_not_ruled_out(plan.child, plan.route)),
    field="route",
)
def ladder_passed(plan) -> bool:
    """Every rung above the plan's route was considered and ruled out (002 §6)."""
    return not rungs_not_ruled_out(plan.child, plan.route)


@condition("The plan has no actions yet: add them before ratifying", field="actions_clear")
def has_actions(plan) -> bool:
    """Everyone involved is clear about the actions needed (002 §7)."""
    return plan.pk is not None and plan.actions.exists()


@condition("The plan does not record its timescales yet", field="timescales_clear")
def has_timescales(plan) -> bool:
    """The timescales for achieving the plan are clear (002 §7)."""
    return bool((plan.timescales or "").strip())


@condition("The plan does not record the resources it needs yet", field="resources_available")
def has_resources(plan) -> bool:
    """The necessary resources are available (002 §7)."""
    return bool((plan.resources or "").strip())


@condition("The plan has no contingency route yet", field="contingency_in_place")
def has_contingency(plan) -> bool:
    """A contingency plan is in place; a pathway plan needs none (002 §7, 000)."""
    return bool(plan.contingency_route) or plan.route == Route.PATHWAY_PLAN


@condition("The plan has no date set for reviewing it yet", field="review_dates_set")
def has_review_date(plan) -> bool:
    """Dates are set for reviewing the plan (002 §7)."""
    return plan.plan_review_on is not None


RATIFY_CONDITIONS = [
    ladder_passed,
    has_actions,
    has_timescales,
    has_resources,
    has_contingency,
    has_review_date,
]


def _achievement_message(plan) -> str:
    from permanence.models.finding import achievement_message

    return achievement_message(plan)


@condition(_achievement_message, field=None)
def has_achievement_evidence(plan) -> bool:
    """What the route needs is recorded: an approved match and the placement, an order made,
    or a completed return home (issue 14; 000 "Matching", 001 §3.3-3.9 and §6)."""
    from permanence.models.finding import achievement_missing

    return not achievement_missing(plan)


MAY_CHANGE = _allowed("permanence.change_plan")
MAY_PRESENT = _allowed("permanence.present_plan")
MAY_RATIFY = _allowed("permanence.ratify_plan", "permanence.ratify_final_plan")


def _down_from(rung: str):
    """Moving down from `rung` to any lower rung, or off the ladder to residential care."""
    return transition(
        field="route", source=rung, target=GET_STATE(_target, _below(rung)), permission=MAY_CHANGE
    )


def _up_from(route: str):
    """Moving back up from `route` to any rung above it."""
    return transition(
        field="route",
        source=route,
        target=GET_STATE(_target, rungs_above(route)),
        permission=MAY_CHANGE,
    )


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PRESENTED = "presented", "Presented"
    RATIFIED = "ratified", "Ratified"
    IN_IMPLEMENTATION = "in_implementation", "In implementation"
    ACHIEVED = "achieved", "Achieved"
    DISRUPTED = "disrupted", "Disrupted"
    SUPERSEDED = "superseded", "Superseded"


# A plan in these states is changed only by making a new version (SPEC §3).
RATIFIED_STATES = (Status.RATIFIED, Status.IN_IMPLEMENTATION, Status.ACHIEVED, Status.DISRUPTED)
LIVE_STATES = tuple(s for s in Status.values if s != Status.SUPERSEDED)


class Plan(ConcurrentTransitionMixin, models.Model):
    """One version of a child's permanence plan: route, status, contingency and what it needs."""

    Route = Route
    Status = Status

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name="previous version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
    )
    status = FSMField(choices=Status.choices, default=Status.DRAFT, protected=True)
    route = FSMField(choices=Route.choices, protected=True)
    contingency_route = models.CharField(
        "contingency route",
        max_length=50,
        choices=Route.choices,
        blank=True,
        help_text="The parallel plan, if the primary route does not succeed.",
    )
    early_permanence = models.BooleanField(
        "fostering for adoption or early permanence",
        default=False,
        help_text="Adoption pursued through a fostering for adoption or concurrent placement.",
    )
    summary = models.TextField("the plan", blank=True)
    timescales = models.TextField(blank=True, help_text="When each part of the plan is achieved.")
    resources = models.TextField(blank=True, help_text="The resources the plan needs.")
    plan_review_on = models.DateField("date set for reviewing the plan", null=True, blank=True)
    # A placement away from the child's community only with the reason in the plan (001 §5).
    placed_out_of_area = models.BooleanField(
        "the placement is outside the authority's area", default=False
    )
    out_of_area_reason = models.TextField(
        "why the child is placed outside the authority's area",
        blank=True,
        help_text="The child's particular needs, and how local support was explored.",
    )
    identity_and_needs = models.TextField(
        "how the plan meets the child's identity and needs",
        blank=True,
        help_text="Their ethnic origin, culture, religion and language, and any disability or "
        "health needs.",
    )
    child_views = models.TextField("the child's views", blank=True)
    parents_views = models.TextField("the parents' views", blank=True)
    others_views = models.TextField("views of other important people", blank=True)
    presented_on = models.DateField(null=True, blank=True)
    presented_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ratified_on = models.DateField(null=True, blank=True)
    ratified_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ratified_as = models.CharField(max_length=80, blank=True)
    implementation_started_on = models.DateField(null=True, blank=True)
    achieved_on = models.DateField(null=True, blank=True)
    disrupted_on = models.DateField(null=True, blank=True)
    superseded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "-version"]
        permissions = [
            ("present_plan", "Can record that a plan was presented (forum advice received)"),
            ("ratify_plan", "Can ratify a plan at a looked-after review (IRO)"),
            ("ratify_final_plan", "Can ratify the final plan before it is filed to court"),
        ]
        indexes = [models.Index(fields=["status", "route"])]
        constraints = [
            models.UniqueConstraint(fields=["child", "version"], name="plan_version_unique"),
            # One plan in force per child: the rest are superseded versions (SPEC §3).
            models.UniqueConstraint(
                fields=["child"],
                condition=~Q(status="superseded"),
                name="one_live_plan_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} plan, version {self.version} ({self.child.full_name})"

    def get_absolute_url(self) -> str:
        return reverse("permanence:plan-detail", args=[self.pk])

    # -- facts the pages and the services ask -------------------------------------------------

    @property
    def is_live(self) -> bool:
        return self.status != Status.SUPERSEDED

    @property
    def is_editable_in_place(self) -> bool:
        """A draft or presented plan is changed in place; a ratified one by a new version."""
        return self.status in (Status.DRAFT, Status.PRESENTED)

    @property
    def needs_new_version_to_change(self) -> bool:
        return self.status in RATIFIED_STATES

    @property
    def route_short(self) -> str:
        return SHORT_ROUTE_NAMES.get(self.route, self.route)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.contingency_route:
            if self.contingency_route == self.route:
                errors["contingency_route"] = (
                    "The contingency route must be different from the plan's route"
                )
            elif self.contingency_route == Route.PATHWAY_PLAN:
                errors["contingency_route"] = "A pathway plan cannot be a contingency route"
        if self.placed_out_of_area and not (self.out_of_area_reason or "").strip():
            errors["out_of_area_reason"] = (
                "Record why the child is placed outside the authority's area: a placement "
                "away from their community needs its reason in the plan"
            )
        if self.early_permanence and Route.ADOPTION not in (self.route, self.contingency_route):
            errors["early_permanence"] = (
                "Fostering for adoption is a way of pursuing adoption: the route or the "
                "contingency route must be adoption"
            )
        if errors:
            raise ValidationError(errors)

    # -- status (SPEC §3) ----------------------------------------------------------------------

    @transition(field=status, source=Status.DRAFT, target=Status.PRESENTED, permission=MAY_PRESENT)
    def present(self, *, on: dt.date, by: User) -> None:
        """Forum advice received, or the worker puts the plan to the review (000, SPEC §3)."""
        self.presented_on = on
        self.presented_by = by

    @transition(
        field=status,
        source=Status.PRESENTED,
        target=Status.RATIFIED,
        conditions=RATIFY_CONDITIONS,
        permission=MAY_RATIFY,
    )
    def ratify(self, *, on: dt.date, by: User, capacity: str) -> None:
        """The IRO at a review, or a group manager for the final court plan, ratifies when the
        ladder is passed and the plan records what the checklist asks (002 §6-7, 004)."""
        self.ratified_on = on
        self.ratified_by = by
        self.ratified_as = capacity

    @transition(
        field=status,
        source=Status.RATIFIED,
        target=Status.IN_IMPLEMENTATION,
        permission=MAY_CHANGE,
    )
    def implement(self, *, on: dt.date) -> None:
        """Family finding, assessments or matching have begun (SPEC §3)."""
        self.implementation_started_on = on

    @transition(
        field=status,
        source=[Status.RATIFIED, Status.IN_IMPLEMENTATION],
        target=Status.ACHIEVED,
        conditions=[has_achievement_evidence],
        permission=MAY_CHANGE,
    )
    def achieve(self, *, on: dt.date) -> None:
        """The order is made or the long-term match approved (SPEC §3)."""
        self.achieved_on = on

    @transition(
        field=status,
        source=[Status.RATIFIED, Status.IN_IMPLEMENTATION, Status.ACHIEVED],
        target=Status.DISRUPTED,
        permission=MAY_CHANGE,
    )
    def disrupt(self, *, on: dt.date) -> None:
        """A long-term placement broke down: back to planning (000)."""
        self.disrupted_on = on

    @transition(
        field=status,
        source=[s for s in Status.values if s != Status.SUPERSEDED],
        target=Status.SUPERSEDED,
        permission=MAY_CHANGE,
    )
    def supersede(self, *, on: dt.date) -> None:
        """A new version of the plan replaces this one (SPEC §3)."""
        self.superseded_on = on

    # -- route (001 §2.1, 002 §6) ---------------------------------------------------------------
    # One decorator per rung, so that the graph drawn from the code shows each rung's own moves.

    @_down_from(Route.RETURN_HOME)
    @_down_from(Route.CONNECTED_PERSON)
    @_down_from(Route.SGO_CAO)
    @_down_from(Route.LONG_TERM_FOSTERING)
    @_down_from(Route.ADOPTION)
    def move_down(self, *, to: str) -> None:
        """Down the ladder, each rung passed over having been ruled out (002 §6)."""

    @_up_from(Route.CONNECTED_PERSON)
    @_up_from(Route.SGO_CAO)
    @_up_from(Route.LONG_TERM_FOSTERING)
    @_up_from(Route.ADOPTION)
    @_up_from(Route.RESIDENTIAL)
    def move_up(self, *, to: str) -> None:
        """Back up the ladder (a return home viable again): ratified again (001 §2.1)."""

    @transition(
        field="route",
        source=list(PERMANENCE_ROUTES),
        target=Route.PATHWAY_PLAN,
        permission=MAY_CHANGE,
    )
    def start_pathway_plan(self) -> None:
        """At 16 permanence is addressed through a pathway plan (000, 001)."""


class OptionConsidered(models.Model):
    """A rung of the ladder considered for the child and ruled out, and why (002 §6)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="options_considered")
    plan = models.ForeignKey(
        Plan,
        verbose_name="plan version",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="options_considered",
        help_text="The version of the plan in force when it was recorded.",
    )
    rung = models.CharField("option", max_length=50, choices=[(r, Route(r).label) for r in LADDER])
    considered_on = models.DateField()
    why_ruled_out = models.TextField("why it was ruled out")
    considered_by = models.CharField(
        max_length=200, help_text="Who considered it: a person, a panel or a meeting."
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Set when the plan moves back up to this rung: the option is open again (001 §2.1).
    reopened_on = models.DateField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "considered_on", "pk"]
        verbose_name = "option considered"
        verbose_name_plural = "options considered"
        indexes = [models.Index(fields=["child", "rung"])]

    def __str__(self) -> str:
        return f"{self.get_rung_display()} ruled out on {self.considered_on:%d/%m/%Y}"

    @property
    def is_ruled_out(self) -> bool:
        return self.reopened_on is None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not (self.why_ruled_out or "").strip():
            errors["why_ruled_out"] = (
                f"Enter why {SHORT_ROUTE_NAMES.get(self.rung, 'this option')} was ruled out"
            )
        if self.considered_on and self.considered_on > timezone.localdate():
            errors["considered_on"] = "The date it was considered cannot be in the future"
        if errors:
            raise ValidationError(errors)


class PlanAction(models.Model):
    """Something that must be done to achieve the plan: what, who, by when, done (SPEC §3)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    what = models.TextField()
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="plan_actions")
    due_on = models.DateField("due by")
    done_on = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=200, blank=True, help_text="Where it came from, e.g. the forum's Part 2."
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["done_on", "due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def clean(self) -> None:
        if not (self.what or "").strip():
            raise ValidationError({"what": "Enter what needs to be done"})


class LadderRule(models.Model):
    """The administrator's setting for one route: which options must be ruled out, with
    evidence, before a plan may take it. Without a row, every rung above the route (the state
    machine's order). 002 §6's rule is one tick away: adoption ruled out before long-term
    fostering."""

    route = models.CharField(
        max_length=50, unique=True, choices=[(r, Route(r).label) for r in PERMANENCE_ROUTES]
    )
    rule_out_return_home = models.BooleanField("return home", default=False)
    rule_out_connected_person = models.BooleanField("connected person", default=False)
    rule_out_sgo_cao = models.BooleanField("SGO or CAO", default=False)
    rule_out_long_term_fostering = models.BooleanField("long-term fostering", default=False)
    rule_out_adoption = models.BooleanField("adoption", default=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["route"]
        verbose_name = "ladder setting"
        verbose_name_plural = "ladder settings"

    def __str__(self) -> str:
        route = SHORT_ROUTE_NAMES.get(self.route, self.route)
        options = self.options()
        if not options:
            return f"Before {route}: nothing to rule out"
        return f"Before {route}: rule out {route_names(options)}"

    @staticmethod
    def field_for(rung: str) -> str:
        return f"rule_out_{rung}"

    def options(self) -> list[str]:
        """The options ticked, in ladder order."""
        return [rung for rung in LADDER if getattr(self, self.field_for(rung))]

    def clean(self) -> None:
        # Two routes may each need the other ruled out (002's rule with the default order):
        # choosing one reopens its own record, so neither is ever blocked for good.
        errors: dict[str, str] = {}
        if self.route in LADDER and getattr(self, self.field_for(self.route)):
            errors[self.field_for(self.route)] = "A route cannot need itself ruled out first"
        if errors:
            raise ValidationError(errors)
