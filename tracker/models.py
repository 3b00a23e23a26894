"""Deadlines and alerts (SPEC §5): the timescale settings, the computed deadlines, the alerts.

`DeadlineRule` holds the numbers an administrator may change (defaults from
fixtures/timescales.json); how each rule finds its dates is code, in `tracker.deadlines`.
`Deadline` rows are derived data: recomputed from the events on the record, never typed in, so
they carry no history of their own. `Alert` is the record of what the periodic jobs raised, with
a unique constraint so that a rerun raises nothing twice.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from permanence import dates
from permanence.models import Child, User
from permanence.roles import Role

# The most an administrator may set, per unit: two years either way. Anything longer is a
# typing mistake (260 weeks for 26), and would silently switch a deadline off for years.
MAX_AMOUNT = {"working_days": 520, "days": 730, "weeks": 104, "months": 24}
MAX_WARNING_DAYS = 90


class DeadlineRule(models.Model):
    """One row of SPEC §5: where a timescale counts from, how long it is, who owns it."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", "working days"
        DAYS = "days", "calendar days"
        WEEKS = "weeks", "weeks"
        MONTHS = "months", "calendar months"

    class Direction(models.TextChoices):
        AFTER = "after", "after the event"
        BEFORE = "before", "before the event"

    OWNER_ROLES = [
        (Role.SOCIAL_WORKER.value, Role.SOCIAL_WORKER.label),
        (Role.IRO.value, Role.IRO.label),
        (Role.TEAM_MANAGER.value, Role.TEAM_MANAGER.label),
        (Role.CPS_DUTY.value, Role.CPS_DUTY.label),
    ]

    code = models.SlugField(
        max_length=40, unique=True, help_text="Stable name used in exports; never changes."
    )
    name = models.CharField(max_length=120)
    source = models.CharField(
        max_length=120, help_text="The local procedure or the law the timescale comes from."
    )
    counts_from = models.CharField("counts from", max_length=200)
    met_by = models.CharField("met when", max_length=200)
    amount = models.PositiveSmallIntegerField(
        "how long", help_text="A whole number of the unit below."
    )
    unit = models.CharField(max_length=12, choices=Unit.choices)
    direction = models.CharField(max_length=6, choices=Direction.choices, default=Direction.AFTER)
    counts_start_day = models.BooleanField(
        "the first day counts",
        default=False,
        help_text="As in “26 weeks beginning with the day of issue”: one day less.",
    )
    due_time = models.TimeField(
        "due by (time of day)",
        null=True,
        blank=True,
        help_text="Leave blank when the deadline is the whole day.",
    )
    extension_amount = models.PositiveSmallIntegerField(
        "extension allowed",
        default=0,
        help_text="How much longer (same unit) when an extension is recorded; 0 for none.",
    )
    warning_days = models.PositiveSmallIntegerField(
        "warning (calendar days)",
        help_text="How many days before the due date the deadline counts as due soon.",
    )
    owner_role = models.CharField("owner", max_length=20, choices=OWNER_ROLES)
    copy_role = models.CharField(
        "also tell",
        max_length=20,
        choices=OWNER_ROLES,
        blank=True,
        help_text="Told alongside the owner when an alert is raised.",
    )
    active = models.BooleanField(
        default=True, help_text="Switched off, the rule computes no deadlines and raises no alerts."
    )
    applies_from = models.DateField(
        "tracked from",
        null=True,
        blank=True,
        help_text=(
            "Leave blank to track every deadline. Otherwise, usually the day the service began "
            "recording this event: a one-off deadline counted from an earlier event is not "
            "tracked (a child looked after for years is not shown an early permanence panel "
            "nobody could have recorded), and a repeating one is counted from this date instead."
        ),
    )
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "timescale"
        permissions = [("run_sweep", "Can run the deadline sweep by hand")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=1), name="deadline_rule_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(warning_days__lte=MAX_WARNING_DAYS),
                name="deadline_rule_warning_at_most_90_days",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def offset(self) -> dates.Offset:
        return dates.Offset(self.amount, self.unit)

    def describe(self) -> str:
        """The timescale in words, as the SPEC §5 table states it."""
        text = f"{self.offset} {self.direction} {self.counts_from}"
        if self.counts_start_day:
            text += ", counting that day as the first"
        if self.due_time:
            text += f", by {self.due_time:%H:%M}"
        if self.extension_amount:
            text += f"; can be extended by {dates.Offset(self.extension_amount, self.unit)}"
        return text

    def clean(self) -> None:
        errors = {}
        limit = MAX_AMOUNT.get(self.unit)
        unit_label = self.Unit(self.unit).label if self.unit in self.Unit.values else self.unit
        if self.amount is not None:
            if self.amount < 1:
                errors["amount"] = "Enter a timescale of at least 1"
            elif limit is not None and self.amount > limit:
                errors["amount"] = (
                    f"Enter a timescale of {limit} {unit_label} or fewer: "
                    f"{self.amount} {unit_label} is longer than two years"
                )
        if limit is not None and self.extension_amount and self.extension_amount > limit:
            errors["extension_amount"] = f"Enter an extension of {limit} {unit_label} or fewer"
        if self.warning_days is not None and self.warning_days > MAX_WARNING_DAYS:
            errors["warning_days"] = (
                f"Enter a warning of {MAX_WARNING_DAYS} days or fewer, so that “due soon” "
                "still means soon"
            )
        if errors:
            raise ValidationError(errors)


