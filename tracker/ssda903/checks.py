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
from tracker.ssda903.tables import (
    EPISODES,
    HEADER,
    KEPT_DATES,
    KEPT_TABLES,
    REVIEWS,
    Table,
    parse_date,
)

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
    # The DfE validator's rule for a value that is not valid here (lac_validator/rules).
    rule: str = ""


HEADER_SPEC = (
    Column("CHILD", "child identifier", "child", required=True),
    Column("SEX", "sex", "sex", required=True, code_list=Code.List.SEX, rule="101"),
    Column("DOB", "date of birth", "date", required=True, rule="102"),
    Column("ETHNIC", "ethnicity", "code", code_list=Code.List.ETHNIC, rule="103"),
    Column("UPN", "unique pupil number", "upn", rule="168"),
    Column("MOTHER", "whether she is a mother", "flag"),
    Column("MC_DOB", "date of birth of her child", "date", rule="171"),
)
EPISODE_SPEC = (
    Column("CHILD", "child identifier", "child", required=True),
    Column("DECOM", "start date", "date", required=True, rule="141"),
    Column(
        "RNE", "reason for new episode", "code", required=True, code_list=Code.List.RNE, rule="143"
    ),
    Column("LS", "legal status", "code", required=True, code_list=Code.List.LS, rule="144"),
    Column("CIN", "category of need", "code", code_list="CIN", rule="145"),
    Column("PLACE", "placement type", "code", required=True, code_list=Code.List.PLACE, rule="146"),
    Column(
        "PLACE_PROVIDER",
        "placement provider",
        "code",
        code_list=Code.List.PLACE_PROVIDER,
        rule="178",
    ),
    Column("DEC", "end date", "date", rule="147"),
    Column("REC", "reason episode ceased", "code", code_list=Code.List.REC, rule="149"),
    Column(
        "REASON_PLACE_CHANGE",
        "reason for placement change",
        "code",
        code_list=Code.List.REASON_PLACE_CHANGE,
        rule="1009",
    ),
    Column("HOME_POST", "home postcode", "postcode", rule="392c"),
    Column("PL_POST", "placement postcode", "postcode", rule="392c"),
    Column("URN", "Ofsted URN", "urn", rule="1008"),
)
REVIEW_SPEC = (
    Column("CHILD", "child identifier", "child", required=True),
    Column("DOB", "date of birth", "date", required=True),
    Column("REVIEW", "review date", "date", required=True, rule="166"),
    Column(
        "REVIEW_CODE", "participation code", "code", code_list=Code.List.REVIEW_CODE, rule="167"
    ),
)


@dataclass(frozen=True)
class CodeLists:
    """Every SSDA903 code list, and the collection years each code is accepted in."""

    # list name -> code -> (first year accepted or None, first year no longer accepted or None)
    years: dict[str, dict[str, tuple[int | None, int | None]]]

    def known(self, list_name: str, code: str) -> bool:
        return code in self.years.get(list_name, {})

    def valid_in(self, list_name: str, code: str, year: int) -> bool:
        introduced, retired = self.years.get(list_name, {}).get(code, (None, None))
        return (introduced is None or year >= introduced) and (retired is None or year < retired)

    def accepted_years(self, list_name: str, code: str) -> str:
        introduced, retired = self.years.get(list_name, {}).get(code, (None, None))
        if introduced and retired:
            return f"from {_label(introduced)} to {_label(retired - 1)}"
        if introduced:
            return f"from {_label(introduced)}"
        if retired:
            return f"up to {_label(retired - 1)}"
        return "in every year"

    def get(self, list_name: str, default=()):
        """The codes of one list (every year's)."""
        return frozenset(self.years.get(list_name, {})) or default


def _label(end_year: int) -> str:
    return f"{end_year - 1}-{str(end_year)[2:]}"


def load_codes() -> CodeLists:
    """Every SSDA903 code list with its years, read once per import."""
    lists: dict[str, dict[str, tuple[int | None, int | None]]] = defaultdict(dict)
    for list_name, code, introduced, retired in Code.objects.values_list(
        "list_name", "code", "introduced_in", "retired_from"
    ):
        lists[list_name][code] = (introduced, retired)
    return CodeLists(years=dict(lists))


