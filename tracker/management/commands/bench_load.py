"""Fifty people at once (issue 19, item 4): `make bench-load`.

Starts the service as production runs it: nginx (nginx.conf.template, permanence/proxy.py) in
front of gunicorn for the pages (gunicorn.conf.py, 4 workers) and gunicorn for sign-in (2
workers), production's settings over plain HTTP (permanence/settings/bench.py), each on a free
loopback port. Signs in N people of every role (tracker/load.py) through the sign-in form, lets
them walk their journeys' pages for a bounded time with locust (scripts/locustfile.py, headless),
prints each page's p50/p95/p99 and errors, stops the servers, and fails on any error. `--direct`
runs the one gunicorn with no proxy instead, as before sign-in had workers of its own. Meant for
a PostgreSQL database built by seed_scale.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from permanence import proxy
from permanence.models import Child
from tracker import bench, load, machine_speed

TARGET_P99_MS = 500
BENCH_REDIS = "redis://127.0.0.1:6379/3"
LOCUSTFILE = Path(settings.BASE_DIR) / "scripts" / "locustfile.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, seconds: float = 90) -> None:
    """Until `url` answers 200; an error if the server stops first or takes too long."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError("gunicorn stopped before it answered (see its log above)")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise CommandError(f"gunicorn did not answer {url} within {seconds:.0f} s")


def read_stats(prefix: Path) -> tuple[list[dict], list[dict]]:
    """Locust's own figures per page, and its errors."""
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    failures_path = Path(f"{prefix}_failures.csv")
    failures = []
    if failures_path.exists():
        with open(failures_path, encoding="utf-8") as found:
            failures = list(csv.DictReader(found))
    return rows, failures


SIGN_IN_LINES = ("Sign in", "Sign-in form")


def read_timings(path: Path) -> list[tuple[str, float, float]]:
    """Each request locust made: its line's name, when it started (s) and how long it took (ms)."""
    if not path.exists():
        return []
    out = []
    with open(path, encoding="utf-8") as found:
        for line in found:
            name, start, took = line.rstrip("\n").split("\t")
            out.append((name, float(start), float(took)))
    return out


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of them fall (nearest rank, as locust reports)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def split_at_sign_in(timings: list[tuple[str, float, float]]) -> tuple[float, list, list]:
    """The moment the last person had signed in, and the pages' times asked for before it and
    after it."""
    signed_in = [start + took / 1000 for name, start, took in timings if name == "Sign in"]
    if not signed_in:
        return 0.0, [], []
    until = max(signed_in)
    pages = [(start, took) for name, start, took in timings if name not in SIGN_IN_LINES]
    during = [took for start, took in pages if start < until]
    after = [took for start, took in pages if start >= until]
    return until - min(start for _, start, _ in timings), during, after