class Deadline(models.Model):
    """One instance of a child's deadline under one rule, computed from the record.

    A rule may fall due many times (a child with three reviews has three review deadlines):
    every instance is kept, numbered in date order, with how it turned out. The one instance
    the tracker works to now is `current` (at most one per child and rule); the rest are past."""

    class Status(models.TextChoices):
        NOT_YET_APPLICABLE = "not_yet_applicable", "Not yet applicable"
        UPCOMING = "upcoming", "Upcoming"
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"
        MET = "met", "Met"

    class Outcome(models.TextChoices):
        OPEN = "open", "Not met yet"
        ON_TIME = "on_time", "Met on time"
        LATE = "late", "Met late"
        MISSED = "missed", "Missed"

    # No index of their own for the foreign keys: the unique (child, rule) and the (rule, due)
    # and (owner, status) indexes below lead with them, and every index slows a first sweep.
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="deadlines", db_index=False
    )
    rule = models.ForeignKey(
        DeadlineRule, on_delete=models.CASCADE, related_name="deadlines", db_index=False
    )
    anchor_on = models.DateField("counts from", null=True, blank=True)
    due = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, help_text="When due by a time of day.")
    met_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    owner = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadlines",
        db_index=False,
    )
    updated_at = models.DateTimeField()
    instance = models.PositiveSmallIntegerField(
        default=1, help_text="1 for the first time the deadline fell due, 2 for the next, ..."
    )
    current = models.BooleanField(
        default=True, help_text="The instance the tracker works to now; the others are past."
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    days_late = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a deadline met late: how many days after it was due."
    )

    class Meta:
        ordering = ["due", "child_id", "rule_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule", "instance"], name="deadline_one_per_child_rule_instance"
            )
        ]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["rule", "due"]),
            # The deadlines page's counts by status of the children a user may see (issue 19):
            # read from this small index alone, never a scan of every instance, past ones too.
            models.Index(
                fields=["child", "status"],
                condition=models.Q(current=True),
                name="deadline_current_child_status",
            ),
            # The daily sweep's status moves (tracker.services.daily): the pending deadlines
            # whose status the date changes, read as ranges rather than a scan of every one.
            models.Index(
                fields=["status", "due_at", "rule", "due"],
                condition=models.Q(met_on__isnull=True, due__isnull=False),
                name="deadline_pending_status_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} for {self.child_id}: {self.get_status_display()}"

    @property
    def timeliness_text(self) -> str:
        """How the instance turned out, in words, from the stored outcome."""
        if self.outcome == self.Outcome.LATE and self.days_late:
            return f"Met {self.days_late} day{'s' if self.days_late != 1 else ''} late"
        return self.Outcome(self.outcome).label if self.outcome else ""

    @property
    def met_late(self) -> bool:
        # Read from the stored outcome: timeliness is worked out once, when the row is written.
        return self.outcome == self.Outcome.LATE


class Alert(models.Model):
    """A due-soon or overdue deadline raised to its owner: at most one per child, rule and date."""

    class Level(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"

    class CloseReason(models.TextChoices):
        MET = "met", "The event was recorded"
        NO_LONGER_APPLIES = "no_longer_applies", "The deadline no longer applies"
        NOT_DUE_YET = "not_due_yet", "The deadline is no longer due soon"
        # A timescale that leads to permanence ends once the plan is achieved (SPEC §3).
        PERMANENCE_ACHIEVED = "permanence_achieved", "Permanence was achieved"

    # The unique (child, rule, due) and (owner, closed_at) indexes lead with these keys.
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="alerts", db_index=False
    )
    rule = models.ForeignKey(DeadlineRule, on_delete=models.CASCADE, related_name="alerts")
    due = models.DateField()
    anchor_on = models.DateField("counted from", null=True, blank=True)
    level = models.CharField(max_length=10, choices=Level.choices)
    owner = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alerts",
        db_index=False,
    )
    raised_at = models.DateTimeField()
    # What the owner has been told, written in the same transaction as the notification, so a
    # sweep killed halfway either did both or neither.
    notified_level = models.CharField(max_length=10, choices=Level.choices, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    # Already overdue when the service went live (due before the go-live date): nobody is told,
    # and managers work through it on the "Backlog at go-live" page (tracker.backlog).
    backlog = models.BooleanField(
        "backlog at go-live",
        default=False,
        help_text="Due before the service went live: listed for managers, nobody is told.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "rule", "due"], name="alert_one_per_child_rule_due"
            )
        ]
        indexes = [
            models.Index(
                fields=["child", "rule"],
                condition=Q(closed_at__isnull=True),
                name="alert_open_by_child",
            ),
            models.Index(fields=["owner", "closed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.rule} for {self.child_id}, due {self.due}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


from tracker.dashboard.models import TrackerRow  # noqa: E402, F401  (the dashboard's summary rows)
from tracker.operations import SweepRun  # noqa: E402, F401  (each sweep's run, for sweep_status)
from tracker.ssda903.models import (  # noqa: E402, F401  (imports from the page; kept tables)
    ReturnRow,
    Ssda903Import,
)