@dataclass
class Checked:
    """A row with its cells converted (dates to dates, codes upper-cased)."""

    row: Row
    values: dict[str, object]


def _check_code(row, column, value, codes, year, warnings, problem) -> None:
    if not codes.known(column.code_list, value):
        problem(column, f"“{value}” is not an SSDA903 {column.label} ({column.name}) code")
    else:
        _warn_if_not_in_year(row, column, value, codes, year, warnings)


def _warn_if_not_in_year(row, column, value, codes, year, warnings, imported_as="") -> None:
    """A code the DfE accepts in other collection years than the return's: kept, with a warning
    naming the DfE rule that refuses it in this year."""
    if year and warnings is not None and not codes.valid_in(column.code_list, value, year):
        done = f"it was imported as {imported_as}" if imported_as else "it was imported as it is"
        warnings.append(
            Problem(
                row.file,
                row.number,
                column.name,
                f"“{value}” is a {column.label} code the DfE accepts "
                f"{codes.accepted_years(column.code_list, value)}, not in "
                f"{_label(year)}: {done}",
                child=row.child_id,
                rule=column.rule,
            )
        )


def check_row(
    row: Row,
    spec: tuple[Column, ...],
    codes: CodeLists,
    *,
    year: int | None = None,
    warnings: list[Problem] | None = None,
) -> tuple[Checked, list[Problem]]:
    """Convert and check each cell. A code the DfE accepts in some years but not in the return's
    year is kept, with a warning; a code it never accepts is a problem."""
    parsed: dict[str, object] = {}
    problems: list[Problem] = []

    def problem(column: Column, message: str) -> None:
        problems.append(
            Problem(
                row.file, row.number, column.name, message, child=row.child_id, rule=column.rule
            )
        )

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
            _check_code(row, column, value, codes, year, warnings, problem)
        elif column.kind == "sex":
            letter = OLD_SEX_CODES.get(value, value)
            if letter not in {"M", "F", "U"}:
                problem(column, f"“{raw}” is not an SSDA903 sex code: use M, F or U")
            else:
                shown = letter if letter != value else ""
                _warn_if_not_in_year(row, column, value, codes, year, warnings, shown)
            value = letter
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
    # What the DfE would accept but an administrator should know: imported all the same.
    warnings: list[Problem] = field(default_factory=list)
    # Rows of the tables kept as given (OC2, Missing, ...): (table, key, values without CHILD).
    kept: list[tuple[Table, str, dict[str, str]]] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return (1 if self.header else 0) + len(self.episodes) + len(self.reviews)


def group_by_child(
    dataset: Dataset, codes: CodeLists, *, year: int | None = None
) -> dict[str, ChildRecord]:
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
            warnings: list[Problem] = []
            checked, problems = check_row(row, spec, codes, year=year, warnings=warnings)
            if not row.child_id:
                # A row with no CHILD belongs to no child: it is reported on its own.
                orphans.extend(problems)
                continue
            record = record_for(row.child_id)
            record.problems.extend(problems)
            record.warnings.extend(warnings)
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
                            rule="INT32",
                        )
                    )
                else:
                    record.header = checked
            else:
                getattr(record, attr).append(checked)

    for record in records.values():
        _check_across_rows(record)
    for table in KEPT_TABLES:
        _keep_rows(table, dataset.rows(table), records, orphans, codes=codes, year=year)
    if orphans:
        records[""] = ChildRecord(child_id="", problems=orphans)
    return records


def _reviews_file(record: ChildRecord) -> str:
    return record.reviews[0].row.file if record.reviews and not record.episodes else ""


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
                    rule="INT08" if first.file == _reviews_file(record) else "INT03",
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
                    rule="501",
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
                    rule="INT17",
                )
            )
        when = review.values.get("REVIEW")
        if when is None:
            continue
        if when in held_on:
            # No DfE rule forbids it (a review reconvened the same day): both are kept.
            record.warnings.append(
                Problem(
                    review.row.file,
                    review.row.number,
                    "REVIEW",
                    f"A second review on {when:%d/%m/%Y} (the first is row {held_on[when]}): "
                    f"both were imported",
                    child=record.child_id,
                )
            )
        else:
            held_on[when] = review.row.number


