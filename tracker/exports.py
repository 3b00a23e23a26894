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
