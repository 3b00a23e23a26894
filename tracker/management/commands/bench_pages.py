"""Each page of the journeys against its own SQL time (issue 19, item 2): `manage.py bench_pages`.

For one person of every role (tracker/load.py: the same people and pages `make bench-load`
walks, with the social worker who has the largest caseload), every page of their journey is
asked for through the whole Django stack (test client, every middleware, the templates), warm,
REPEAT times, one after another on a quiet machine. For each page it prints the number of
queries, p50 and p95 server time, the time PostgreSQL itself reports for those queries
(EXPLAIN ANALYZE: planning plus execution) and p95 against that floor, then which pages miss
the targets: at most 15 queries, and p95 within twice the SQL time or 50 ms above it.

Left out, on purpose: the network and the browser (loopback through gunicorn is
`make bench-load`), sign-in (password hashing is slow by design) and static files.
Run it with production's settings (permanence.settings.bench) so that templates are cached and
DEBUG is off, as `make bench-pages` does.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client

from permanence import worker_memory
from permanence.models import Child, User
from permanence.roles import Role
from tracker import load, machine_speed
from tracker.management.commands.bench_tracker import _explain_ms, _percentile, _Recorder

MAX_QUERIES = 15
# p95 may be twice the page's own SQL time, or this much above it, whichever is more.
TIMES_SQL = 2.0
ABOVE_SQL_MS = 50.0


class _Worker(Client):
    """The test client, with the collector settled as a gunicorn worker settles it
    (gunicorn.conf.py, permanence/worker_memory.py)."""

    def request(self, **request):
        response = super().request(**request)
        worker_memory.served()
        return response


def _largest_caseload() -> User | None:
    group_name = Role.SOCIAL_WORKER.label
    return (
        User.objects.filter(groups__name=group_name, username__startswith="bench_sw")
        .annotate(n=Count("caseload"))
        .order_by("-n", "pk")
        .first()
    )


class Command(BaseCommand):
    help = (
        "Time every page of the journeys for one person of each role against the page's own "
        "SQL time (EXPLAIN ANALYZE), with its query count (PostgreSQL, data from seed_scale)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15, help="Timed requests per page.")
        parser.add_argument("--only", default="", help="Only pages whose label contains this.")
        parser.add_argument(
            "--profile", action="store_true", help="Print where each page's Python time goes."
        )

    def handle(self, *args, repeat: int, only: str, profile: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError("EXPLAIN ANALYZE needs PostgreSQL: set DATABASE_URL.")
        children = Child.objects.count()
        if not children:
            raise CommandError("No children: run seed_scale first.")
        self.stdout.write(machine_speed.line())
        worker_memory.started()
        busy = load._busy_child_ids()
        people = []
        for role in load.FIRST:
            user = _largest_caseload() if role == Role.SOCIAL_WORKER else None
            user = user or load._people(str(role), 1)[0]
            people.append((role, user, load.journey(user, str(role), busy, index=0)))
        self.stdout.write(
            f"{children:,} children; one person of each of {len(people)} roles; "
            f"{repeat} warm requests per page, one at a time, through the whole Django stack."
        )
        self.stdout.write(
            f"{'page':<44} {'as':<22} {'queries':>7} {'p50':>7} {'p95':>7} {'SQL':>7} "
            f"{'p95/SQL':>8}"
        )
        misses = []
        for role, user, pages in people:
            client = _Worker(SERVER_NAME="localhost")
            client.force_login(user)
            for label, path in pages:
                if only and only.lower() not in label.lower():
                    continue
                path, label = self._landing(client, path, label)
                result = self._page(client, path, repeat, profile)
                as_who = f"{Role(role).label[:14]} {user.username}"[:22]
                self.stdout.write(
                    f"{label[:44]:<44} {as_who:<22} {result['queries']:>7} "
                    f"{result['p50']:>5.0f}ms {result['p95']:>5.0f}ms {result['sql']:>5.0f}ms "
                    f"{result['ratio']:>7.1f}x"
                )
                if profile:
                    self.stdout.write(result["profile"])
                problems = self._misses(result)
                if problems:
                    misses.append(f"{label} as {user.username}: {'; '.join(problems)}")
        self.stdout.write(
            f"\nTargets: at most {MAX_QUERIES} queries; p95 at most {TIMES_SQL:g}x the page's "
            f"SQL time or {ABOVE_SQL_MS:g} ms above it."
        )
        if misses:
            self.stdout.write(f"{len(misses)} pages miss a target:")
            for line in misses:
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write("Every page meets both targets.")

    @staticmethod
    def _landing(client: Client, path: str, label: str) -> tuple[str, str]:
        """A page that redirects (the landing page to the role's own page, the next agenda to its
        session) is measured where it leads, as the browser would show it."""
        for _ in range(5):
            response = client.get(path)
            if response.status_code not in (301, 302):
                break
            path = response["Location"]
            if label.startswith("Landing"):
                label = f"Landing page ({path.split('?')[0]})"
        return path, label

    @staticmethod
    def _page(client: Client, path: str, repeat: int, profile: bool) -> dict:
        for _ in range(3):  # warm, as a running server is
            response = client.get(path)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        captured = _Recorder()
        with connection.execute_wrapper(captured):
            client.get(path)
        sql_ms = sum(_explain_ms(sql, params) for sql, params in captured.selects())
        p95 = _percentile(timings, 0.95)
        result = {
            "queries": len(captured),
            "p50": statistics.median(timings),
            "p95": p95,
            "sql": sql_ms,
            "ratio": p95 / sql_ms if sql_ms else 0.0,
        }
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                client.get(path)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
            result["profile"] = out.getvalue()
        return result

    @staticmethod
    def _misses(result: dict) -> list[str]:
        problems = []
        if result["queries"] > MAX_QUERIES:
            problems.append(f"{result['queries']} queries")
        allowed = max(result["sql"] * TIMES_SQL, result["sql"] + ABOVE_SQL_MS)
        if result["p95"] > allowed:
            problems.append(f"p95 {result['p95']:.0f} ms > {allowed:.0f} ms")
        return problems
