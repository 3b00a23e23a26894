"""Periodic and on-commit jobs: thin, each calls one service as the system user (SPEC §5).

They retry with exponential backoff on database and connection errors, and acknowledge late so
that a worker killed mid-task leaves the message for another: every service here is safe to
run twice (see tracker.services.deadlines). The SSDA903 import is the exception: it acts as the
administrator who uploaded the return, and is not retried.

Safe to run twice even at the same time, which a redelivery after the broker's visibility
timeout (10 minutes) can cause while the first run is still going: the sweep and refreshes
write one batch at a time under a PostgreSQL advisory lock held by the transaction, so it goes
with a dead process's connection, and a second run finds nothing left to change; the import
locks its row until its report is saved.
"""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from permanence.services import system_user
from tracker import services
from tracker.ssda903 import services as ssda903

RETRY = {
    "bind": True,
    "autoretry_for": (DatabaseError, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "retry_kwargs": {"max_retries": 6},
    "acks_late": True,
    "reject_on_worker_lost": True,
}


@shared_task(**RETRY)
def deadlines_sweep(self) -> dict:
    """Daily at 06:00 Europe/London: statuses moved as the date passes and the alerts that
    brings, set-based (tracker.services.daily; SPEC §5)."""
    return vars(services.deadlines_sweep_daily(by=system_user()))


@shared_task(**RETRY)
def deadlines_repair(self) -> dict:
    """Weekly, and after a timescale changes: every child's deadlines worked out again in full,
    which puts right anything a lost refresh left behind (SPEC §5)."""
    return vars(services.deadlines_sweep(by=system_user()))


@shared_task(**RETRY)
def deadlines_sweep_due_today(self) -> dict:
    """Hourly: Part 1s due by 17:00 today become overdue once the time passes (seeds 000, 003)."""
    return vars(services.deadlines_sweep_due_today(by=system_user()))


@shared_task(**RETRY)
def deadlines_refresh(self, child_ids: list[int]) -> dict:
    """After a change to these children's records is committed: their deadlines again (SPEC §5)."""
    return vars(services.deadlines_refresh(child_ids=child_ids, by=system_user()))


# Not retried: an import that fails has told the administrator why, and running it again is
# their choice. Acknowledged late and handed back if the worker dies mid-import, which is safe
# because the import is idempotent and the service gives up after a second such stop.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def ssda903_import_run(import_id: int) -> str | None:
    """An SSDA903 return uploaded on the page, imported outside the web request (issue 7)."""
    record = ssda903.ssda903_import_run(import_id=import_id)
    return record.status if record is not None else None
