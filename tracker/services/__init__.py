"""Writes of the tracker app: deadlines, alerts and the timescale settings."""

from tracker.services.daily import deadlines_sweep_daily
from tracker.services.deadlines import (
    SweepSummary,
    active_rules,
    deadlines_refresh,
    deadlines_sweep,
    deadlines_sweep_due_today,
)
from tracker.services.timescale_rules import deadline_rule_update

__all__ = [
    "SweepSummary",
    "active_rules",
    "deadline_rule_update",
    "deadlines_refresh",
    "deadlines_sweep",
    "deadlines_sweep_daily",
    "deadlines_sweep_due_today",
]
