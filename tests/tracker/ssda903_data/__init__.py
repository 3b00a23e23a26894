"""Small hand-made SSDA903 returns, and helpers the SSDA903 tests share.

good/ is a valid return for the 2025-26 collection year (ending 31 March 2026): three children,
four episodes, two reviews, and one row each of PlacedAdoption and SWEpisodes.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

GOOD = Path(__file__).parent / "good"
GOOD_YEAR = 2026


def files_in(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.suffix == ".csv"]


def copy_good(tmp_path: Path, *, without: tuple[str, ...] = ()) -> Path:
    folder = tmp_path / "return"
    shutil.copytree(GOOD, folder, ignore=shutil.ignore_patterns("__*", *without))
    return folder


def read_table(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_table(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> None:
    columns = columns or list(rows[0])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(folder: Path, filename: str, row: int, column: str, value: str) -> None:
    """Change one cell; `row` is the spreadsheet row (2 is the first under the headings)."""
    path = folder / filename
    rows = read_table(path)
    rows[row - 2][column] = value
    write_table(path, rows)
