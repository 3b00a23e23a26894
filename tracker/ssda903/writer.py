"""Build the SSDA903 tables for a collection year from the product's own records, and write them.

What goes in (DfE SSDA903 guidance): every child looked after at any time in the year; each
episode open at any time in the year; the reviews held in the year. The return is a picture as at
31 March, so an episode that ended after the year end is shown open (no DEC, REC or reason for a
placement change), as it was on that day.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from django.db.models import Q

from permanence.models import Child, Episode
from tracker.exports import neutralise
from tracker.ssda903 import reviews_link, sw_episodes
from tracker.ssda903.models import ReturnRow
from tracker.ssda903.tables import (
    EPISODES,
    HEADER,
    KEPT_TABLES,
    REVIEWS,
    SW_EPISODES,
    CollectionYear,
    Table,
    format_date,
)

Rows = list[dict[str, str]]


def _mother(value: bool | None) -> str:
    return {True: "1", False: "0"}.get(value, "")


# Before 2024-25 the DfE coded sex as 1 (male) and 2 (female), with no code for "not known".
FIRST_YEAR_OF_LETTERS = 2025
OLD_SEX_CODES = {"M": "1", "F": "2"}


def sex_code(sex: str, year: CollectionYear | None) -> str:
    if year is not None and year.end_year < FIRST_YEAR_OF_LETTERS:
        return OLD_SEX_CODES.get(sex, "")
    return sex


def header_row(child: Child, year: CollectionYear | None = None) -> dict[str, str]:
    return {
        "CHILD": child.child_id,
        "SEX": sex_code(child.sex, year),
        "DOB": format_date(child.date_of_birth),
        "ETHNIC": child.ethnicity,
        "UPN": child.upn,
        "MOTHER": _mother(child.is_mother),
        "MC_DOB": format_date(child.mothers_child_dob),
    }


def episode_row(episode: Episode, *, year: CollectionYear) -> dict[str, str]:
    ended_in_year = episode.dec is not None and episode.dec <= year.end
    return {
        "CHILD": episode.child.child_id,
        "DECOM": format_date(episode.decom),
        "RNE": episode.rne,
        "LS": episode.legal_status,
        "CIN": episode.cin,
        "PLACE": episode.place,
        "PLACE_PROVIDER": episode.place_provider,
        "DEC": format_date(episode.dec) if ended_in_year else "",
        "REC": episode.rec if ended_in_year else "",
        "REASON_PLACE_CHANGE": episode.reason_place_change if ended_in_year else "",
        "HOME_POST": episode.home_post,
        "PL_POST": episode.pl_post,
        "URN": episode.urn,
    }


def episodes_in_year(year: CollectionYear):
    """Every episode open at any time between 1 April and 31 March."""
    return (
        Episode.objects.filter(decom__lte=year.end)
        .filter(Q(dec__isnull=True) | Q(dec__gte=year.start))
        .select_related("child")
        .order_by("child__child_id", "decom")
    )


def kept_rows(year: CollectionYear) -> dict[Table, list[ReturnRow]]:
    """The rows of the tables kept as the returns gave them (OC2, Missing, ...) for the year."""
    found: dict[Table, list[ReturnRow]] = {}
    by_name = {t.name: t for t in KEPT_TABLES}
    rows = (
        ReturnRow.objects.filter(year=year.end_year)
        .select_related("child")
        .order_by("child__child_id", "pk")
    )
    for row in rows:
        table = by_name.get(row.table)
        if table is not None:
            found.setdefault(table, []).append(row)
    return found


def kept_row(table: Table, row: ReturnRow) -> dict[str, str]:
    values = {"CHILD": row.child.child_id, "DOB": format_date(row.child.date_of_birth)}
    return {c: values[c] if c in values else row.values.get(c, "") for c in table.columns}


def build_tables(*, year: CollectionYear) -> dict[Table, Rows]:
    """Every table of the return for the year, sorted by child and date: Header, Episodes and
    Reviews from the service's own records; the other tables from the rows the returns gave,
    each written when the year has any."""
    episodes = list(episodes_in_year(year))
    children: dict[int, Child] = {}
    for episode in episodes:
        children.setdefault(episode.child_id, episode.child)
    kept = kept_rows(year)
    # A child in any table is in the Header (a care leaver in OC3 may have no episode).
    for rows in kept.values():
        for row in rows:
            children.setdefault(row.child_id, row.child)
    header = [header_row(c, year) for c in sorted(children.values(), key=lambda c: c.child_id)]
    tables = {
        HEADER: header,
        EPISODES: [episode_row(e, year=year) for e in episodes],
        REVIEWS: reviews_link.review_rows(year=year, children=children),
    }
    for table in KEPT_TABLES:
        if table in kept:
            tables[table] = [kept_row(table, row) for row in kept[table]]
    if year.end_year >= sw_episodes.FIRST_SW_YEAR:
        # From each looked-after child's allocation history, after the rows imported before it.
        looked_after = list({e.child_id: e.child for e in episodes}.values())
        rows = sw_episodes.rows_for_year(year, looked_after, tables.get(SW_EPISODES, []))
        if rows:
            tables[SW_EPISODES] = rows
    return tables


def table_csv(table: Table, rows: Rows) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.columns, lineterminator="\r\n")
    writer.writeheader()
    # Valid SSDA903 values (codes, identifiers, dd/mm/yyyy dates, postcode districts) never begin
    # with a formula character, so a valid return is written byte for byte as before; a value
    # typed into a free-text field such as a postcode cannot become a spreadsheet formula.
    writer.writerows({column: neutralise(value) for column, value in row.items()} for row in rows)
    return out.getvalue()


def write_folder(tables: dict[Table, Rows], folder: Path) -> list[Path]:
    """One CSV per table, named as the DfE tool names them (header.csv, episodes.csv, ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table, rows in tables.items():
        path = folder / table.filename
        path.write_text(table_csv(table, rows), encoding="utf-8", newline="")
        written.append(path)
    return written


def zip_bytes(tables: dict[Table, Rows]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, rows in tables.items():
            archive.writestr(table.filename, table_csv(table, rows))
    return buffer.getvalue()
