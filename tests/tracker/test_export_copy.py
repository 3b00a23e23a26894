"""Large exports written by PostgreSQL (COPY … TO STDOUT, tracker/exports.py): the same file as
the rows written one by one through csv.writer, formulas neutralised, in pieces."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q

from permanence.models import Child
from tests.factories.permanence import ChildFactory
from tracker import exports
from tracker.exports import as_text, copy_chunks, csv_chunks, iso_date, neutralised, yes_no

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

COLUMNS = ("child_id", "first_name", "unborn", "date_of_birth", "ethnicity")


def _rows():
    return (
        Child.objects.order_by("pk")
        .annotate(
            a=neutralised("child_id"),
            b=neutralised("first_name"),
            c=yes_no(Q(date_of_birth__isnull=True)),
            d=iso_date("date_of_birth"),
            e=as_text("ethnicity"),
        )
        .values_list("a", "b", "c", "d", "e")
    )


@pytest.fixture
def awkward_children():
    ChildFactory(child_id="=SUM(A1)", first_name="Ann")
    ChildFactory(
        child_id="-3",
        first_name="+Bo",
        date_of_birth=None,
        expected_date_of_birth=dt.date(2027, 1, 5),
    )
    ChildFactory(child_id="@SUM", first_name='Ca "Cee", Jr', ethnicity="")
    ChildFactory(child_id="C1", first_name="\tDee")
    ChildFactory(child_id="C2", first_name="Ève Zoë")


def test_postgresql_writes_the_file_csv_writer_writes(awkward_children):
    by_python = "".join(csv_chunks(COLUMNS, _rows().iterator()))
    by_postgresql = b"".join(copy_chunks(COLUMNS, _rows())).decode()

    assert by_postgresql == by_python
    lines = by_postgresql.split("\r\n")
    assert lines[0] == ",".join(COLUMNS)
    assert lines[1].startswith("'=SUM(A1),Ann,no,")
    assert lines[2].startswith("'-3,'+Bo,yes,,")
    assert lines[3].startswith('\'@SUM,"Ca ""Cee"", Jr",no,') and lines[3].endswith(",")
    assert lines[5].startswith("C2,Ève Zoë,no,")


def test_it_hands_the_file_over_in_pieces_not_a_row_at_a_time(awkward_children, monkeypatch):
    for n in range(200):
        ChildFactory(child_id=f"X{n:04d}")
    monkeypatch.setattr(exports, "COPY_PIECE_BYTES", 2000)

    pieces = list(copy_chunks(COLUMNS, _rows()))

    # The header, then pieces of many rows each (about 35 bytes a row), not one per row.
    assert 4 <= len(pieces) <= 6
    assert all(len(piece) >= 2000 for piece in pieces[1:-1])
    assert b"".join(pieces).count(b"\r\n") == Child.objects.count() + 1


def test_a_reader_with_no_children_gets_the_header_alone(awkward_children):
    nothing = _rows().none()

    assert b"".join(copy_chunks(COLUMNS, nothing)) == b"".join(
        piece.encode() for piece in csv_chunks(COLUMNS, nothing.iterator())
    )
    assert b"".join(copy_chunks(COLUMNS, nothing)) == (",".join(COLUMNS) + "\r\n").encode()
