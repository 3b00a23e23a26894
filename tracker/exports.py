"""Writing the deadlines export (columns in the README; keep them stable)."""

from __future__ import annotations

import csv
from collections.abc import Iterable


def write_csv(target, columns: Iterable[str], rows: Iterable[tuple]) -> int:
    """Write the header and rows to TARGET (anything with write()); returns the row count."""
    writer = csv.writer(target)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
