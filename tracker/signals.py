"""After a change to a child's record is committed, their deadlines are worked out again.

The apps that record events (permanence, forums, reviews) know nothing of deadlines, and
`permanence` may not import `tracker`; so the tracker listens for saves and deletes of the models
its event sources read (tracker.deadlines.sources.TRIGGERS) and, once the transaction commits,
queues one refresh for the children touched. The handler only notes which children changed:
the work is the `deadlines_refresh` service, run by a worker (in-process on a trial).
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from permanence.models import Child
from tracker.deadlines import sources

logger = logging.getLogger(__name__)

_pending = threading.local()


def _children(sender, instance) -> list[int]:
    getter = sources.TRIGGERS[sender]
    try:
        return [pk for pk in getter(instance) if pk]
    except Exception:  # a trigger must never break the save it follows
        logger.exception("Could not tell whose deadlines %r changes", instance)
        return []


def _flush() -> None:
    ids = getattr(_pending, "ids", None)
    _pending.ids = set()
    if not ids:
        return
    from tracker.tasks import deadlines_refresh

    deadlines_refresh.delay(sorted(ids))


def mark_changed(child_ids) -> None:
    """Refresh these children's deadlines once the current transaction commits."""
    if not child_ids:
        return
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.update(child_ids)
    # One callback per change: the first to run takes every pending child, the rest find
    # nothing to do. (Remembering that one is registered would lose the refresh when a
    # savepoint rolls back and takes the callback with it.) Robust: a failure is logged, never
    # shown to the user whose change is already saved; the weekly full recomputation repairs it
    # (tracker.tasks.deadlines_repair).
    transaction.on_commit(_flush, robust=True)


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata
        return
    mark_changed(_children(sender, instance))


def _on_delete(sender, instance, **kwargs) -> None:
    if sender is Child:
        return  # its deadlines and alerts go with it
    mark_changed(_children(sender, instance))


def connect() -> None:
    """Listen to every model the deadlines read (called from TrackerConfig.ready)."""
    for model in sources.TRIGGERS:
        uid = f"tracker-deadlines-{model._meta.label}"
        post_save.connect(_on_save, sender=model, dispatch_uid=uid + "-save", weak=False)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid + "-delete", weak=False)
