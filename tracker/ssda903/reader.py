"""Read an SSDA903 return (a folder of CSVs, uploaded CSVs, or a zip of them) into its tables.

A table is recognised as the DfE validator recognises it, by its set of column headings; a file
whose headings are nearly right is matched by its name or its closest table, so that the report
can say which column is missing or extra rather than just "unknown file".

Rows are numbered as a spreadsheet numbers them: row 1 holds the headings, row 2 is the first
child's, so an administrator can go straight to the cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from permanence import uploads
from permanence.uploads import Limits, UploadRefused
from tracker.ssda903.tables import TABLES, Table

# A return for a large authority is a few megabytes; the size limits are the upload settings.
MAX_FILES = 50


@dataclass(frozen=True)
class Problem:
    """Why a row (or a file) was rejected, located as an administrator would look for it."""

    file: str
    row: int | None
    column: str | None
    message: str
    child: str = ""
    # The DfE validator's rule the row breaks, when there is one (named in the message too).
    rule: str = ""

    def __post_init__(self) -> None:
        if self.rule and f"DfE rule {self.rule}" not in self.message:
            object.__setattr__(self, "message", f"{self.message} (DfE rule {self.rule})")

    def located(self) -> str:
        """Where it is, as one line: file, row, column and child."""
        where = self.file or "(files)"
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", {self.column}"
        child = f" [{self.child}]" if self.child else ""
        return f"{where}{child}: {self.message}"

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.row or 0, self.column or "", self.message)


@dataclass
class Row:
    file: str
    number: int
    values: dict[str, str]

    @property
    def child_id(self) -> str:
        return self.values.get("CHILD", "")


@dataclass
class TableFile:
    table: Table
    file: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Dataset:
    tables: dict[str, TableFile] = field(default_factory=dict)
    # Problems with a whole file (missing table, wrong columns): nothing is imported.
    problems: list[Problem] = field(default_factory=list)
    # Row-level problems found while reading (a row longer than its headings).
    row_problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def rows(self, table: Table) -> list[Row]:
        found = self.tables.get(table.name)
        return found.rows if found else []


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[^a-z0-9]", "", base.lower())


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets saved as CSV on Windows are often in Windows-1252.
        return content.decode("cp1252", errors="replace")


def expand(files: Iterable[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The CSV files given, with the CSVs inside any zip file taken out of it. A zip is unpacked
    within the upload limits (permanence.uploads); a file that is not text is refused."""
    limits = Limits.from_settings()
    out: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
    total = 0
    for name, content in files:
        try:
            if name.lower().endswith(".zip"):
                for member, data in uploads.zip_members(name, io.BytesIO(content), limits):
                    uploads.check_csv_bytes(f"{name}/{member}", data)
                    total += len(data)
                    out.append((f"{name}/{member}", data))
            elif name.lower().endswith(".csv"):
                uploads.check_csv_bytes(name, content)
                total += len(content)
                out.append((name, content))
            else:
                problems.append(
                    Problem(name, None, None, "This is not a CSV file: save each table as CSV")
                )
        except UploadRefused as exc:
            problems.append(Problem(name, None, None, str(exc)))
    if total > limits.zip_unpacked_bytes:
        problems.append(Problem("", None, None, "The files are too large to import at once"))
    if len(out) > MAX_FILES:
        problems.append(Problem("", None, None, f"Give at most {MAX_FILES} files at once"))
    return out, problems


def _identify(name: str, headings: list[str]) -> Table | None:
    """The table a file holds, or None."""
    heading_set = set(headings)
    for table in TABLES:
        if heading_set == set(table.columns):
            return table
    stem = _stem(name)
    for table in TABLES:
        names = {_stem(table.filename), table.name.lower(), *table.aliases}
        if stem in names:
            return table
    # Nearly right: the table whose distinctive columns (beyond CHILD and DOB) it shares most.
    best, best_share = None, 0.0
    for table in TABLES:
        distinctive = set(table.columns) - {"CHILD", "DOB"}
        share = len(distinctive & heading_set) / len(distinctive)
        if share > best_share:
            best, best_share = table, share
    return best if best_share >= 0.5 else None


def _read_file(name: str, content: bytes, dataset: Dataset) -> None:
    text = _decode(content)
    lines = list(csv.reader(io.StringIO(text)))
    while lines and not any(cell.strip() for cell in lines[-1]):
        lines.pop()
    if not lines:
        dataset.problems.append(Problem(name, None, None, "The file is empty"))
        return
    headings = [h.strip().upper() for h in lines[0]]
    # A spreadsheet sometimes leaves trailing empty columns after the last heading.
    while headings and not headings[-1]:
        headings.pop()
    found = _identify(name, headings)
    if found is None:
        dataset.problems.append(
            Problem(
                name,
                1,
                None,
                "The column headings match none of the SSDA903 tables: "
                + ", ".join(t.name for t in TABLES),
            )
        )
        return
    table = found
    if table.name in dataset.tables:
        dataset.problems.append(
            Problem(
                name,
                None,
                None,
                f"A second {table.name} table: {dataset.tables[table.name].file} already holds it",
            )
        )
        return
    found_problems: list[Problem] = []
    seen = set()
    for heading in headings:
        if heading in seen:
            found_problems.append(Problem(name, 1, heading, "This column appears twice: keep one"))
        seen.add(heading)
    for column in table.columns:
        if column not in seen:
            found_problems.append(
                Problem(
                    name,
                    1,
                    column,
                    f"The {column} column is missing: the DfE {table.name} table has the "
                    f"columns {', '.join(table.columns)}",
                )
            )
    for heading in headings:
        if heading not in table.columns:
            label = heading or "(a column with no heading)"
            found_problems.append(
                Problem(
                    name,
                    1,
                    label,
                    f"{label} is not a column of the DfE {table.name} table: remove it",
                )
            )
    if found_problems and not table.held:
        # The rest of the return does not depend on it: say so rather than stop the import.
        dataset.notices.append(
            f"{name} looks like the {table.name} table, but its columns differ from the DfE's "
            f"({', '.join(table.columns)}): it was not read. The rest of the return was."
        )
        return
    dataset.problems.extend(found_problems)
    table_file = TableFile(table=table, file=name)
    dataset.tables[table.name] = table_file
    if found_problems:
        return
    width = len(headings)
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(headings)}
        extra = [c for c in cells[width:] if c.strip()]
        row = Row(file=name, number=number, values=values)
        if extra:
            dataset.row_problems.append(
                Problem(
                    name,
                    number,
                    None,
                    f"This row has {width + len(extra)} values but the file has {width} columns",
                    child=row.child_id,
                )
            )
        table_file.rows.append(row)


def read_files(files: Iterable[tuple[str, bytes]]) -> Dataset:
    """Read every table given; say what is missing, misshapen or not held by the product."""
    dataset = Dataset()
    csvs, problems = expand(files)
    dataset.problems.extend(problems)
    for name, content in sorted(csvs):
        _read_file(name, content, dataset)
    for table in TABLES:
        if table.required and table.name not in dataset.tables:
            dataset.problems.append(
                Problem(
                    table.filename,
                    None,
                    None,
                    f"There is no {table.name} table: the import needs one, with the columns "
                    f"{', '.join(table.columns)}",
                )
            )
    return dataset
