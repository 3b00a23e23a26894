"""Fill the database with N realistic synthetic children for the tracker's benchmark."""

from __future__ import annotations

import time
from unittest import mock

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from permanence.notifications import notification_emails_withhold
from permanence.services import system_user
from tracker.dashboard import scale
from tracker.models import TrackerRow
from tracker.services import deadlines_sweep


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

    def handle(self, *args, children: int, seed: int, no_sweep: bool, **options):
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
        # E-mails are the workers' job after commit; a synthetic authority owes none.
        with mock.patch("tracker.services.alerts.queue_emails", notification_emails_withhold):
            summary = deadlines_sweep(by=by)
        self.stdout.write(
            f"Sweep: {summary.children:,} children in {time.perf_counter() - started:.1f}s "
            f"({summary.deadlines_written:,} deadlines, {summary.alerts_raised:,} alerts); "
            f"{TrackerRow.objects.count():,} tracker rows"
        )
        if connection.vendor == "postgresql":
            # What autovacuum would do in time: statistics for the planner, and the visibility
            # map that lets counts be answered from an index.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            self.stdout.write("Vacuumed and analysed.")
