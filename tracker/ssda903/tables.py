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
    # Whether the product holds this table's facts (otherwise it is read and reported only).
    held: bool = True
    # Other file names (lower case, without .csv) an authority's system may give it.
    aliases: tuple[str, ...] = ()

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
PLACED_ADOPTION = Table(
    "PlacedAdoption",
    ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
    "placed_adoption.csv",
    held=False,
    aliases=("placedadoption", "placed_for_adoption", "placed_for_adoption_errors", "ad_placed"),
)
SW_EPISODES = Table(
    "SWEpisodes",
    ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
    "sw_episodes.csv",
    held=False,
    aliases=("swepisodes", "social_worker_episodes", "sw_episode"),
)

TABLES: tuple[Table, ...] = (HEADER, EPISODES, REVIEWS, PLACED_ADOPTION, SW_EPISODES)
TABLES_BY_NAME = {t.name: t for t in TABLES}

# The return's other tables: recognised in a folder (so an authority can point the import at its
# whole return) and reported as not read, because the product holds none of their facts.
OTHER_TABLES: dict[str, tuple[str, ...]] = {
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
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
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "DoLo": ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
}


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
