"""The exports at their floor (issue 19, item 3): `manage.py bench_exports`.

Downloads, through the whole Django stack (test client, every middleware, the streaming
response read to its end), the deadlines CSV and the tracker's CSV as the head of service with
the largest service, and writes the command line's export of every child's deadlines
(`export_deadlines`) to nothing. For each it prints rows, megabytes, seconds, rows a second,
the process's CPU time and how much its peak memory grew. Left out: the network and the
browser. Run it with production's settings (permanence.settings.bench), on a database built by
seed_scale.
"""

from __future__ import annotations

import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from permanence.models import Child, User
from permanence.roles import Role
from tracker import machine_speed
from tracker.exports import stream_csv
from tracker.selectors import EXPORT_COLUMNS, export_queryset

# The targets: every child's deadlines in 15 s, the tracker's CSV in 5 s.
DEADLINES_TARGET_S = 15.0
TRACKER_TARGET_S = 5.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _largest_service_head() -> tuple[User | None, int]:
    """The head of service overseeing the most children, and how many."""
    sizes = dict(Child.objects.order_by().values_list("team__service_id").annotate(n=Count("pk")))
    heads = User.objects.filter(groups__name=Role(Role.HEAD_OF_SERVICE).label).order_by("pk")
    return max(
        ((head, sizes.get(head.oversight_service_id, 0)) for head in heads),
        key=lambda pair: pair[1],
        default=(None, 0),
    )


class Command(BaseCommand):
    help = "Time the deadlines and tracker CSV exports against their targets (PostgreSQL)."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The exports are written by PostgreSQL: set DATABASE_URL.")
        self.stdout.write(machine_speed.line())
        children = Child.objects.count()
        head, oversees = _largest_service_head()
        if not children or head is None:
            raise CommandError("No children or no head of service: run seed_scale first.")
        self.stdout.write(f"{children:,} children; {head.username} oversees {oversees:,}.")
        client = Client(SERVER_NAME="localhost")
        client.force_login(head)
        client.get(reverse("tracker:dashboard"))  # the session saved, the templates loaded
        results = [
            self._download(client, "Deadlines CSV (head of service)", "tracker:deadline-export"),
            self._download(client, "Tracker CSV (head of service)", "tracker:dashboard-export"),
            self._timed(
                "export_deadlines (every child)",
                lambda: stream_csv(EXPORT_COLUMNS, export_queryset()),
            ),
        ]
        self.stdout.write(
            f"{'Export':<36}{'rows':>11}{'MB':>8}{'seconds':>9}{'rows/s':>10}{'CPU s':>7}"
            f"{'memory +MB':>11}"
        )
        for label, rows, size, seconds, cpu, grown in results:
            self.stdout.write(
                f"{label:<36}{rows:>11,}{size / 1e6:>8.1f}{seconds:>9.2f}"
                f"{rows / seconds if seconds else 0:>10,.0f}{cpu:>7.2f}{grown:>11.0f}"
            )
        deadlines = next(r for r in results if r[0].startswith("export_deadlines"))
        tracker = next(r for r in results if r[0].startswith("Tracker CSV"))
        self.stdout.write(
            f"Every child's deadlines in {deadlines[3]:.1f} s (target ≤ {DEADLINES_TARGET_S:g} s: "
            f"{'met' if deadlines[3] <= DEADLINES_TARGET_S else 'NOT met'}); the tracker's CSV "
            f"in {tracker[3]:.1f} s (target ≤ {TRACKER_TARGET_S:g} s: "
            f"{'met' if tracker[3] <= TRACKER_TARGET_S else 'NOT met'})."
        )

    def _download(self, client: Client, label: str, name: str):
        def pieces():
            response = client.get(reverse(name))
            if response.status_code != 200 or not response.streaming:
                raise CommandError(f"{label}: answered {response.status_code}, not a stream")
            return response.streaming_content

        return self._timed(label, pieces)

    def _timed(self, label: str, pieces):
        peak, cpu, start = _peak_mb(), time.process_time(), time.perf_counter()
        rows = size = 0
        for piece in pieces():
            piece = piece.encode() if isinstance(piece, str) else piece
            rows += piece.count(b"\n")
            size += len(piece)
        seconds = time.perf_counter() - start
        return label, rows - 1, size, seconds, time.process_time() - cpu, _peak_mb() - peak
