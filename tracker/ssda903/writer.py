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
from tracker.ssda903 import reviews_link
from tracker.ssda903.tables import EPISODES, HEADER, REVIEWS, CollectionYear, Table, format_date

Rows = list[dict[str, str]]


def _mother(value: bool | None) -> str:
    return {True: "1", False: "0"}.get(value, "")


def header_row(child: Child) -> dict[str, str]:
    return {
        "CHILD": child.child_id,
        "SEX": child.sex,
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


def build_tables(*, year: CollectionYear) -> dict[Table, Rows]:
    """The Header, Episodes and Reviews tables for the year, sorted by child and date."""
    episodes = list(episodes_in_year(year))
    children: dict[int, Child] = {}
    for episode in episodes:
        children.setdefault(episode.child_id, episode.child)
    header = [header_row(c) for c in sorted(children.values(), key=lambda c: c.child_id)]
    return {
        HEADER: header,
        EPISODES: [episode_row(e, year=year) for e in episodes],
        REVIEWS: reviews_link.review_rows(year=year, children=children),
    }


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
