"""Review due dates: when the IRO is due, when each looked-after review is due, and booked
reviews following a changed timescale (004, SPEC §5).

Every due date is counted by `permanence.timescales`, from the administrator's values, by the
same function that counts the tracker's stored deadlines, so the two never disagree.

A booked review stores the date it is due by, counted when it was booked. When an administrator
changes the timescale, the tracker's deadline moves; `reviews_follow_timescale` moves the booked
review with it, so the review's page and the tracker say the same day. A review already held
keeps the date it was due by then: that is the record of whether it was on time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_update_with_history

from permanence import timescales
from permanence.dates import Offset
from permanence.models import User
from reviews.models import Review

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


# Which booked reviews each timescale counts: the first, the second, every later one.
_SEQUENCES = {
    "first_review": Q(sequence=1),
    "second_review": Q(sequence=2),
    "later_review": Q(sequence__gte=3),
}


@transaction.atomic
def reviews_follow_timescale(*, code: str, by: User) -> int:
    """Reviews booked and not yet held are due by timescale CODE's new value (004)."""
    which = _SEQUENCES.get(code)
    if which is None:
        return 0
    booked = list(
        Review.objects.select_for_update()
        .filter(which, held_on__isnull=True, cancelled=False)
        .order_by("pk")
    )
    if not booked:
        return 0
    held: dict[tuple, list] = defaultdict(list)
    for child_id, since, held_on in (
        Review.objects.filter(
            child_id__in={r.child_id for r in booked}, held_on__isnull=False, cancelled=False
        )
        .order_by("sequence")
        .values_list("child_id", "period_started_on", "held_on")
    ):
        held[(child_id, since)].append(held_on)
    changed = []
    for review in booked:
        earlier = held[(review.child_id, review.period_started_on)]
        if len(earlier) < review.sequence - 1:
            continue  # an earlier review is missing: its date cannot be counted
        due_on = review_due(
            sequence=review.sequence,
            looked_after_since=review.period_started_on,
            held=earlier,
        )
        if due_on != review.due_on:
            review.due_on = due_on
            changed.append(review)
    bulk_update_with_history(
        changed,
        Review,
        ["due_on"],
        batch_size=1000,
        default_user=by,
        default_change_reason="Timescale changed",
    )
    return len(changed)
