"""The deadlines and tracker exports stream in pieces of rows, never a write per row, with the
same text as the whole file written at once, and a query count that does not grow with the
number of children (issue 19)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permanence.models import User
from tests.tracker.conftest import at
from tracker import services
from tracker.dashboard import scale
from tracker.exports import csv_chunks, write_csv
from tracker.selectors import EXPORT_COLUMNS, export_rows

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)


def _seed(system, n: int, seed: int) -> User:
    scale.seed(n, by=system, today=TODAY, seed=seed)
    services.deadlines_sweep(by=system, now=at(TODAY))
    return User.objects.get(username="bench_hos")


def _download(client, url: str) -> tuple[str, int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        assert response.streaming
        pieces = list(response.streaming_content)
    return b"".join(pieces).decode(), len(pieces), len(queries)


def test_the_streamed_csv_is_the_whole_file_in_pieces(system):
    manager = _seed(system, 40, seed=5)
    whole = io.StringIO()
    count = write_csv(whole, EXPORT_COLUMNS, export_rows(user=manager))
    assert count > 200
    pieces = list(csv_chunks(EXPORT_COLUMNS, export_rows(user=manager), chunk_rows=50))
    assert "".join(pieces) == whole.getvalue()
    # A piece per fifty rows, not a write per row.
    assert len(pieces) == count // 50 + 1


def test_the_deadline_export_reads_as_many_queries_for_more_children(system, client):
    manager = _seed(system, 20, seed=7)
    client.force_login(manager)
    url = reverse("tracker:deadline-export")
    _download(client, url)  # the first request after signing in also saves the session
    small, _, small_queries = _download(client, url)
    _seed(system, 60, seed=8)
    large, pieces, large_queries = _download(client, url)
    assert large.count("\n") > small.count("\n") * 2
    assert large_queries == small_queries
    whole = io.StringIO()
    write_csv(whole, EXPORT_COLUMNS, export_rows(user=manager))
    assert large == whole.getvalue()
    # Pieces of many rows (the header apart when PostgreSQL writes the file), not one per row.
    assert pieces <= large.count("\n") // 500 + 2


def test_the_tracker_export_reads_as_many_queries_for_more_children(system, client):
    manager = _seed(system, 20, seed=9)
    client.force_login(manager)
    url = reverse("tracker:dashboard-export")
    _download(client, url)  # the first request after signing in also saves the session
    small, _, small_queries = _download(client, url)
    _seed(system, 60, seed=10)
    large, _, large_queries = _download(client, url)
    assert large.count("\n") > small.count("\n") * 2
    assert large_queries == small_queries