# The DfE validator's internal checks on the kept tables: the child is not in the Header; the
# date of birth differs from the Header's; the child has a second row in a one-row table.
NOT_IN_HEADER = {
    "AD1": "INT01",
    "PlacedAdoption": "INT02",
    "Missing": "INT04",
    "OC2": "INT05",
    "OC3": "INT06",
    "PrevPerm": "INT07",
    "UASC": "INT09",
}
OTHER_DOB = {
    "AD1": "INT11",
    "PlacedAdoption": "INT12",
    "Missing": "INT13",
    "OC2": "INT14",
    "OC3": "INT15",
    "PrevPerm": "INT16",
    "UASC": "INT18",
}
SECOND_ROW = {"AD1": "INT31", "OC2": "INT33", "OC3": "INT34", "PrevPerm": "INT35", "UASC": "INT36"}


# Coded columns of the kept tables checked against their code lists, with the DfE rule.
KEPT_CODES = (
    Column(
        "SW_REASON",
        "reason for a change of social worker",
        "code",
        code_list="SW_REASON",
        rule="SW13STG1",
    ),
    Column(
        "REASON_PLACED_CEASED",
        "reason a child is no longer to be placed for adoption",
        "code",
        code_list="REASON_PLACED_CEASED",
        rule="120",
    ),
)


def _kept_codes_bad(table, row, record, codes, year, problem) -> bool:
    """An unknown code leaves the row out; one the DfE accepts in other years is a warning."""
    bad = False
    for column in KEPT_CODES:
        value = row.values.get(column.name, "").upper() if column.name in table.columns else ""
        if not value or codes is None or not codes.get(column.code_list):
            continue
        if not codes.known(column.code_list, value):
            problem(
                column.name,
                f"“{value}” is not an SSDA903 {column.label} ({column.name}) code: this row was "
                f"not imported",
                column.rule,
            )
            bad = True
        else:
            _warn_if_not_in_year(row, column, value, codes, year, record.warnings)
    return bad


def _keep_rows(
    table: Table,
    rows,
    records: dict[str, ChildRecord],
    orphans: list[Problem],
    *,
    codes: CodeLists | None = None,
    year: int | None = None,
):
    """Check the rows of a table kept as given. A row with a problem is left out on its own (and
    reported): nothing else of the child depends on it."""
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        child_id = row.child_id

        def problem(column, message, rule="", row=row, child_id=child_id):
            orphans.append(Problem(row.file, row.number, column, message, child_id, rule))

        record = records.get(child_id)
        if not child_id or record is None or record.header is None:
            problem(
                "CHILD",
                f"{child_id or 'This row'} has no row in the Header table: this row was not "
                f"imported",
                NOT_IN_HEADER.get(table.name, ""),
            )
            continue
        bad = False
        for column in KEPT_DATES & set(table.columns):
            raw = row.values.get(column, "")
            if raw:
                try:
                    parse_date(raw)
                except ValueError as exc:
                    problem(
                        column,
                        f"{exc}: write dates as dd/mm/yyyy, for example 27/03/2024; this row "
                        f"was not imported",
                    )
                    bad = True
        bad = _kept_codes_bad(table, row, record, codes, year, problem) or bad
        dob = record.header.values.get("DOB")
        if not bad and dob and row.values.get("DOB") and parse_date(row.values["DOB"]) != dob:
            problem(
                "DOB",
                f"The date of birth {row.values['DOB']} differs from the Header's "
                f"({dob:%d/%m/%Y}): this row was not imported",
                OTHER_DOB.get(table.name, ""),
            )
            bad = True
        key = "|".join(row.values.get(column, "") for column in table.key)
        if not bad and (child_id, key) in seen:
            problem(
                "CHILD",
                f"A second {table.name} row for {child_id}"
                + (f" with the same {', '.join(table.key)}" if table.key else "")
                + f" (the first is row {seen[(child_id, key)]}): this row was not imported",
                SECOND_ROW.get(table.name, ""),
            )
            bad = True
        if bad:
            continue
        seen[(child_id, key)] = row.number
        values = {c: row.values.get(c, "") for c in table.columns if c not in {"CHILD", "DOB"}}
        record.kept.append((table, key, values))
