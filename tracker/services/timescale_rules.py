"""Changing a timescale: an administrator's edit, validated, kept in history, applied at once."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from forums.services.disruptions import disruptions_follow_timescale
from forums.services.meetings import meetings_follow_timescale
from permanence.history import save_with_history
from permanence.models import User
from reviews.review_due_dates import reviews_follow_timescale
from tracker import timescale_source
from tracker.models import DeadlineRule

EDITABLE = (
    "name",
    "counts_from",
    "met_by",
    "amount",
    "unit",
    # Read-only in the admin pages (no rule of ours counts the other way), but honoured
    # everywhere a due date is counted, so it can be changed here without a code change.
    "direction",
    "counts_start_day",
    "due_time",
    "extension_amount",
    "warning_days",
    "owner_role",
    "copy_role",
    "active",
    "applies_from",
)


@transaction.atomic
def deadline_rule_update(
    *, rule: DeadlineRule, by: User, reason: str = "", **changes
) -> DeadlineRule:
    """Change a SPEC §5 timescale without a code change; every deadline follows after commit."""
    if not by.has_perm("tracker.change_deadlinerule"):
        raise PermissionDenied("You do not have permission to change timescales.")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"These cannot be changed: {sorted(unknown)}")
    rule = DeadlineRule.objects.select_for_update().get(pk=rule.pk)
    for name, value in changes.items():
        setattr(rule, name, value)
    save_with_history(rule, by=by, reason=reason or "Timescale changed")
    # Now for this request, and again once committed so no other request keeps the old value.
    timescale_source.forget()
    transaction.on_commit(timescale_source.forget)
    # A held meeting's "comes back by" date, a booked review's due date and a disruption's carer
    # review and fee dates are stored on them: they move with the rule, as the child's stored
    # deadline does.
    meetings_follow_timescale(code=rule.code, by=by)
    disruptions_follow_timescale(code=rule.code, by=by)
    reviews_follow_timescale(code=rule.code, by=by)
    from tracker.tasks import deadlines_repair

    # Due dates move with the rule: every child is worked out again in full.
    transaction.on_commit(lambda: deadlines_repair.delay(), robust=True)
    return rule
