"""How fast an SSDA903 return imports (issue 18), beside PostgreSQL COPY of the same rows.

Builds a synthetic return (tracker.ssda903.bench: several years of episodes and reviews per
child), imports it as the import_ssda903 command would, counts the queries, then loads the very
same CSV bytes into bare tables with COPY: the floor no import that checks anything can beat.
Everything is rolled back afterwards, so it can run against any database.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from permanence.models import Service, Team
from permanence.services import system_user
from tracker.ssda903.bench import synthetic_return
from tracker.ssda903.services import ssda903_import
from tracker.ssda903.tables import TABLES_BY_NAME, CollectionYear


class _Rollback(Exception):
    pass


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _copy_seconds(files: list[tuple[str, bytes]]) -> float:
    """Load each CSV into a bare table of text columns with COPY, in a rolled-back transaction."""
    by_file = {t.filename: t for t in TABLES_BY_NAME.values()}
    seconds = 0.0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for name, content in files:
                table = by_file[name]
                target = f"bench_copy_{table.name.lower()}"
                columns = ", ".join(f'"{c}" text' for c in table.columns)
                cursor.execute(f"CREATE TEMP TABLE {target} ({columns}) ON COMMIT DROP")
                started = time.perf_counter()
                with cursor.cursor.copy(
                    f"COPY {target} FROM STDIN WITH (FORMAT csv, HEADER true)"
                ) as copy:
                    copy.write(content)
                seconds += time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return seconds


class Command(BaseCommand):
    help = (
        "Time the SSDA903 import of a synthetic return of N children (several years of episodes "
        "and reviews each) and, on PostgreSQL, COPY of the same rows; nothing is kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--children", type=int, default=10_000)
        parser.add_argument(
            "--year",
            type=int,
            help="Collection year the return is for (the year it ends); default: the last one "
            "that has ended",
        )

    def handle(self, *args, children: int, year: int | None, **options):
        if children < 1:
            raise CommandError("--children must be at least 1")
        today = timezone.localdate()
        collection = CollectionYear(year or CollectionYear.containing(today).end_year - 1)
        if collection.end > today:
            raise CommandError("Choose a collection year that has ended")
        files, counts = synthetic_return(children=children, year=collection)
        out = self.stdout
        out.write(
            f"Synthetic return for {collection.label}: {counts['children']} children, "
            f"{counts['episodes']} episodes, {counts['reviews']} reviews "
            f"({sum(len(c) for _, c in files) / 1_000_000:.1f} MB) on {connection.vendor}"
        )
        counter = _Counter()
        try:
            with transaction.atomic():
                team = Team.objects.first()
                if team is None:
                    service = Service.objects.first() or Service.objects.create(name="Benchmark")
                    team = Team.objects.create(name="Benchmark", service=service)
                by = system_user()
                started = time.perf_counter()
                with connection.execute_wrapper(counter):
                    report = ssda903_import(files=files, by=by, team=team, year=collection.end_year)
                seconds = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        if report.problems:
            for problem in report.sorted_problems()[:10]:
                self.stderr.write(problem.located())
            raise CommandError(f"{len(report.rejected)} children were refused: see above")
        rate = counts["children"] / seconds
        out.write(
            f"Import: {seconds:.2f} s, {rate:,.0f} children a second, "
            f"{seconds / counts['children'] * 1000:.2f} s per thousand, "
            f"{counter.count} queries ({counter.count / counts['children']:.2f} a child)"
        )
        if connection.vendor == "postgresql":
            copy = _copy_seconds(files)
            out.write(
                f"COPY of the same rows: {copy:.2f} s "
                f"({counts['children'] / copy:,.0f} children a second); the import takes "
                f"{seconds / copy:.0f} times as long"
            )
        else:
            out.write("COPY is PostgreSQL's: run against PostgreSQL (DATABASE_URL) to compare")
