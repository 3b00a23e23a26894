"""Working out every child's deadlines and keeping the stored rows and alerts in step (SPEC §5).

One batch of children at a time, each batch in its own transaction: read the facts in bulk,
compute in Python, write only the rows that changed (a rerun that changes nothing writes
nothing), then bring the batch's alerts in line. The daily sweep runs every batch; a change to
a child's record refreshes just that child once the change is committed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, fields
from itertools import islice

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from permanence.models import Child, User
from permanence.services import SYSTEM_USERNAME
from tracker import bulk
from tracker.dashboard.services import tracker_rows_refresh
from tracker.deadlines import registry
from tracker.deadlines.calculators import RuleConfig
from tracker.deadlines.engine import Directory, compute_deadlines
from tracker.deadlines.facts import ChildScope, load_facts
from tracker.models import Deadline, DeadlineRule, SweepRun
from tracker.services.alerts import sync_alerts

logger = logging.getLogger(__name__)

# Children per transaction: large enough that each batch's fixed cost (a few dozen queries) is
# small, small enough that a batch holds the sweep lock for a second or two (bench_sweep: 5,000
# went 5% faster than 2,000 at 10,000 children).
BATCH_SIZE = 5000
# One sweep or refresh writes a batch at a time, everywhere: two at once could both raise the
# same alert's notification. (PostgreSQL advisory lock; SQLite has a single writer anyway.)
SWEEP_LOCK = 5_903_001
ROW_FIELDS = [
    "anchor_on",
    "due",
    "due_at",
    "met_on",
    "status",
    "owner",
    "current",
    "outcome",
    "days_late",
    "updated_at",
]
# The order of `tracker.deadlines.engine.Row`, between the key and the time it was written.
ROW_COLUMNS = [
    "child_id",
    "rule_id",
    "instance",
    "anchor_on",
    "due",
    "due_at",
    "met_on",
    "status",
    "owner_id",
    "current",
    "outcome",
    "days_late",
    "updated_at",
]


@dataclass
class SweepSummary:
    """What a sweep or refresh did; a rerun that changes nothing has every count but
    `children` at zero."""

    children: int = 0
    deadlines_written: int = 0
    deadlines_deleted: int = 0
    alerts_raised: int = 0
    alerts_updated: int = 0
    alerts_closed: int = 0
    alerts_escalated: int = 0
    notifications: int = 0

    def __iadd__(self, other: SweepSummary) -> SweepSummary:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @property
    def writes(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self) if f.name != "children")

    def __str__(self) -> str:
        return ", ".join(
            f"{f.name.replace('_', ' ')}: {getattr(self, f.name)}" for f in fields(self)
        )


def batched(items: Iterable[int], size: int):
    """Successive tuples of up to SIZE items (itertools.batched arrives in Python 3.12)."""
    iterator = iter(items)
    while batch := tuple(islice(iterator, size)):
        yield batch


def _require_system(by: User) -> None:
    if not (by.username == SYSTEM_USERNAME or by.is_superuser or by.has_perm("tracker.run_sweep")):
        raise PermissionDenied("Only the scheduled jobs or an administrator may run the sweep.")


def active_rules() -> list[tuple[RuleConfig, registry.RuleSpec]]:
    """The rules switched on that the registry can work out, with their current settings."""
    out = []
    for rule in DeadlineRule.objects.filter(active=True):
        spec = registry.spec_for(rule.code)
        if spec is not None:
            out.append((RuleConfig.from_model(rule), spec))
    return out


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SWEEP_LOCK])


@transaction.atomic
def _refresh_batch(
    scope: ChildScope,
    rules: list[tuple[RuleConfig, registry.RuleSpec]],
    directory: Directory,
    now: dt.datetime,
) -> SweepSummary:
    _lock()
    today = timezone.localdate(now)
    facts = load_facts(scope)
    # The current instances feed the alerts and the tracker's rows; every instance is stored.
    rows, instances = compute_deadlines(facts.values(), rules, directory, now, today)
    summary = SweepSummary(children=len(facts))
    existing = {
        (child, rule, instance): (pk, tuple(values))
        for pk, child, rule, instance, *values in Deadline.objects.filter(scope.q("child__"))
        .order_by()
        .values_list(
            "pk",
            "child_id",
            "rule_id",
            "instance",
            "anchor_on",
            "due",
            "due_at",
            "met_on",
            "status",
            "owner_id",
            "current",
            "outcome",
            "days_late",
        )
    }
    new, changed = [], []
    for key, row in instances.items():
        before = existing.get(key)
        if before is None:
            new.append((*key, *row, now))
        elif before[1] != row:
            changed.append((*key, *row, now))
    gone = [pk for key, (pk, _) in existing.items() if key not in instances]
    # New rows go straight in; changed ones as an upsert on (child, rule, instance). The batch
    # holds the sweep lock, so no other writer can add the same row in between.
    bulk.insert(Deadline, ROW_COLUMNS, new)
    bulk.insert(
        Deadline,
        ROW_COLUMNS,
        changed,
        conflict=["child", "rule", "instance"],
        update=ROW_FIELDS,
    )
    if gone:
        Deadline.objects.filter(pk__any_of=gone).delete()
    summary.deadlines_written = len(new) + len(changed)
    summary.deadlines_deleted = len(gone)
    counts = sync_alerts(
        scope=scope,
        rows=rows,
        facts=facts,
        rules={config.pk: config for config, _ in rules},
        directory=directory,
        now=now,
    )
    summary.alerts_raised = counts.raised
    summary.alerts_updated = counts.updated
    summary.alerts_closed = counts.closed
    summary.alerts_escalated = counts.escalated
    summary.notifications = counts.notifications
    tracker_rows_refresh(scope=scope, now=now, facts=facts, deadline_rows=rows)
    return summary


def deadlines_refresh(
    *, child_ids: Iterable[int], by: User, now: dt.datetime | None = None
) -> SweepSummary:
    """Work out these children's deadlines again after their record changed (SPEC §5)."""
    _require_system(by)
    now = now or timezone.now()
    rules, directory = active_rules(), Directory.load()
    summary = SweepSummary()
    for batch in batched(sorted(set(child_ids)), BATCH_SIZE):
        summary += _refresh_batch(ChildScope(pks=batch), rules, directory, now)
    return summary


