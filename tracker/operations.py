"""What the deadline sweeps did, run by run (issue 17), so an operator can tell that beat's
jobs are running: `manage.py sweep_status` reads it.

Three kinds: the daily sweep (06:00, set-based, tracker.services.daily), the hourly due-today
sweep, and the full recomputation (the weekly repair job, `manage.py sweep_deadlines --full`,
and the daily job's first run when there is no sweep before it to build on: that one is recorded
as the daily sweep, since it is the daily job that ran).

One row per finished run, written by the sweep service after its last batch: a run killed
part-way writes none, and the status shows the last run that finished.
"""

from __future__ import annotations

from django.db import models


class SweepRun(models.Model):
    class Kind(models.TextChoices):
        DAILY = "daily", "Daily sweep (06:00)"
        FULL = "full", "Full recomputation (weekly repair)"
        DUE_TODAY = "due_today", "Due-today sweep (hourly)"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    children = models.PositiveIntegerField(default=0)
    deadlines_written = models.PositiveIntegerField(default=0)
    alerts_raised = models.PositiveIntegerField(default=0)
    alerts_closed = models.PositiveIntegerField(default=0)
    alerts_escalated = models.PositiveIntegerField(default=0)
    notifications = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-finished_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-finished_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} finished {self.finished_at:%Y-%m-%d %H:%M}"
