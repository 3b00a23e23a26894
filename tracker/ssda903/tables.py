"""The DfE SSDA903 CSV layout: the tables, their columns, and how dates are written.

The column lists are the DfE's (the same as `lac_validator/config.py` in csc-validator-be-903):
the validator recognises a table by its exact set of headings, so an export must use them to the
letter and an import refuses a file whose headings differ.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DATE_FORMAT = "%d/%m/%Y"
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    filename: str
    # Required in an import; the others are read when present.
    required: bool = False
    # Whether the product holds this table's facts in its own records (otherwise each row is
    # kept as the return gave it, and written back into the export).
    held: bool = True
    # Other file names (lower case, without .csv) an authority's system may give it.
    aliases: tuple[str, ...] = ()
    # For a kept table: the columns that tell a child's rows in one year apart.
    key: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"{self.name} ({self.filename})"


HEADER = Table(
    "Header",
    ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "header.csv",
    required=True,
)
EPISODES = Table(
    "Episodes",
    (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
    "episodes.csv",
    required=True,
)
REVIEWS = Table("Reviews", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"), "reviews.csv", required=True)
# The return's other tables: the service holds none of their facts in its own records, so each
# row is kept as the return gave it (tracker.ssda903.models.ReturnRow), under its collection
# year, and written back into that year's export. `key` names the columns that tell one row of a
# child's from another in a year (none: one row a child a year).
PLACED_ADOPTION = Table(
    "PlacedAdoption",
    ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "placed_adoption.csv",
    held=False,
    aliases=("placedadoption", "placed_for_adoption", "placed_for_adoption_errors", "ad_placed"),
    key=("DATE_PLACED",),
)
SW_EPISODES = Table(
    "SWEpisodes",
    ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "sw_episodes.csv",
    held=False,
    aliases=("swepisodes", "social_worker_episodes", "sw_episode"),
    key=("SW_DECOM", "SW_ID"),
)
UASC = Table("UASC", ("CHILD", "SEX", "DOB", "DUC"), "uasc.csv", held=False)
OC2 = Table(
    "OC2",
    (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
    "oc2.csv",
    held=False,
)
OC3 = Table("OC3", ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"), "oc3.csv", held=False)
AD1 = Table(
    "AD1",
    (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "ad1.csv",
    held=False,
)
PREV_PERM = Table(
    "PrevPerm", ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"), "prevperm.csv", held=False
)
MISSING = Table(
    "Missing",
    ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "missing.csv",
    held=False,
    key=("MIS_START",),
)
DOLO = Table(
    "DoLo", ("CHILD", "DOB", "DOLO_START", "DOLO_END"), "dolo.csv", held=False, key=("DOLO_START",)
)

TABLES: tuple[Table, ...] = (
    HEADER,
    EPISODES,
    REVIEWS,
    UASC,
    OC2,
    OC3,
    AD1,
    PLACED_ADOPTION,
    PREV_PERM,
    MISSING,
    SW_EPISODES,
    DOLO,
)
TABLES_BY_NAME = {t.name: t for t in TABLES}
# Kept as given: every table but the three the service holds in its own records.
KEPT_TABLES: tuple[Table, ...] = tuple(t for t in TABLES if not t.held)
# Columns holding dates in the kept tables (checked as dates; the rest are kept as given).
KEPT_DATES = frozenset(
    {
        "DOB",
        "DUC",
        "DATE_INT",
        "DATE_MATCH",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "DATE_PERM",
        "MIS_START",
        "MIS_END",
        "SW_DECOM",
        "SW_DEC",
        "DOLO_START",
        "DOLO_END",
    }
)


def parse_date(value: str) -> dt.date:
    """A DfE date, dd/mm/yyyy (the validator also takes a one-digit day or month)."""
    match = _DATE_RE.match(value)
    if not match:
        raise ValueError(f"“{value}” is not a date")
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"“{value}” is not a real date") from exc


def format_date(value: dt.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


@dataclass(frozen=True)
class CollectionYear:
    """The SSDA903 collection year ending 31 March `end_year` (e.g. 2027 is 2026-27)."""

    end_year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.end_year - 1, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.end_year, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.end_year - 1}-{str(self.end_year)[2:]}"

    @classmethod
    def containing(cls, day: dt.date) -> CollectionYear:
        return cls(day.year + 1 if day.month >= 4 else day.year)
