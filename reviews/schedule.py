"""When the IRO is due and when each looked-after review is due (004, SPEC §5).

Every due date is counted by `permanence.timescales`, from the administrator's values, by the
same function that counts the tracker's stored deadlines, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from permanence import timescales
from permanence.dates import Offset

# How far ahead a review counts as due soon on the IRO's page (a view, not a timescale).
DUE_SOON = Offset(3, "weeks")


def timescale(name: str) -> Offset:
    """The offset for `name`: iro_allocated, first_review, second_review, later_review (SPEC §5)."""
    if name == "due_soon":
        return DUE_SOON
    return timescales.timescale(name).offset


def iro_allocation_due(looked_after_since: dt.date) -> dt.date:
    """The IRO is allocated by the 5th working day after becoming looked after (004)."""
    return timescales.due_date("iro_allocated", looked_after_since)


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
        return timescales.due_date("first_review", looked_after_since)
    if len(held) < sequence - 1:
        raise ValueError(
            f"Review {sequence - 1} has not been held, so review {sequence} has no date"
        )
    previous = held[sequence - 2]
    name = "second_review" if sequence == 2 else "later_review"
    return timescales.due_date(name, previous)


def due_state(due_on: dt.date, today: dt.date) -> str:
    """overdue, due_soon or upcoming, for the IRO's page."""
    if due_on < today:
        return "overdue"
    if due_on <= timescale("due_soon").apply(today):
        return "due_soon"
    return "upcoming"
