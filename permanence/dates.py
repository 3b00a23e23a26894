"""Date arithmetic for every statutory and local timescale (SPEC §5).

This is the only module in the product that adds days to dates. Keeping the counting rules in
one place means a deadline shown on a page, one raised by a periodic job and one checked in a
test can never disagree about what "5 working days" means.

Everything here is a pure function of its arguments (plus the bank holiday calendar shipped in
the pinned ``holidays`` package), so it needs no database and no Django settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Final, Literal, cast, get_args
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

__all__ = [
    "UNITS",
    "Offset",
    "Unit",
    "add_days",
    "add_months",
    "add_weeks",
    "add_working_days",
    "apply_offset",
    "is_working_day",
    "subtract_working_days",
    "weeks_between",
    "working_day_cutoff",
    "working_days_between",
]

Unit = Literal["working_days", "days", "weeks", "months"]
UNITS: Final[tuple[str, ...]] = get_args(Unit)

_ONE_DAY: Final = timedelta(days=1)
_SATURDAY: Final = 5  # date.weekday(): Monday is 0, so anything >= 5 is a weekend.


@lru_cache(maxsize=256)
def _bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays falling in ``year``, substitute days included."""
    # England and Wales share one list of bank holidays, so the ENG subdivision serves both.
    # observed=True (also the default) adds the substitute Monday/Tuesday when a holiday
    # falls at a weekend (e.g. Boxing Day 2026, a Saturday, gives Monday 28 December).
    # A substitute day is generated with the year of the holiday it replaces, so a holiday
    # late in one year could be observed early in the next; populate the neighbours too.
    calendar = holidays.country_holidays(
        "GB", subdiv="ENG", years=range(year - 1, year + 2), observed=True
    )
    if not calendar.start_year <= year <= calendar.end_year:
        # Outside this range the package silently returns no holidays at all, which would
        # make a mistyped year (2206 for 2026) produce a plausible but wrong deadline.
        raise ValueError(
            f"No bank holiday calendar for {year}: supported years are "
            f"{calendar.start_year}-{calendar.end_year}."
        )
    return frozenset(day for day in calendar if day.year == year)


def _require_date(d: date) -> None:
    # A datetime is a date subclass but never equals a date, so it would silently miss every
    # bank holiday in the set lookups below; refuse it rather than give a wrong answer.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"Expected a datetime.date, got {type(d).__name__}.")


def _step_working_days(d: date, n: int, step: timedelta) -> date:
    """The nth working day from d in the direction of step (n >= 0); d itself never counts."""
    current = d
    year = current.year
    bank_holidays = _bank_holidays(year)
    while n:
        current += step
        # Fetch the year's set only when the year changes: this loop is the hot path when a
        # periodic job recomputes thousands of deadlines.
        if current.year != year:
            year = current.year
            bank_holidays = _bank_holidays(year)
        if current.weekday() < _SATURDAY and current not in bank_holidays:
            n -= 1
    return current


def _working_days_in(first: date, last: date) -> int:
    """How many working days lie in [first, last]; 0 when last < first."""
    days = (last - first).days + 1
    if days <= 0:
        return 0
    # Every run of 7 consecutive days holds exactly 5 weekdays, so only the remainder needs
    # looking at; this keeps spans of years as cheap as spans of days.
    full_weeks, remainder = divmod(days, 7)
    first_weekday = first.weekday()
    weekdays = full_weeks * 5 + sum(
        1 for i in range(remainder) if (first_weekday + i) % 7 < _SATURDAY
    )
    holidays_on_weekdays = sum(
        1
        for year in range(first.year, last.year + 1)
        for day in _bank_holidays(year)
        if first <= day <= last and day.weekday() < _SATURDAY
    )
    return weekdays - holidays_on_weekdays


def is_working_day(d: date) -> bool:
    """True unless D is a Saturday, Sunday or England & Wales bank holiday (SPEC §5)."""
    _require_date(d)
    # Look the year up even for a weekend so that an unsupported year always fails loudly.
    bank_holidays = _bank_holidays(d.year)
    return d.weekday() < _SATURDAY and d not in bank_holidays


