"""How fast the deadline sweeps are: the daily sweep beside the full recomputation (issue 19).

N synthetic children with plans, panels and meetings (`tracker.dashboard.scale`, as
`seed_scale` makes them), swept the way the jobs sweep them: committed batches, every
notification written with its e-mail owed (the outbox) and handed to the queue after commit.
Printed side by side: children per second, wall time and this process's CPU time, for
- the full recomputation: the first sweep, the date moved a day, a rerun;
- the daily sweep: the date moved a day, a rerun.
Everything happens in a scratch database, made for the run and dropped after it (nothing is
rolled back: commits cost what they cost in service), unless --keep asks for the configured one.
On PostgreSQL the tables are analysed after the build and after each sweep, outside the timings,
as autovacuum does in service after that many rows change: a benchmark server often runs with
autovacuum off, and planning on a freshly loaded table's empty statistics (a nested loop over
60,000 rows estimated at one) times the planner's guesses, not the sweep.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from contextlib import contextmanager
from unittest import mock

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from permanence.models import Notification
from permanence.services import system_user
from tracker import machine_speed
from tracker.dashboard import scale
from tracker.models import Alert, Deadline
from tracker.services import deadlines_sweep, deadlines_sweep_daily
from tracker.services.deadlines import BATCH_SIZE


@contextmanager
def scratch_database():
    """A fresh, migrated database beside the configured one, dropped afterwards."""
    creation = connection.creation
    old = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"{old}_bench"
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        creation.destroy_test_db(old, verbosity=0)


def analyse() -> None:
    """Fresh planner statistics, as autovacuum keeps them in service (see the docstring)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = (
        "Benchmark the daily sweep beside the full recomputation on N synthetic children, in a "
        "scratch database (committed batches, e-mails queued)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=10_000)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--daily-only",
            action="store_true",
            help="After the first full sweep, time only the daily sweep (a large N in less time).",
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Use the configured database and keep the synthetic children and their rows.",
        )

    def handle(
        self, *args, children: int, batch_size: int, keep: bool, daily_only: bool, **options
    ):
        self.stdout.write(machine_speed.line())
        if keep:
            self._run(children, batch_size, keep=True, daily_only=daily_only)
            return
        self.stdout.write("Making a scratch database (migrations)…")
        with scratch_database():
            self._run(children, batch_size, keep=False, daily_only=daily_only)
        self.stdout.write("Scratch database dropped: the configured database is as it was.")

    def _run(self, n: int, batch_size: int, *, keep: bool, daily_only: bool = False) -> None:
        by = system_user()
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        self.stdout.write(
            f"Database: {connection.vendor}; load average {load} on {os.cpu_count()} CPUs. "
            f"Building {n:,} synthetic children with plans, panels and meetings…"
        )
        started_at = timezone.now()
        started = time.perf_counter()
        seeded = scale.seed(n, by=by, today=timezone.localdate(started_at))
        analyse()
        # The sweeps happen after the children were recorded, as in service: a first sweep
        # dated before the build would send the daily sweep after every child as "recorded
        # since the last sweep", a full recomputation under the daily sweep's name.
        now = timezone.now()
        self.stdout.write(
            f"  built in {time.perf_counter() - started:.1f}s: {seeded.plans:,} plan versions, "
            f"{seeded.matching_panels:,} matching panels"
        )
        queued: list[int] = []
        day = dt.timedelta(days=1)
        runs = [
            ("Full: first sweep", deadlines_sweep, now),
            ("Full: the date moved a day", deadlines_sweep, now + day),
            ("Full: rerun, nothing changed", deadlines_sweep, now + day),
            ("Daily: the date moved a day", deadlines_sweep_daily, now + 2 * day),
            ("Daily: rerun, nothing changed", deadlines_sweep_daily, now + 2 * day),
        ]
        if daily_only:
            runs = [
                runs[0],
                ("Daily: the date moved a day", deadlines_sweep_daily, now + day),
                ("Daily: rerun, nothing changed", deadlines_sweep_daily, now + day),
            ]
        lines = []
        # The e-mails are queued after each batch commits, as in service; here the queue is a
        # list, so no synthetic e-mail reaches a worker.
        with mock.patch("tracker.services.alerts.queue_emails", queued.extend):
            for label, sweep, moment in runs:
                wall, cpu = time.perf_counter(), time.process_time()
                summary = sweep(by=by, now=moment, batch_size=batch_size)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                lines.append((label, summary, wall, cpu))
                analyse()
        if keep:
            # Kept synthetic children owe nobody an e-mail: the notes this run wrote go unsent.
            Notification.objects.filter(
                created_at__gte=started_at, email_due_at__isnull=False
            ).update(email_due_at=None)
        self.stdout.write(
            f"{'':31} {'children/s':>11} {'wall s':>8} {'CPU s':>7} {'deadlines':>10} "
            f"{'alerts':>7} {'notes':>7}"
        )
        for label, summary, wall, cpu in lines:
            self.stdout.write(
                f"{label:31} {summary.children / wall:>11,.0f} {wall:>8.2f} {cpu:>7.2f} "
                f"{summary.deadlines_written:>10,} {summary.alerts_raised:>7,} "
                f"{summary.notifications:>7,}"
            )
        self.stdout.write(
            "(deadlines: rows written; alerts: raised; notes: notifications written, each "
            "owing its e-mail; CPU: this process only, not the database's)"
        )
        self.stdout.write(
            f"Stored: {Deadline.objects.count():,} deadlines, "
            f"{Alert.objects.filter(closed_at__isnull=True).count():,} open alerts; "
            f"{len(queued):,} e-mails queued"
        )
