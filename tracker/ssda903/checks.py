"""Checks on each cell of an SSDA903 import, and how the model fields map to DfE columns.

The cell checks catch what the models cannot see (a date written wrongly never reaches a
DateField; a heading names the column to fix). Everything else about a child and its episodes is
left to the models' own `full_clean`, whose errors `services` maps back to rows and columns with
`CHILD_COLUMNS` and `EPISODE_COLUMNS`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from permanence.models import Code
from tracker.ssda903.reader import Dataset, Problem, Row
from tracker.ssda903.tables import EPISODES, HEADER, REVIEWS, parse_date

CHILD_ID_RE = re.compile(r"^[A-Za-z0-9]{1,10}$")
UPN_RE = re.compile(r"^(((?![IOS])[A-Z])(\d{12}|\d{11}[A-Z])|UN[1-5])$")
POSTCODE_RE = re.compile(r"^[A-Z0-9 ]{2,8}$")
URN_RE = re.compile(r"^[A-Z0-9]{1,8}$")
# Before 2024-25 the DfE coded sex as 1 and 2; a return from then is read as M and F.
OLD_SEX_CODES = {"1": "M", "2": "F"}

# Model field -> DfE column, to put a model's validation error on the right cell.
CHILD_COLUMNS = {
    "child_id": "CHILD",
    "sex": "SEX",
    "date_of_birth": "DOB",
    "ethnicity": "ETHNIC",
    "upn": "UPN",
    "is_mother": "MOTHER",
    "mothers_child_dob": "MC_DOB",
}
EPISODE_COLUMNS = {
    "decom": "DECOM",
    "rne": "RNE",
    "legal_status": "LS",
    "cin": "CIN",
    "place": "PLACE",
    "place_provider": "PLACE_PROVIDER",
    "dec": "DEC",
    "rec": "REC",
    "reason_place_change": "REASON_PLACE_CHANGE",
    "home_post": "HOME_POST",
    "pl_post": "PL_POST",
    "urn": "URN",
}


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str  # text, date, code, sex, flag, upn, postcode, urn, child
    required: bool = False
    code_list: str = ""


HEADER_SPEC = (
    Column("CHILD", "child identifier", "child", required=True),
    Column("SEX", "sex", "sex", required=True),
    Column("DOB", "date of birth", "date", required=True),
    Column("ETHNIC", "ethnicity", "code", code_list=Code.List.ETHNIC),
    Column("UPN", "unique pupil number", "upn"),
    Column("MOTHER", "whether she is a mother", "flag"),
    Column("MC_DOB", "date of birth of her child", "date"),
)
EPISODE_SPEC = (
    Column("CHILD", "child identifier", "child", required=True),
    Column("DECOM", "start date", "date", required=True),
    Column("RNE", "reason for new episode", "code", required=True, code_list=Code.List.RNE),
    Column("LS", "legal status", "code", required=True, code_list=Code.List.LS),
    Column("CIN", "category of need", "code", code_list="CIN"),
    Column("PLACE", "placement type", "code", required=True, code_list=Code.List.PLACE),
    Column("PLACE_PROVIDER", "placement provider", "code", code_list=Code.List.PLACE_PROVIDER),
    Column("DEC", "end date", "date"),
    Column("REC", "reason episode ceased", "code", code_list=Code.List.REC),
    Column(
        "REASON_PLACE_CHANGE",
        "reason for placement change",
        "code",
        code_list=Code.List.REASON_PLACE_CHANGE,
    ),
    Column("HOME_POST", "home postcode", "postcode"),
    Column("PL_POST", "placement postcode", "postcode"),
    Column("URN", "Ofsted URN", "urn"),
)
REVIEW_SPEC = (
    Column("CHILD", "child identifier", "child", required=True),
    Column("DOB", "date of birth", "date", required=True),
    Column("REVIEW", "review date", "date", required=True),
    Column("REVIEW_CODE", "participation code", "code", code_list=Code.List.REVIEW_CODE),
)


def load_codes() -> dict[str, frozenset[str]]:
    """Every SSDA903 code list, read once per import."""
    lists: dict[str, set[str]] = defaultdict(set)
    for list_name, code in Code.objects.values_list("list_name", "code"):
        lists[list_name].add(code)
    return {name: frozenset(codes) for name, codes in lists.items()}


@dataclass
class Checked:
    """A row with its cells converted (dates to dates, codes upper-cased)."""

    row: Row
    values: dict[str, object]


def check_row(
    row: Row, spec: tuple[Column, ...], codes: dict[str, frozenset[str]]
) -> tuple[Checked, list[Problem]]:
    parsed: dict[str, object] = {}
    problems: list[Problem] = []

    def problem(column: Column, message: str) -> None:
        problems.append(Problem(row.file, row.number, column.name, message, child=row.child_id))

    for column in spec:
        raw = row.values.get(column.name, "")
        if not raw:
            if column.required:
                problem(column, f"{column.name} is blank: enter the {column.label}")
            parsed[column.name] = None if column.kind in {"date", "flag"} else ""
            continue
        value = raw.upper() if column.kind != "child" else raw
        if column.kind == "child":
            if not CHILD_ID_RE.match(value):
                problem(
                    column,
                    f"“{raw}” is not a child identifier: use up to 10 letters and numbers, "
                    f"with no spaces",
                )
        elif column.kind == "date":
            try:
                value = parse_date(raw)
            except ValueError as exc:
                problem(column, f"{exc}: write dates as dd/mm/yyyy, for example 27/03/2024")
                value = None
        elif column.kind == "code":
            if value not in codes.get(column.code_list, ()):
                problem(column, f"“{raw}” is not an SSDA903 {column.label} ({column.name}) code")
        elif column.kind == "sex":
            value = OLD_SEX_CODES.get(value, value)
            if value not in {"M", "F", "U"}:
                problem(column, f"“{raw}” is not an SSDA903 sex code: use M, F or U")
        elif column.kind == "flag":
            if value not in {"0", "1"}:
                problem(column, f"“{raw}” is not 1 (yes) or 0 (no)")
                value = None
            else:
                value = value == "1"
        elif column.kind == "upn":
            if not UPN_RE.match(value):
                problem(
                    column,
                    f"“{raw}” is not a unique pupil number: a letter and 12 characters, "
                    f"or UN1 to UN5 when it is not known",
                )
        elif column.kind == "postcode":
            if not POSTCODE_RE.match(value):
                problem(column, f"“{raw}” is not a postcode")
        elif column.kind == "urn" and not URN_RE.match(value):
            problem(column, f"“{raw}” is not an Ofsted URN: up to 8 letters and numbers")
        parsed[column.name] = value
    return Checked(row=row, values=parsed), problems


@dataclass
class ChildRecord:
    """Everything the return says about one child, and what is wrong with it."""

    child_id: str
    header: Checked | None = None
    episodes: list[Checked] = field(default_factory=list)
    reviews: list[Checked] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return (1 if self.header else 0) + len(self.episodes) + len(self.reviews)


def group_by_child(dataset: Dataset, codes: dict[str, frozenset[str]]) -> dict[str, ChildRecord]:
    """Check every row and gather each child's rows, with each child's problems."""
    records: dict[str, ChildRecord] = {}

    def record_for(child_id: str) -> ChildRecord:
        if child_id not in records:
            records[child_id] = ChildRecord(child_id=child_id)
        return records[child_id]

    orphans: list[Problem] = []
    for row_problem in dataset.row_problems:
        if row_problem.child:
            record_for(row_problem.child).problems.append(row_problem)
        else:
            orphans.append(row_problem)

    for table, spec, attr in (
        (HEADER, HEADER_SPEC, "header"),
        (EPISODES, EPISODE_SPEC, "episodes"),
        (REVIEWS, REVIEW_SPEC, "reviews"),
    ):
        for row in dataset.rows(table):
            checked, problems = check_row(row, spec, codes)
            if not row.child_id:
                # A row with no CHILD belongs to no child: it is reported on its own.
                orphans.extend(problems)
                continue
            record = record_for(row.child_id)
            record.problems.extend(problems)
            if attr == "header":
                if record.header is not None:
                    record.problems.append(
                        Problem(
                            row.file,
                            row.number,
                            "CHILD",
                            f"{row.child_id} has a second Header row (the first is row "
                            f"{record.header.row.number}): a child has one",
                            child=row.child_id,
                        )
                    )
                else:
                    record.header = checked
            else:
                getattr(record, attr).append(checked)

    for record in records.values():
        _check_across_rows(record)
    if orphans:
        records[""] = ChildRecord(child_id="", problems=orphans)
    return records


def _check_across_rows(record: ChildRecord) -> None:
    if record.header is None:
        first = (record.episodes or record.reviews)[0].row if record.row_count else None
        if first is not None:
            record.problems.append(
                Problem(
                    first.file,
                    first.number,
                    "CHILD",
                    f"{record.child_id} has no row in the Header table",
                    child=record.child_id,
                )
            )
        return
    starts: dict[dt.date, int] = {}
    for episode in record.episodes:
        decom = episode.values.get("DECOM")
        if decom is None:
            continue
        if decom in starts:
            record.problems.append(
                Problem(
                    episode.row.file,
                    episode.row.number,
                    "DECOM",
                    f"A second episode starting on {decom:%d/%m/%Y} (the first is row "
                    f"{starts[decom]})",
                    child=record.child_id,
                )
            )
        else:
            starts[decom] = episode.row.number
    dob = record.header.values.get("DOB")
    held_on: dict[dt.date, int] = {}
    for review in record.reviews:
        review_dob = review.values.get("DOB")
        if dob and review_dob and review_dob != dob:
            record.problems.append(
                Problem(
                    review.row.file,
                    review.row.number,
                    "DOB",
                    f"The date of birth {review_dob:%d/%m/%Y} differs from the Header's "
                    f"({dob:%d/%m/%Y})",
                    child=record.child_id,
                )
            )
        when = review.values.get("REVIEW")
        if when is None:
            continue
        if when in held_on:
            record.problems.append(
                Problem(
                    review.row.file,
                    review.row.number,
                    "REVIEW",
                    f"A second review on {when:%d/%m/%Y} (the first is row {held_on[when]})",
                    child=record.child_id,
                )
            )
        else:
            held_on[when] = review.row.number
