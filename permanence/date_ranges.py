"""The dates a person could sensibly enter, by kind of date: the one place that knows them.

A date outside its range is almost always a slip of the keyboard (a review in 9999, a child
born in 1800), and a date the service cannot count from: deadlines are worked out from these
dates, and a year past 9999 has no calendar. Forms refuse them beside the field (issue 11).

Models check only the wide `RECORD_FLOOR`, so an import of an authority's old records is never
refused for history that really happened (a return can hold episodes from the 1990s).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.utils import timezone

from permanence import dates

RECORD_FLOOR = dt.date(1900, 1, 1)
EVENT_FLOOR = dt.date(1990, 1, 1)
EVENT_YEARS_AHEAD = 2
UNBORN_MONTHS_AHEAD = 10


@dataclass(frozen=True)
class Range:
    earliest: dt.date
    latest: dt.date
    too_early: str
    too_late: str

    def problem(self, value: dt.date, label: str) -> str | None:
        """What is wrong with `value` for the field called `label`, in words, or None."""
        if value < self.earliest:
            return self.too_early.format(label=label, earliest=f"{self.earliest:%-d %B %Y}")
        if value > self.latest:
            return self.too_late.format(label=label, latest=f"{self.latest:%-d %B %Y}")
        return None


class DateKind(enum.Enum):
    """What a date records, which decides how far back and ahead it can sensibly be."""

    BIRTH = "birth"  # a child's date of birth: never in the future
    EXPECTED_BIRTH = "expected birth"  # an unborn child's: within a pregnancy of today
    HAPPENED = "happened"  # something that has happened: a meeting held, a placement made
    EVENT = "event"  # something booked or due: a forum, a review, a task's due date

    def range(self, today: dt.date | None = None) -> Range:
        today = today or timezone.localdate()
        ahead = dates.add_months(today, 12 * EVENT_YEARS_AHEAD)
        past_only = "{label} must be today or in the past"
        too_early = "{label} must be on or after {earliest}"
        if self is DateKind.BIRTH:
            return Range(
                RECORD_FLOOR,
                today,
                too_early,
                past_only + "; for an unborn child leave it blank and enter the expected date "
                "of birth",
            )
        if self is DateKind.EXPECTED_BIRTH:
            return Range(
                EVENT_FLOOR,
                dates.add_months(today, UNBORN_MONTHS_AHEAD),
                too_early,
                f"{{label}} must be no more than {UNBORN_MONTHS_AHEAD} months from today",
            )
        if self is DateKind.HAPPENED:
            return Range(EVENT_FLOOR, today, too_early, past_only)
        return Range(
            EVENT_FLOOR,
            ahead,
            too_early,
            f"{{label}} must be no more than {EVENT_YEARS_AHEAD} years from today",
        )


def record_problem(value: dt.date | None, label: str) -> str | None:
    """The models' own check: a date before 1900 is never a real record (a mistyped year)."""
    if value is not None and value < RECORD_FLOOR:
        return f"{label} must be on or after {RECORD_FLOOR:%-d %B %Y}"
    return None


def past_date_problems(obj, fields: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """For each (field, label) of a model that records something which has happened: a year
    mistyped, or a date in the future. Keyed by field, for ValidationError."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    for name, label in fields:
        value = getattr(obj, name)
        if value is None:
            continue
        problem = record_problem(value, label)
        if problem:
            errors[name] = problem
        elif value > today:
            errors[name] = f"{label} cannot be in the future"
    return errors
