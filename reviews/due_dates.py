"""A changed review timescale reaches the reviews already booked (004, SPEC §5).

A booked review stores the date it is due by, counted when it was booked. When an administrator
changes the timescale, the tracker's deadline moves; this moves the booked review with it, so the
review's page and the tracker say the same day. A review already held keeps the date it was due
by then: that is the record of whether it was on time.

Kept apart from `reviews.services` (the other writes) only to keep this one change small.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_update_with_history

from permanence.models import User
from reviews import schedule
from reviews.models import Review

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
        due_on = schedule.review_due(
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
