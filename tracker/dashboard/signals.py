"""A change to a child's plan refreshes their tracker row once it is committed.

The deadline engine already listens to every record its deadlines read (`tracker.signals`), and
the tracker's rows are refreshed at the end of each of its batches. The plan is the one record the
tracker reads that no deadline does, so a saved or deleted plan version asks for the same
refresh. So does a sibling group (001 §2.1): each member's row counts the brothers and sisters and
says whether they are placed together, so a change to the group refreshes every member. (A
child joining or leaving is saved itself; the group is saved too when its members change, for
those who stay.)
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete

from tracker.signals import mark_changed


def _plan_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata
        return
    mark_changed([instance.child_id])


def _group_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata
        return
    mark_changed(list(instance.children.values_list("pk", flat=True)))


def connect() -> None:
    """Listen to saves and deletes of plan versions and sibling groups (called from the
    dashboard's setup)."""
    from permanence.models import Plan, SiblingGroup

    post_save.connect(_plan_changed, sender=Plan, dispatch_uid="tracker-dashboard-plan-save")
    post_delete.connect(_plan_changed, sender=Plan, dispatch_uid="tracker-dashboard-plan-delete")
    post_save.connect(
        _group_changed, sender=SiblingGroup, dispatch_uid="tracker-dashboard-siblings-save"
    )
    # Before the delete, while the members still point at the group.
    pre_delete.connect(
        _group_changed, sender=SiblingGroup, dispatch_uid="tracker-dashboard-siblings-delete"
    )
