"""How fast the deadline sweep is: N synthetic children, a first sweep, a rerun that changes
nothing. Prints figures; not a timed test. By default everything it makes is rolled back."""

from __future__ import annotations

import os
import time
from unittest import mock

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from permanence.notifications import notification_emails_withhold
from permanence.services import system_user
from tracker import bench
from tracker.models import Alert, Deadline, SweepRun
from tracker.services import deadlines_sweep
from tracker.services.deadlines import BATCH_SIZE


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Benchmark the deadline sweep on N synthetic children (rolled back unless --keep)."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=10_000)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--keep", action="store_true", help="Commit the synthetic children and their rows."
        )

    def handle(self, *args, children: int, batch_size: int, keep: bool, **options):
        # E-mails are the workers' job after commit, not the sweep's: never sent from here, not
        # even when the synthetic children are kept (the patch outlives the commit).
        try:
            with (
                mock.patch("tracker.services.alerts.queue_emails", notification_emails_withhold),
                transaction.atomic(),
            ):
                self._run(children, batch_size)
                if not keep:
                    raise _Rollback
        except _Rollback:
            self.stdout.write("Rolled back: the database is as it was.")

    def _run(self, n: int, batch_size: int) -> None:
        by = system_user()
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        self.stdout.write(
            f"Database: {connection.vendor}; load average {load} on {os.cpu_count()} CPUs. "
            f"Building {n:,} synthetic children…"
        )
        started = time.perf_counter()
        built = bench.build(n, by=by)
        self.stdout.write(
            f"  built in {time.perf_counter() - started:.1f}s: {built.episodes:,} episodes, "
            f"{built.allocations:,} IRO allocations, {built.reviews:,} reviews, "
            f"{built.meetings:,} meetings, {built.disruptions:,} disruptions"
        )
        first, first_s, first_writes = self._timed(by, batch_size)
        first_cpu = self.cpu_seconds
        rerun, rerun_s, rerun_writes = self._timed(by, batch_size)
        rerun_cpu = self.cpu_seconds
        self.stdout.write(
            f"First sweep: {first.children:,} children in {first_s:.2f}s = "
            f"{first.children / first_s:,.0f} children/s "
            f"({first.deadlines_written:,} deadlines written, {first.alerts_raised:,} alerts, "
            f"{first.notifications:,} notifications; {first_writes:,} rows written in the "
            f"database; {first_cpu:.2f}s of this process's CPU)"
        )
        self.stdout.write(
            f"Rerun, nothing changed: {rerun.children:,} children in {rerun_s:.2f}s = "
            f"{rerun.children / rerun_s:,.0f} children/s "
            f"({rerun_writes} rows written in the database; {rerun_cpu:.2f}s of this process's CPU)"
        )
        self.stdout.write(
            f"Stored: {Deadline.objects.count():,} deadlines, "
            f"{Alert.objects.filter(closed_at__isnull=True).count():,} open alerts"
        )

    def _timed(self, by, batch_size):
        before, runs = _rows_written(), SweepRun.objects.count()
        started, cpu = time.perf_counter(), time.process_time()
        summary = deadlines_sweep(by=by, batch_size=batch_size)
        elapsed = time.perf_counter() - started
        self.cpu_seconds = time.process_time() - cpu
        # The run's own line in the operator's log (sweep_status) is not the sweep's work.
        logged = SweepRun.objects.count() - runs
        return summary, elapsed, _rows_written() - before - logged


def _rows_written() -> int:
    """Rows inserted, updated or deleted so far in this transaction, as the database counts."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) "
                "FROM pg_stat_xact_user_tables"
            )
            return int(cursor.fetchone()[0])
    connection.ensure_connection()
    return connection.connection.total_changes  # SQLite