class Command(BaseCommand):
    help = (
        "N people of every role sign in and walk their pages against gunicorn (4 workers) on a "
        "loopback port for a bounded time; prints p50/p95/p99 per page and errors (PostgreSQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--duration", type=int, default=60, help="Seconds of walking.")
        parser.add_argument(
            "--children",
            type=int,
            default=0,
            help="Build the synthetic authority up to this many children first (seed_scale).",
        )
        parser.add_argument("--workers", type=int, default=4, help="gunicorn's page workers.")
        parser.add_argument(
            "--sign-in-workers", type=int, default=2, help="gunicorn's sign-in workers."
        )
        parser.add_argument(
            "--keep-timings",
            default="",
            help="Copy every request's name, start and milliseconds to this file (tab-separated).",
        )
        parser.add_argument(
            "--direct",
            action="store_true",
            help="One gunicorn for everything, no proxy (sign-in sharing the page workers).",
        )
        parser.add_argument(
            "--think", type=float, default=1.0, help="Seconds a person reads a page, on average."
        )
        parser.add_argument(
            "--spawn-rate", type=float, default=0, help="People signing in a second (N/10)."
        )

    def handle(
        self,
        *args,
        users,
        duration,
        children,
        workers,
        sign_in_workers,
        direct,
        keep_timings,
        think,
        spawn_rate,
        **options,
    ):
        if connection.vendor != "postgresql":
            raise CommandError("The load benchmark runs on PostgreSQL: set DATABASE_URL.")
        have = Child.objects.filter(child_id__startswith=bench.PREFIX).count()
        if children > have:
            self.stdout.write(f"Building the authority up to {children:,} children…")
            call_command("seed_scale", children=children - have, stdout=self.stdout)
            have = children
        self.stdout.write(machine_speed.line())
        password = secrets.token_urlsafe(24)
        walkers = load.prepare(users, password)
        roles = sorted({w.role for w in walkers})
        spawn_rate = spawn_rate or max(1.0, users / 10)
        self.stdout.write(
            f"{users} people ({len(roles)} roles: {', '.join(roles)}) on {have:,} children; "
            + (
                f"one gunicorn with {workers} workers for everything, no proxy; "
                if direct
                else f"nginx in front of gunicorn with {workers} workers for the pages and "
                f"{sign_in_workers} for sign-in; "
            )
            + f"all on loopback; {duration} s of walking, "
            f"{think:g} s reading each page on average; {spawn_rate:g} sign in a second, "
            "their passwords hashed as in production (sign-in is its own line, not a page)."
        )
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
            plan = Path(tmp) / "plan.json"
            plan.write_text(
                json.dumps(
                    {
                        "password": password,
                        "people": [{"username": w.username, "pages": w.pages} for w in walkers],
                    }
                )
            )
            servers = self._direct if direct else self._proxied
            with servers(Path(tmp), workers, sign_in_workers, think, plan) as (host, env, logs):
                rows, failures, timings = self._walk(
                    Path(tmp), host, env, logs, users, duration, spawn_rate
                )
            if keep_timings:
                shutil.copyfile(Path(tmp) / "timings.tsv", keep_timings)
        errors = self._report(rows, failures)
        self._while_signing_in(timings)
        if errors:
            raise CommandError(f"{errors} errors")

    def _environment(self, tmp: Path, plan: Path, think: float) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "permanence.settings.bench",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
            # Production shares a Redis between its web processes (sessions, roles and
            # permissions): so does the benchmark, on the machine's own.
            "REDIS_CACHE_URL": os.environ.get("REDIS_CACHE_URL", BENCH_REDIS),
            "BENCH_LOAD_PLAN": str(plan),
            "BENCH_LOAD_THINK": str(think),
            "BENCH_LOAD_TIMINGS": str(tmp / "timings.tsv"),
        }

    @contextlib.contextmanager
    def _gunicorn(self, env: dict, workers: int, port: int, log_path: Path):
        """gunicorn as production runs it (gunicorn.conf.py), answering on 127.0.0.1:`port`."""
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        with open(log_path, "w", encoding="utf-8") as log:
            server = subprocess.Popen(  # noqa: S603 (our own executables, loopback)
                [gunicorn, "permanence.wsgi", "-c", "gunicorn.conf.py"]
                + ["--workers", str(workers), "--bind", f"127.0.0.1:{port}"],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                try:
                    wait_until_up(f"http://127.0.0.1:{port}/accounts/login/", server)
                except CommandError:
                    self.stderr.write(log_path.read_text()[-3000:])
                    raise
                yield server
            finally:
                proxy.stop(server)

    @contextlib.contextmanager
    def _direct(self, tmp, workers, sign_in_workers, think, plan):
        env = self._environment(tmp, plan, think)
        port = free_port()
        log = tmp / "gunicorn.log"
        with self._gunicorn(env, workers, port, log):
            yield f"http://127.0.0.1:{port}", env, [log]

    @contextlib.contextmanager
    def _proxied(self, tmp, workers, sign_in_workers, think, plan):
        env = self._environment(tmp, plan, think)
        # nginx is the one proxy in front: it adds the address it was sent from.
        env["TRUSTED_PROXY_COUNT"] = "1"
        pages, sign_in, front = free_port(), free_port(), free_port()
        logs = [tmp / "pages.log", tmp / "sign-in.log"]
        with (
            self._gunicorn(env, workers, pages, logs[0]),
            self._gunicorn(env, sign_in_workers, sign_in, logs[1]),
        ):
            try:
                with proxy.running(
                    front, pages=f"127.0.0.1:{pages}", sign_in=f"127.0.0.1:{sign_in}"
                ):
                    yield f"http://127.0.0.1:{front}", env, logs
            except proxy.ProxyError as error:
                raise CommandError(str(error)) from error

    def _walk(self, tmp, host, env, logs, users, duration, spawn_rate):
        prefix = tmp / "locust"
        try:
            walked = subprocess.run(  # noqa: S603 (our own executables, loopback)
                [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
                + ["--users", str(users), "--spawn-rate", f"{spawn_rate:g}"]
                + ["--run-time", f"{duration}s", "--stop-timeout", "10", "--host", host]
                + ["--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                timeout=duration + 180,
                check=False,
            )
            if not Path(f"{prefix}_stats.csv").exists():
                self.stderr.write(walked.stdout[-3000:] + walked.stderr[-3000:])
                raise CommandError("locust wrote no figures")
        except CommandError:
            for log in logs:
                self.stderr.write(log.read_text()[-3000:])
            raise
        rows, failures = read_stats(prefix)
        return rows, failures, read_timings(tmp / "timings.tsv")

    def _while_signing_in(self, timings: list[tuple[str, float, float]]) -> None:
        """Whether signing in (password hashing, slow by design) slows everyone else's pages."""
        seconds, during, after = split_at_sign_in(timings)
        for label, times in (
            (f"Pages while people were signing in (the first {seconds:.0f} s)", during),
            ("Pages after everyone had signed in", after),
        ):
            if times:
                self.stdout.write(
                    f"{label}: {len(times):,} requests, p50 {percentile(times, 0.5):.0f} ms, "
                    f"p95 {percentile(times, 0.95):.0f} ms, p99 {percentile(times, 0.99):.0f} ms."
                )

    def _report(self, rows: list[dict], failures: list[dict]) -> int:
        self.stdout.write(
            f"{'Page':<34}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        )
        pages = [r for r in rows if r["Name"] != "Aggregated"]
        sign_in = [r for r in pages if r["Name"] in ("Sign in", "Sign-in form")]
        walked = sorted((r for r in pages if r not in sign_in), key=lambda r: -float(r["99%"] or 0))
        for row in [*walked, *sign_in]:
            self.stdout.write(
                f"{row['Name'][:33]:<34}{row['Request Count']:>9}{row['Failure Count']:>8}"
                f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
            )
        requests = sum(int(r["Request Count"]) for r in walked)
        errors = sum(int(r["Failure Count"]) for r in pages)
        worst = max((float(r["99%"] or 0) for r in walked), default=0)
        seconds = sum(float(r["Requests/s"] or 0) for r in walked)
        self.stdout.write(
            f"Pages: {requests:,} requests, {seconds:.1f} a second; worst page p99 {worst:.0f} ms "
            f"(target ≤ {TARGET_P99_MS} ms: {'met' if worst <= TARGET_P99_MS else 'NOT met'}); "
            f"{errors} errors (target 0)."
        )
        for failure in failures:
            self.stdout.write(
                f"  error ×{failure['Occurrences']}: {failure['Name']}: {failure['Error']}"
            )
        return errors
