"""The numbers of SPEC §5 as every app reads them: one source for each timescale.

The defaults are `fixtures/timescales.json`. Once the tracker registers its rule table as the
source (from its AppConfig.ready), an administrator's change to a timescale reaches every page
that shows a due date: the review schedule, Part 1's cut-off, the disruption's carer review and
fee, the matching panel's papers. `permanence` never imports the tracker to do this.

`count` is the one function that turns a timescale into a due date, for every app: the tracker's
stored deadline rows are counted by it, and so is every date a page or form works out before a
row exists (a review's next due date, Part 1's cut-off, a temporary approval's end, the date a
child comes back to a meeting). The day arithmetic itself is `permanence.dates`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings

from permanence import dates
from permanence.dates import Offset

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Timescale:
    code: str
    amount: int
    unit: str
    due_time: dt.time | None = None
    extension_amount: int = 0
    direction: str = "after"
    counts_start_day: bool = False
    # Days before the due date from which the deadline is "due soon" (the tracker's alerts).
    warning_days: int = 0

    @property
    def offset(self) -> Offset:
        return Offset(self.amount, self.unit)

    @property
    def extension(self) -> Offset:
        return Offset(self.extension_amount, self.unit)


_source: Callable[[str], Timescale | None] | None = None


def register_source(source: Callable[[str], Timescale | None]) -> None:
    """Let the app that holds the administrator's values answer for them."""
    global _source
    _source = source


@cache
def _defaults() -> dict[str, Timescale]:
    path = Path(settings.BASE_DIR) / "fixtures" / "timescales.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {
        row["code"]: Timescale(
            code=row["code"],
            amount=row["amount"],
            unit=row["unit"],
            due_time=dt.time.fromisoformat(row["due_time"]) if row.get("due_time") else None,
            extension_amount=row.get("extension_amount") or 0,
            direction=row.get("direction") or "after",
            counts_start_day=bool(row.get("counts_start_day")),
            warning_days=row.get("warning_days") or 0,
        )
        for row in rows
    }


def timescale(code: str) -> Timescale:
    """The timescale `code` as the administrator has set it, or its default (SPEC §5)."""
    if _source is not None:
        found = _source(code)
        if found is not None:
            return found
    return _defaults()[code]


# --- the one place a timescale becomes a due date ------------------------------------------------


class RuleValues(Protocol):
    """What the count reads from a rule: a `Timescale`, or the tracker's detached rule config."""

    code: str
    amount: int
    unit: str
    direction: str
    counts_start_day: bool
    due_time: dt.time | None
    extension_amount: int


@dataclass(frozen=True, slots=True)
class Due:
    """A due date, and the moment it falls due when the rule sets a time of day."""

    on: dt.date
    at: dt.datetime | None = None

    @property
    def by(self) -> dt.datetime:
        """The last moment that is still in time: the rule's time of day, else the day's end."""
        if self.at is not None:
            return self.at
        return dt.datetime.combine(self.on, dt.time.max, tzinfo=LONDON)


# The SPEC §5 counting rule for each unit, all from permanence.dates. Looked up directly rather
# than through dates.Offset: the tracker's sweep runs this for every deadline of every child.
_MOVE = {
    "working_days": dates.add_working_days,
    "days": dates.add_days,
    "weeks": dates.add_weeks,
    "months": dates.add_months,
}


def count(
    rule: RuleValues,
    start: dt.date,
    *,
    extended: bool = False,
    extension: Offset | None = None,
) -> Due:
    """When a deadline under RULE counted from START falls due (SPEC §5 counting).

    Every field an administrator can set is honoured: the amount and its unit, the direction
    (before the event, as for Part 1), whether the start day counts as the first ("26 weeks
    beginning with the day of issue"), the time of day, and the extension. EXTENDED adds the
    rule's whole extension; EXTENSION adds an amount decided on the record instead (a connected
    person's approval extended by 6 of the 8 weeks allowed, reg 25)."""
    amount = rule.amount + (rule.extension_amount if extended else 0)
    extra = extension.amount if extension is not None else 0
    if extension is not None and extension.unit == rule.unit:
        # In the rule's own unit, count once: 1 month + 1 month from 31 January is 31 March.
        amount, extra = amount + extra, 0
    if rule.direction == "before":
        amount, extra = -amount, -extra
    move = _MOVE.get(rule.unit)
    if move is None:  # refused when saved; never guess
        raise ValueError(f"Unknown unit {rule.unit!r} for rule {rule.code}")
    on = move(start, amount)
    if extra:
        on = _MOVE[extension.unit](on, extra)
    if rule.counts_start_day:
        # The start day is day one, so the count ends one day sooner (later, counting back).
        on = dates.add_days(on, -1 if amount > 0 else 1)
    at = dt.datetime.combine(on, rule.due_time, tzinfo=LONDON) if rule.due_time else None
    return Due(on, at)


def due(
    code: str, start: dt.date, *, extended: bool = False, extension: Offset | None = None
) -> Due:
    """When the timescale `code`, as the administrator has set it, falls due from START."""
    return count(timescale(code), start, extended=extended, extension=extension)


def due_date(
    code: str, start: dt.date, *, extended: bool = False, extension: Offset | None = None
) -> dt.date:
    """The due date of timescale `code` counted from START (see `count`)."""
    return due(code, start, extended=extended, extension=extension).on


class Standing:
    """Where a deadline stands at a moment, in the tracker's words (SPEC §5)."""

    UPCOMING = "upcoming"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


def standing(code: str, start: dt.date, now: dt.datetime) -> tuple[Due, str]:
    """When the timescale `code` counted from START falls due, and whether at NOW it is overdue
    (past its moment), due soon (within the warning the administrator set) or still to come:
    the tracker's alerts read the same rule, so a page's warning and an alert never differ."""
    rule = timescale(code)
    when = count(rule, start)
    if now > when.by:
        return when, Standing.OVERDUE
    if now.astimezone(LONDON).date() >= dates.add_days(when.on, -rule.warning_days):
        return when, Standing.DUE_SOON
    return when, Standing.UPCOMING
