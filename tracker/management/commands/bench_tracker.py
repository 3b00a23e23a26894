"""How fast the tracker's pages are (issue 6): the first page, a filtered page and the full CSV.

For each page: p50 and p95 server time over repeated requests (the whole Django stack, through
the test client, as a signed-in manager), the number of queries, and the time PostgreSQL itself
reports for those queries (EXPLAIN ANALYZE: planning plus execution). For the export: the time to
stream every row and the most memory Python held while doing it, measured part-way and at the
end, which should be the same (flat) however many rows there are.
"""

from __future__ import annotations

import json
import statistics
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from permanence.models import User
from permanence.roles import MANAGER_ROLES, Role
from tracker.models import TrackerRow

PAGES = (
    ("First page", "/tracker/dashboard/"),
    (
        "Filtered page (red, adoption, by next deadline)",
        "/tracker/dashboard/?rag=red&route=adoption&sort=deadline",
    ),
)
EXPORT = ("Full export", "/tracker/dashboard/export.csv")


def _ok(response) -> None:
    if response.status_code != 200:
        raise CommandError(f"The page answered {response.status_code}")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class _Recorder:
    """Every statement the request runs, with its parameters (an execute wrapper sees them all,
    server-side cursors included)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)

    def __len__(self) -> int:
        return len(self.statements)

    def selects(self) -> list[tuple[str, object]]:
        # A UNION's first part comes in brackets: "(SELECT …) UNION ALL (SELECT …)" reads too.
        return [
            (s, p)
            for s, p in self.statements
            if s.lstrip().lstrip("(").upper().startswith(("SELECT", "WITH"))
        ]


def _explain_ms(sql: str, params=None) -> float:
    """What PostgreSQL reports for one query: planning plus execution time, in ms."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    top = plan[0]
    return top.get("Planning Time", 0.0) + top.get("Execution Time", 0.0)


class Command(BaseCommand):
    help = "Time the tracker's first page, a filtered page and the full CSV (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=40, help="Timed requests per page.")
        parser.add_argument("--user", help="Username of the manager to ask as.")
        parser.add_argument("--export-repeat", type=int, default=3)

    def handle(self, *args, repeat: int, user: str | None, export_repeat: int, **options):
        if connection.vendor != "postgresql":
            self.stderr.write("EXPLAIN ANALYZE figures need PostgreSQL: set DATABASE_URL.")
        manager = self._manager(user)
        client = Client(SERVER_NAME="localhost")
        client.force_login(manager)
        rows = TrackerRow.objects.count()
        self.stdout.write(
            f"Database: {connection.vendor}; {rows:,} tracker rows; asking as {manager.username} "
            f"({', '.join(sorted(manager.roles))}); {repeat} timed requests per page."
        )
        for label, url in PAGES:
            self._page(client, label, url, repeat)
        self._export(client, *EXPORT, export_repeat)

    def _manager(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No user called {username}")
            return user
        for candidate in ("bench_hos", "hos1"):
            user = User.objects.filter(username=candidate).first()
            if user is not None and user.roles & MANAGER_ROLES:
                return user
        user = User.objects.filter(groups__name=Role.HEAD_OF_SERVICE.label).first()
        if user is None:
            raise CommandError("No head of service to ask as: run seed_scale first.")
        return user

    def _page(self, client: Client, label: str, url: str, repeat: int) -> None:
        for _ in range(3):  # warm the caches, as a running server would be
            _ok(client.get(url))
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            _ok(response)
        captured = _Recorder()
        with connection.execute_wrapper(captured):
            client.get(url)
        explained = [(_explain_ms(sql, params), sql) for sql, params in captured.selects()]
        sql_ms = sum(ms for ms, _ in explained)
        p50, p95 = statistics.median(timings), _percentile(timings, 0.95)
        self.stdout.write(
            f"{label}: {url}\n"
            f"  server time p50 {p50:.1f} ms, p95 {p95:.1f} ms; {len(captured)} queries; "
            f"PostgreSQL (EXPLAIN ANALYZE) {sql_ms:.1f} ms; p95 / SQL = {p95 / sql_ms:.2f}"
            if sql_ms
            else f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms; {len(captured)} queries"
        )
        for ms, sql in sorted(explained, reverse=True)[:3]:
            self.stdout.write(f"    slowest: {ms:6.2f} ms  {sql[:100]}")

    def _export(self, client: Client, label: str, url: str, repeat: int) -> None:
        timings, sizes, lines = [], [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            size = lines = 0
            for chunk in response.streaming_content:
                size += len(chunk)
                lines += chunk.count(b"\n")
            timings.append((time.perf_counter() - started) * 1000)
            sizes.append(size)
        captured = _Recorder()
        with connection.execute_wrapper(captured):
            for _ in client.get(url).streaming_content:
                pass
        sql_ms = sum(
            _explain_ms(sql, params)
            for sql, params in captured.selects()
            if "tracker_trackerrow" in sql
        )
        # Memory: the most Python held while streaming, after a tenth of the rows and at the end.
        response = client.get(url)
        tracemalloc.start()
        seen, early_peak = 0, None
        for chunk in response.streaming_content:
            seen += chunk.count(b"\n")
            if early_peak is None and seen >= lines // 10:
                early_peak = tracemalloc.get_traced_memory()[1]
        final_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        self.stdout.write(
            f"{label}: {url}\n"
            f"  {lines - 1:,} rows, {sizes[-1] / 1e6:.1f} MB, streamed in p50 "
            f"{statistics.median(timings) / 1000:.2f} s (best {min(timings) / 1000:.2f} s); "
            f"{len(captured)} queries; PostgreSQL (EXPLAIN ANALYZE) {sql_ms:.0f} ms\n"
            f"  Python memory peak after 10% of the rows {(early_peak or 0) / 1e6:.1f} MB, "
            f"after all of them {final_peak / 1e6:.1f} MB"
        )
