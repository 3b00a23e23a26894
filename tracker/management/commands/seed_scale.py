"""Fill the database with N realistic synthetic children for the tracker's benchmark."""

from __future__ import annotations

import time
from unittest import mock

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from permanence.models import Notification
from permanence.services import system_user
from tracker.dashboard import scale
from tracker.models import TrackerRow
from tracker.services import deadlines_sweep
from tracker.services.deadlines import BATCH_SIZE

WORK_MEM = "64MB"


class Command(BaseCommand):
    help = (
        "Add N synthetic children (identifiers BN…) with several years of history and a plan "
        "each, written in bulk (several services and uneven caseloads from 4,000 children; one "
        "in 200 with hundreds of recorded changes), then run the full deadline sweep, which "
        "works out their deadlines, alerts and tracker rows. Meant for PostgreSQL "
        "(DATABASE_URL); kept, unlike bench_sweep."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, required=True)
        parser.add_argument("--seed", type=int, default=903, help="For the same data again.")
        parser.add_argument(
            "--no-sweep", action="store_true", help="Leave the deadlines and rows for the sweep."
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="Children per batch of the sweep."
        )

    def handle(self, *args, children: int, seed: int, no_sweep: bool, batch_size: int, **options):
        if connection.vendor != "postgresql":
            self._build(children, seed, no_sweep, batch_size)
            return
        # Memory for the planner to hash a large subquery rather than rescan it for every row:
        # with PostgreSQL's default (4 MB) at 100,000 children, the sweep's look-up of whom CPS
        # duty may be told about rescans every panel meeting for each child of a batch (over
        # 90 s a batch against under a second). This session only, the bulk job's own.
        with connection.cursor() as cursor:
            cursor.execute(f"SET work_mem = '{WORK_MEM}'")
        try:
            self._build(children, seed, no_sweep, batch_size)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET work_mem")

    def _build(self, children: int, seed: int, no_sweep: bool, batch_size: int) -> None:
        by = system_user()
        self.stdout.write(f"Database: {connection.vendor}. Adding {children:,} children…")
        started = time.perf_counter()
        with transaction.atomic():
            seeded = scale.seed(children, by=by, seed=seed)
        self.stdout.write(
            f"  {seeded.children:,} children, {seeded.plans:,} plan versions "
            f"({seeded.superseded:,} superseded earlier), {seeded.matching_panels:,} matching "
            f"panels, {seeded.busy_children:,} children with hundreds of recorded changes, in "
            f"{time.perf_counter() - started:.1f}s"
        )
        if no_sweep:
            return
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            # The planner's statistics for the tables just filled, before the sweep reads them
            # (a few seconds; autovacuum would get there only part-way through the sweep).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # E-mails are the workers' job after commit; a synthetic authority owes none. None is
        # queued, and the notifications the sweep wrote owe none, in one statement at the end.
        since = timezone.now()
        with mock.patch("tracker.services.alerts.queue_emails", lambda ids: None):
            summary = deadlines_sweep(by=by, batch_size=batch_size)
        Notification.objects.filter(created_at__gte=since, email_due_at__isnull=False).update(
            email_due_at=None
        )
        self.stdout.write(
            f"Sweep: {summary.children:,} children in {time.perf_counter() - started:.1f}s "
            f"({summary.deadlines_written:,} deadlines, {summary.alerts_raised:,} alerts); "
            f"{TrackerRow.objects.count():,} tracker rows"
        )
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum would do in time: statistics for the planner, and the visibility
            # map that lets counts be answered from an index. (VACUUM cannot run inside a
            # transaction, as when a test calls the command.)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write("Vacuumed and analysed.")