# The sweep moves the same few thousand dates by the same few amounts for every child: remember
# the answers (pure functions of hashable arguments; bounded, so memory stays flat).
_MEMO: Final = 65_536


@lru_cache(maxsize=_MEMO)
def _working_days_from(d: date, n: int) -> date:
    if n < 0:
        return _step_working_days(d, -n, -_ONE_DAY)
    return _step_working_days(d, n, _ONE_DAY)


def add_working_days(d: date, n: int) -> date:
    """The Nth working day after D, D itself never counting; negative N counts back (SPEC §5)."""
    _require_date(d)
    return _working_days_from(d, n)


def subtract_working_days(d: date, n: int) -> date:
    """The Nth working day before D, D itself never counting; negative N counts on (SPEC §5)."""
    _require_date(d)
    return _working_days_from(d, -n)


@lru_cache(maxsize=_MEMO)
def _months_from(d: date, n: int) -> date:
    # relativedelta clamps to the month's last day (31 Jan + 1 month = 28/29 Feb), which is
    # exactly the SPEC rule; date + relativedelta stays a date.
    return d + relativedelta(months=n)


def add_months(d: date, n: int) -> date:
    """Same day N calendar months later, or that month's last day if it has none (SPEC §5)."""
    return _months_from(d, n)


def add_weeks(d: date, n: int) -> date:
    """N weeks after D, a week being 7 calendar days (SPEC §5)."""
    return d + timedelta(weeks=n)


def add_days(d: date, n: int) -> date:
    """N calendar days after D; negative N counts back (SPEC §5)."""
    return d + timedelta(days=n)


def working_day_cutoff(d: date, n: int, hour: int = 17, tz: str = "Europe/London") -> datetime:
    """Aware datetime at HOUR:00 local time on the Nth working day before D (SPEC §5)."""
    day = subtract_working_days(d, n)
    # In Europe/London the clocks change at 01:00 UTC on a Sunday, which is never a working
    # day, so the wall-clock time built here always exists and is never ambiguous.
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(tz))


def weeks_between(start: date, end: date) -> int:
    """Whole 7-day weeks from START to END, floored, so 1 day back is -1 (SPEC §5)."""
    return (end - start).days // 7


def working_days_between(start: date, end: date) -> int:
    """Working days after START up to and including END; negative if END < START (SPEC §5)."""
    _require_date(start)
    _require_date(end)
    if end >= start:
        return _working_days_in(start + _ONE_DAY, end)
    # Mirror image of the forward count (working days from END up to but not including START)
    # so that subtract_working_days(start, -result) == end whenever end is a working day, and a
    # Friday deadline seen on Saturday reads as one working day overdue rather than zero.
    return -_working_days_in(end, start - _ONE_DAY)


_APPLIERS: Final = {
    "working_days": add_working_days,
    "days": add_days,
    "weeks": add_weeks,
    "months": add_months,
}

_LABELS: Final = {
    "working_days": ("working day", "working days"),
    "days": ("day", "days"),
    "weeks": ("week", "weeks"),
    "months": ("month", "months"),
}


@dataclass(frozen=True)
class Offset:
    """An amount of one SPEC §5 unit, as a configurable deadline rule stores it (SPEC §5)."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        # Rules are edited by administrators and stored as data, so a bad unit or amount must
        # fail when the rule is built, not later inside a periodic job.
        if self.unit not in _APPLIERS:
            raise ValueError(f"Unknown offset unit {self.unit!r}; expected one of {UNITS}.")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValueError(f"Offset amount must be a whole number, got {self.amount!r}.")

    def apply(self, d: date) -> date:
        """D moved by this offset under the SPEC §5 rule for its unit (SPEC §5)."""
        return _APPLIERS[self.unit](d, self.amount)

    def __str__(self) -> str:
        singular, plural = _LABELS[self.unit]
        return f"{self.amount} {singular if abs(self.amount) == 1 else plural}"


def apply_offset(d: date, amount: int, unit: str) -> date:
    """D moved by AMOUNT of UNIT by that unit's rule; unknown unit raises ValueError (SPEC §5)."""
    # The cast is safe because Offset validates the unit as it is built.
    return Offset(amount, cast(Unit, unit)).apply(d)
