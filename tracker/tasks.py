"""Periodic and on-commit jobs: thin, each calls one service as the system user (SPEC §5).

They retry with exponential backoff on database and connection errors, and acknowledge late so
that a worker killed mid-task leaves the message for another: every service here is safe to
run twice (see tracker.services.deadlines).
"""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from permanence.services import system_user
from tracker import services

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
    """Daily at 06:00 Europe/London: every deadline, status and alert up to date (SPEC §5)."""
    return vars(services.deadlines_sweep(by=system_user()))


@shared_task(**RETRY)
def deadlines_sweep_due_today(self) -> dict:
    """Hourly: Part 1s due by 17:00 today become overdue once the time passes (seeds 000, 003)."""
    return vars(services.deadlines_sweep_due_today(by=system_user()))


@shared_task(**RETRY)
def deadlines_refresh(self, child_ids: list[int]) -> dict:
    """After a change to these children's records is committed: their deadlines again (SPEC §5)."""
    return vars(services.deadlines_refresh(child_ids=child_ids, by=system_user()))
