"""`manage.py bench_exports`: each export timed through the whole stack, against its target."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.tracker.conftest import at
from tracker import services
from tracker.dashboard import scale

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_it_times_each_export_and_says_whether_the_targets_are_met(system):
    scale.seed(30, by=system, today=TODAY, seed=3)
    services.deadlines_sweep(by=system, now=at(TODAY))
    out = StringIO()

    call_command("bench_exports", stdout=out)

    text = out.getvalue()
    lines = {line.split("  ")[0]: line for line in text.splitlines()}
    assert "30 children; bench_hos" in text
    deadlines = lines["export_deadlines (every child)"].split()
    assert int(deadlines[3].replace(",", "")) > 100  # rows: every child's deadlines
    assert "Deadlines CSV (head of service)" in lines
    assert "Tracker CSV (head of service)" in lines
    assert "Every child's deadlines in " in text and "(target ≤ 15 s: met)" in text


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no COPY")
def test_it_asks_for_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_exports")