def deadlines_sweep(
    *,
    by: User,
    now: dt.datetime | None = None,
    batch_size: int = BATCH_SIZE,
    kind: str = SweepRun.Kind.FULL,
) -> SweepSummary:
    """The full recomputation: every child's deadlines, statuses and alerts worked out again
    (SPEC §5). The weekly repair job; recorded as KIND (the daily job's first run, with no
    sweep before it to build on, passes DAILY)."""
    _require_system(by)
    now = now or timezone.now()
    rules, directory = active_rules(), Directory.load()
    summary = SweepSummary()
    pks = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    for batch in batched(pks, batch_size):
        summary += _refresh_batch(ChildScope(first=batch[0], last=batch[-1]), rules, directory, now)
    logger.info("Full deadline sweep: %s", summary)
    sweep_run_record(kind=kind, started_at=now, summary=summary)
    return summary


def deadlines_sweep_due_today(*, by: User, now: dt.datetime | None = None) -> SweepSummary:
    """The hourly sweep: deadlines due by a time of day today (Part 1 by 17:00, seeds 000, 003)
    become overdue the hour they pass."""
    _require_system(by)
    now = now or timezone.now()
    today = timezone.localdate(now)
    child_ids = (
        Deadline.objects.filter(rule__due_time__isnull=False, due=today, current=True)
        .exclude(status=Deadline.Status.MET)
        .values_list("child_id", flat=True)
    )
    summary = deadlines_refresh(child_ids=list(child_ids), by=by, now=now)
    sweep_run_record(kind=SweepRun.Kind.DUE_TODAY, started_at=now, summary=summary)
    return summary


def sweep_run_record(*, kind: str, started_at: dt.datetime, summary: SweepSummary) -> SweepRun:
    """A finished sweep leaves a row saying what it did, for `manage.py sweep_status`
    (issue 17); written after its last batch, so a run killed part-way leaves none."""
    return SweepRun.objects.create(
        kind=kind,
        started_at=started_at,
        finished_at=timezone.now(),
        children=summary.children,
        deadlines_written=summary.deadlines_written,
        alerts_raised=summary.alerts_raised,
        alerts_closed=summary.alerts_closed,
        alerts_escalated=summary.alerts_escalated,
        notifications=summary.notifications,
    )
