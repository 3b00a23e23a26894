"""The Permanence Tracker's summary row: one per child (seed 004 "Permanence Tracker", 002 §12,
SPEC §6).

At 100,000 children the dashboard cannot gather each child's plan, episodes and deadlines per
request, so `TrackerRow` holds them, worked out set-based by
`tracker.dashboard.services.tracker_rows_refresh` whenever the deadline engine refreshes a batch
of children (after every change to their record, and in the daily sweep). Like `Deadline` it is
derived data, never typed in, so it keeps no history of its own: the history is on the records it
is read from (the child, the plan, the Permanence Panel meeting whose RAG rating overrides the
computed one).

Who and where (team, service, worker, IRO, names) are copied from the child so that the
dashboard filters, sorts and counts one table with its own indexes.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from permanence import dates
from permanence.models import Child, Plan, Service, SiblingGroup, Team, User
from permanence.models.plans import SHORT_ROUTE_NAMES
from permanence.plans.selectors import STATUS_TAGS
from tracker.models import DeadlineRule


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# Most urgent first when sorting: red, amber, green.
RAG_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


class TrackerRowQuerySet(models.QuerySet):
    """Querysets named for the screens that read the rows (CONVENTIONS: Reads)."""

    def for_dashboard(self) -> TrackerRowQuerySet:
        """The dashboard's page of rows: names of the team, worker, IRO and next deadline in the
        same query."""
        return self.select_related("team", "social_worker", "iro", "next_rule")

    def for_export(self) -> TrackerRowQuerySet:
        """The CSV: the same, as plain tuples read in chunks."""
        return self.values_list(*EXPORT_FIELDS)


# The CSV's columns (docs/tracker-dashboard.md, "The CSV"), as lookups on the row.
EXPORT_FIELDS = (
    "child_ref",
    "first_name",
    "last_name",
    "team__name",
    "social_worker__first_name",
    "social_worker__last_name",
    "iro__first_name",
    "iro__last_name",
    "legal_status",
    "court_stage",
    "period_start",
    "period_end",
    "route",
    "plan_status",
    "contingency_route",
    "next_rule__name",
    "next_due",
    "next_status",
    "overdue_count",
    "due_soon_count",
    "computed_rag",
    "computed_reason",
    "panel_rag",
    "panel_reason",
    "panel_on",
    "rag",
    "sibling_count",
    "sibling_placement",
    "sibling_assessed_on",
)


def siblings_summary(count: int, placement: str, assessed_on: dt.date | None) -> str:
    """The sibling group in a few words, for the dashboard and its CSV: how many brothers and
    sisters, and placed together or apart after the assessment (001 §2.1). Names none of them,
    as the reader may not be allowed to open every sibling. Empty when not in a group."""
    if not count:
        return ""
    plural = "s" if count != 1 else ""
    who = f"With {count} brother{plural} or sister{plural}"
    if placement == SiblingGroup.Placement.APART:
        if assessed_on:
            return (
                f"{who}, placed apart: sibling assessment recorded "
                f"{assessed_on.day} {assessed_on:%B %Y}"
            )
        return f"{who}, placed apart"
    return f"{who}, placed together"


class TrackerRow(models.Model):
    """One child's line on the tracker: plan, care, court, next deadline and RAG (SPEC §6)."""

    Rag = Rag

    child = models.OneToOneField(
        Child, primary_key=True, on_delete=models.CASCADE, related_name="tracker_row"
    )
    child_ref = models.CharField("child identifier", max_length=10)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    sort_name = models.CharField(max_length=201, help_text="Lower case “last first”, to sort by.")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    social_worker = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    iro = models.ForeignKey(
        User, verbose_name="IRO", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # Care and court (SPEC §2).
    legal_status = models.CharField(
        max_length=2, blank=True, help_text="The open episode's SSDA903 LS; blank when not in care."
    )
    placement = models.CharField(max_length=2, blank=True)
    period_start = models.DateField(
        "latest period of care began", null=True, blank=True, help_text="Open or ended."
    )
    period_end = models.DateField("latest period of care ended", null=True, blank=True)
    court_stage = models.CharField(max_length=20, choices=Child.CourtStage.choices)
    proceedings_issued_on = models.DateField(null=True, blank=True)
    proceedings_concluded_on = models.DateField(null=True, blank=True)

    # The plan in force (SPEC §3).
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    route = models.CharField(max_length=50, blank=True, choices=Plan.Route.choices)
    plan_status = models.CharField(max_length=20, blank=True, choices=Plan.Status.choices)
    contingency_route = models.CharField(max_length=50, blank=True, choices=Plan.Route.choices)
    first_ratified_on = models.DateField(
        "plan first ratified on",
        null=True,
        blank=True,
        help_text="The first ratification of any version since the latest period of care began.",
    )
    achieved_on = models.DateField("permanence achieved on", null=True, blank=True)

    # The stored deadlines (SPEC §5), summed up.
    next_rule = models.ForeignKey(
        DeadlineRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    next_due = models.DateField("next deadline", null=True, blank=True)
    next_status = models.CharField(max_length=20, blank=True)
    overdue_count = models.PositiveSmallIntegerField(default=0)
    due_soon_count = models.PositiveSmallIntegerField(default=0)
    second_review_due = models.DateField(null=True, blank=True)
    second_review_held_on = models.DateField(null=True, blank=True)

    # RAG: computed from the rules, overridden by the latest Permanence Panel (004).
    computed_rag = models.CharField("computed RAG", max_length=5, choices=Rag.choices)
    computed_reason = models.CharField(max_length=300, blank=True)
    panel_rag = models.CharField(
        "Permanence Panel RAG", max_length=5, choices=Rag.choices, blank=True
    )
    panel_reason = models.TextField(blank=True)
    panel_on = models.DateField("rated at the panel on", null=True, blank=True)
    panel_meeting = models.ForeignKey(
        "forums.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices)
    rag_rank = models.PositiveSmallIntegerField()

    # The adoption scorecard's dates (DfE A1, A2, A10) for the latest period of care.
    placed_for_adoption_on = models.DateField(null=True, blank=True)
    moved_in_with_adopters_on = models.DateField(
        null=True, blank=True, help_text="For foster carers who adopt: when the child moved in."
    )
    placement_order_on = models.DateField(null=True, blank=True)
    match_decided_on = models.DateField(null=True, blank=True)
    adopted_on = models.DateField(null=True, blank=True)

    # The sibling group (001 §2.1): how many brothers and sisters, and the decision on placing
    # them. Counts and dates only, never names, so a reader is not told of a sibling they may
    # not open.
    sibling_count = models.PositiveSmallIntegerField(
        "brothers and sisters in the group", default=0, help_text="Not counting the child."
    )
    sibling_placement = models.CharField(
        max_length=20, blank=True, choices=SiblingGroup.Placement.choices
    )
    sibling_assessed_on = models.DateField(
        "sibling assessment completed on",
        null=True,
        blank=True,
        help_text="The assessment the group's placement decision rests on.",
    )

    refreshed_at = models.DateTimeField()

    objects = TrackerRowQuerySet.as_manager()

    class Meta:
        verbose_name = "tracker row"
        default_permissions = ("view",)
        permissions = [("view_measures", "Can see the tracker's measures and charts")]
        indexes = [
            # The screens: a service, a team, a worker's or an IRO's caseload, most urgent first
            # (RAG, then the next deadline), by name or by the next deadline. The first is kept
            # narrow so that PostgreSQL counts a service's RAGs from it alone.
            models.Index(fields=["service", "rag_rank", "next_due"], name="tracker_row_service"),
            models.Index(fields=["team", "rag_rank", "next_due"], name="tracker_row_team"),
            models.Index(
                fields=["social_worker", "rag_rank", "next_due"], name="tracker_row_worker"
            ),
            models.Index(fields=["iro", "rag_rank", "next_due"], name="tracker_row_iro"),
            models.Index(fields=["service", "sort_name"], name="tracker_row_service_name"),
            models.Index(fields=["service", "next_due"], name="tracker_row_service_due"),
        ]

    def __str__(self) -> str:
        return f"Tracker row for {self.child_ref}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_looked_after(self) -> bool:
        return self.period_start is not None and self.period_end is None

    @property
    def looked_after_since(self) -> dt.date | None:
        return self.period_start if self.is_looked_after else None

    def weeks_looked_after(self, today: dt.date | None = None) -> int | None:
        """Whole weeks in care this time; None when not looked after now."""
        since = self.looked_after_since
        if since is None:
            return None
        return max(0, dates.weeks_between(since, today or timezone.localdate()))

    @property
    def weeks(self) -> int | None:
        return self.weeks_looked_after()

    @property
    def rag_overridden(self) -> bool:
        return bool(self.panel_rag)

    @property
    def route_label(self) -> str:
        return SHORT_ROUTE_NAMES.get(self.route, self.route)

    @property
    def contingency_label(self) -> str:
        return SHORT_ROUTE_NAMES.get(self.contingency_route, self.contingency_route)

    @property
    def status_tag(self) -> str:
        return STATUS_TAGS.get(self.plan_status, "govuk-tag--grey")

    @cached_property
    def next_step(self):
        """The next thing the procedures require, and why the row is red, in words (issue 16):
        worked out from the row alone, no query."""
        from tracker.dashboard.next_step import next_step

        return next_step(self, timezone.localdate())

    @property
    def siblings_summary(self) -> str:
        return siblings_summary(
            self.sibling_count, self.sibling_placement, self.sibling_assessed_on
        )
