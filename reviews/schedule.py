"""When the IRO is due and when each looked-after review is due (004, SPEC §5).

Pure functions of dates: every day is counted by `permanence.dates`, the one module that adds
days to dates. The amounts are defaults; `settings.REVIEW_TIMESCALES` may override any of them
(e.g. {"first_review": (15, "working_days")}) without a code change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings

from permanence.dates import Offset

DEFAULTS: dict[str, tuple[int, str]] = {
    "iro_allocated": (5, "working_days"),  # 004: IRO appointed within 5 working days
    "first_review": (20, "working_days"),  # 004: first review within 20 working days
    "second_review": (3, "months"),  # 000, 001, 002, 004: second within 3 months of the first
    "later_review": (6, "months"),  # 004: then every 6 months
    "due_soon": (3, "weeks"),  # how far ahead a review counts as due soon on the IRO's page
}


def timescale(name: str) -> Offset:
    """The offset for `name`, from settings.REVIEW_TIMESCALES or the default (SPEC §5)."""
    amount, unit = getattr(settings, "REVIEW_TIMESCALES", {}).get(name, DEFAULTS[name])
    return Offset(amount, unit)


def iro_allocation_due(looked_after_since: dt.date) -> dt.date:
    """The IRO is allocated by the 5th working day after becoming looked after (004)."""
    return timescale("iro_allocated").apply(looked_after_since)


def review_due(
    *, sequence: int, looked_after_since: dt.date, held: Sequence[dt.date] = ()
) -> dt.date:
    """Review `sequence` is due: 20 working days after becoming looked after, then 3 months
    after the first was held, then 6 months after the one before was held (004, SPEC §5).

    `held` are the dates the earlier reviews of this period of care were held, in order; the
    review before `sequence` must have been held for its due date to be known.
    """
    if sequence < 1:
        raise ValueError("Reviews are numbered from 1")
    if sequence == 1:
        return timescale("first_review").apply(looked_after_since)
    if len(held) < sequence - 1:
        raise ValueError(
            f"Review {sequence - 1} has not been held, so review {sequence} has no date"
        )
    previous = held[sequence - 2]
    name = "second_review" if sequence == 2 else "later_review"
    return timescale(name).apply(previous)


def due_state(due_on: dt.date, today: dt.date) -> str:
    """overdue, due_soon or upcoming, for the IRO's page."""
    if due_on < today:
        return "overdue"
    if due_on <= timescale("due_soon").apply(today):
        return "due_soon"
    return "upcoming"
