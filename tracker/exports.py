"""Writing CSV the service hands out (the deadlines and dashboard exports; columns in the README).

Every CSV writer goes through `csv_writer`, which neutralises spreadsheet formulas: a cell whose
text begins with = + - @ (or a tab or carriage return, which some spreadsheets skip before
looking for one) would be run as a formula when the file is opened in Excel or LibreOffice, so
such a cell is written with a leading apostrophe, which spreadsheets show as plain text (OWASP
"CSV injection"). Only text is changed: numbers, dates and booleans the service writes are
values, never formulas, so a count of -3 stays -3. Text that merely looks like a negative number
("-3") is neutralised as well, as OWASP advises, because a name or free-text field could hold
"-2+3+cmd|..." just as easily.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Case, CharField, F, Func, Q, Value, When
from django.db.models.functions import Cast, Concat, NullIf
from django.db.models.lookups import StartsWith

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows per piece a streamed export hands the server: a write per row costs more than the row
# (issue 19), a piece of 2,000 rows is about 150 kB.
CHUNK_ROWS = 2000


def neutralise(value: Any) -> Any:
    """The value, with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    """csv.writer's writerow/writerows, each cell neutralised first."""

    def __init__(self, target, **options) -> None:
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([neutralise(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(target, **options) -> _SafeWriter:
    """A csv.writer for TARGET (anything with write()) that neutralises formulas."""
    return _SafeWriter(target, **options)


class Echo:
    """A file-like object that hands back what is written, for streaming CSV responses."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(
    columns: Iterable[str], rows: Iterable[tuple], chunk_rows: int = CHUNK_ROWS
) -> Iterator[str]:
    """The CSV text of the header and ROWS, in pieces of CHUNK_ROWS rows: for a
    StreamingHttpResponse, so memory stays flat however long the export and the server sends a
    piece at a time. The same text `write_csv` writes."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(columns)
    iterator = iter(rows)
    while True:
        batch = list(islice(iterator, chunk_rows))
        writer.writerows(batch)
        text = buffer.getvalue()
        if text:
            yield text
        if len(batch) < chunk_rows:
            return
        buffer.seek(0)
        buffer.truncate()


def write_csv(target, columns: Iterable[str], rows: Iterable[tuple]) -> int:
    """Write the header and rows to TARGET (anything with write()); returns the row count."""
    writer = csv_writer(target)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


# -- written by PostgreSQL itself ----------------------------------------------------------------
#
# A large export (the deadlines of 100,000 children: two million rows) is written by PostgreSQL
# (COPY … TO STDOUT in CSV): the database sends the file's text, and Python only passes it on,
# so it streams at the speed the database reads. The query's columns are already the file's text
# (`as_text`, `neutralised`, `yes_no`), so the same query read row by row through csv_chunks,
# as SQLite must, gives the same file.

# Bytes per piece handed to the server from a COPY: about what CHUNK_ROWS rows make.
COPY_PIECE_BYTES = 256 * 1024


def as_text(expression) -> Func:
    """A column as the file's text: empty text as no value (csv.writer writes both alike; COPY
    would quote the empty text)."""
    expression = F(expression) if isinstance(expression, str) else expression
    return NullIf(Cast(expression, CharField()), Value(""))


def iso_date(expression) -> Func:
    """A date as YYYY-MM-DD (what date.isoformat() writes)."""
    expression = F(expression) if isinstance(expression, str) else expression
    return Cast(expression, CharField())


def yes_no(condition: Q) -> Case:
    return Case(When(condition, then=Value("yes")), default=Value("no"), output_field=CharField())


def neutralised(expression) -> Case:
    """Text a spreadsheet would run as a formula, with a leading apostrophe, in SQL: the same
    rule as `neutralise`, for a query whose columns are the file's text."""
    expression = F(expression) if isinstance(expression, str) else expression
    return Case(
        *(
            When(StartsWith(expression, Value(start)), then=Concat(Value("'"), expression))
            for start in FORMULA_STARTS
        ),
        default=as_text(expression),
        output_field=CharField(),
    )


def copy_chunks(columns: Iterable[str], queryset) -> Iterator[bytes]:
    """The CSV text of the header and QUERYSET's rows (a values_list whose columns are already
    text), written by PostgreSQL, in pieces of about COPY_PIECE_BYTES. The same text csv_chunks
    writes for the same rows: CRLF line ends, empty text unquoted."""
    header = io.StringIO()
    csv_writer(header).writerow(columns)
    yield header.getvalue().encode()
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # nobody's children (a reader who may see none): the header alone
        return
    connection = connections[queryset.db]
    piece = bytearray()
    statement = f"COPY ({sql}) TO STDOUT (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for block in copy:
            piece += block
            if len(piece) >= COPY_PIECE_BYTES:
                yield bytes(piece).replace(b"\n", b"\r\n")
                piece.clear()
    if piece:
        yield bytes(piece).replace(b"\n", b"\r\n")


def stream_csv(columns: Iterable[str], queryset) -> Iterator[bytes]:
    """The CSV of QUERYSET (columns already the file's text) in pieces: written by PostgreSQL
    where the service runs on it, else row by row through csv_chunks (SQLite, in development)."""
    if connections[queryset.db].vendor == "postgresql":
        yield from copy_chunks(columns, queryset)
        return
    for piece in csv_chunks(columns, queryset.iterator(chunk_size=CHUNK_ROWS)):
        yield piece.encode()
