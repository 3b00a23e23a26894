"""A change to a child's plan refreshes their tracker row once it is committed.

The deadline engine already listens to every record its deadlines read (`tracker.signals`), and
the tracker's rows are refreshed at the end of each of its batches. The plan is the one record the
tracker reads that no deadline does, so a saved or deleted plan version asks for the same
refresh.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from tracker.signals import mark_changed


def _plan_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata
        return
    mark_changed([instance.child_id])


def connect() -> None:
    """Listen to saves and deletes of plan versions (called from the dashboard's setup)."""
    from permanence.models import Plan

    post_save.connect(_plan_changed, sender=Plan, dispatch_uid="tracker-dashboard-plan-save")
    post_delete.connect(_plan_changed, sender=Plan, dispatch_uid="tracker-dashboard-plan-delete")
