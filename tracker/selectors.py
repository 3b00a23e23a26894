"""Reads of the stored deadlines and alerts, limited to the children the user may see.

Pages and exports read the rows the sweep keeps; nothing here works a deadline out again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, F, QuerySet, Subquery
from django.db.models.functions import Coalesce

from permanence.access import child_visibility_q
from permanence.models import User
from tracker.models import Alert, Deadline, DeadlineRule

# The first six columns never change order; later ones are appended (README).
EXPORT_COLUMNS = (
    "child_id",
    "rule",
    "due",
    "status",
    "met_on",
    "owner",
    "instance",
    "counts_from",
    "current",
    "timeliness",
    "days_late",
)
# Most urgent first: overdue, then due soon, upcoming, not yet applicable, met.
STATUS_ORDER = [
    Deadline.Status.OVERDUE,
    Deadline.Status.DUE_SOON,
    Deadline.Status.UPCOMING,
    Deadline.Status.NOT_YET_APPLICABLE,
    Deadline.Status.MET,
]


def _visible(qs: QuerySet, user: User | None, prefix: str = "child__") -> QuerySet:
    if user is None:  # the command line: every child
        return qs
    q = child_visibility_q(user)
    if q is None:
        return qs.none()
    # Children visible through several relationships must not repeat their deadlines.
    from permanence.models import Child

    return qs.filter(**{f"{prefix}in": Child.objects.filter(q).values("pk")})


def deadlines_for_user(
    *, user: User, status: str = "", rule_code: str = "", team_id: int | None = None
) -> QuerySet[Deadline]:
    """The deadlines page: the user's children's deadlines, filtered, soonest first."""
    qs = _visible(Deadline.objects.filter(current=True), user).select_related(
        "child", "child__team", "rule", "owner"
    )
    if status:
        qs = qs.filter(status=status)
    if rule_code:
        qs = qs.filter(rule__code=rule_code)
    if team_id:
        qs = qs.filter(child__team_id=team_id)
    return qs.order_by(
        F("due").asc(nulls_last=True),
        "child__last_name",
        "child__first_name",
        "rule__order",
        "pk",
    )


def deadline_counts_for_user(*, user: User) -> dict[str, int]:
    """How many of the user's children's deadlines are in each status."""
    rows = (
        _visible(Deadline.objects.filter(current=True), user)
        .values("status")
        # COUNT(*), so that the counts read the index deadline_current_child_status alone.
        .annotate(n=Count("*"))
    )
    counts = dict.fromkeys(STATUS_ORDER, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def child_panel_context(*, child, user) -> dict:
    """The child's page: each deadline that applies, with its status, most urgent first."""
    # The child's open alerts are counted in the same query (the count is only shown with the
    # deadlines' table: issue 19).
    open_alerts = (
        Alert.objects.filter(child=child, closed_at__isnull=True)
        .order_by()
        .values("child_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = list(
        Deadline.objects.filter(child=child, current=True)
        .select_related("rule", "owner")
        .annotate(child_open_alerts=Coalesce(Subquery(open_alerts), 0))
        .order_by("rule__order")
    )
    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    rows.sort(key=lambda d: (rank.get(d.status, 9), d.due or dt.date.max))
    return {
        "deadlines": rows,
        "open_alerts": rows[0].child_open_alerts if rows else 0,
    }


def export_rows(
    *,
    user: User | None = None,
    status: str = "",
    rule_code: str = "",
    team_id: int | None = None,
) -> Iterator[tuple]:
    """One row per child per deadline instance, past ones too: child_id, rule, due, status,
    met_on, owner, then instance, counts_from, current, timeliness, days_late (README).

    `owner` is the username of the person who owns it, or `cps_duty` for the CPS duty desk.
    A status filter is about what is due now, so it keeps the current instances only."""
    qs = _visible(Deadline.objects.all(), user)
    if status:
        qs = qs.filter(status=status, current=True)
    if rule_code:
        qs = qs.filter(rule__code=rule_code)
    if team_id:
        qs = qs.filter(child__team_id=team_id)
    rows = qs.order_by("child__child_id", "rule__order", "rule__code", "instance").values_list(
        "child__child_id",
        "rule__code",
        "due",
        "status",
        "met_on",
        "owner__username",
        "rule__owner_role",
        "instance",
        "anchor_on",
        "current",
        "outcome",
        "days_late",
    )
    for (
        child_id,
        rule,
        due,
        state,
        met_on,
        owner,
        owner_role,
        instance,
        anchor_on,
        current,
        outcome,
        days_late,
    ) in rows.iterator(chunk_size=5000):
        yield (
            child_id,
            rule,
            due.isoformat() if due else "",
            state,
            met_on.isoformat() if met_on else "",
            owner or (owner_role if owner_role == "cps_duty" else ""),
            instance,
            anchor_on.isoformat() if anchor_on else "",
            "yes" if current else "no",
            outcome,
            "" if days_late is None else days_late,
        )


def rules_for_filter() -> QuerySet[DeadlineRule]:
    return DeadlineRule.objects.filter(active=True).order_by("order")


def open_alerts_for_user(*, user: User) -> QuerySet[Alert]:
    """Open alerts on the user's children, newest first."""
    return (
        _visible(Alert.objects.filter(closed_at__isnull=True), user)
        .select_related("child", "rule", "owner")
        .order_by("-raised_at", "-pk")
    )


def alert_counts_by_rule(*, user: User) -> list[dict]:
    return list(
        _visible(Alert.objects.filter(closed_at__isnull=True), user)
        .values("rule__name", "level")
        .annotate(n=Count("pk"))
        .order_by("rule__name")
    )


__all__ = [
    "EXPORT_COLUMNS",
    "child_panel_context",
    "deadline_counts_for_user",
    "deadlines_for_user",
    "export_rows",
    "open_alerts_for_user",
    "rules_for_filter",
]


def children_with_open_deadline(rule_code: str, *, due_by: dt.date) -> QuerySet:
    """Ids of children whose current deadline of this rule is unmet and due by `due_by`, as a
    subquery (the Permanence Panel's agenda: red plans due back at panel, seed 004)."""
    return Deadline.objects.filter(
        rule__code=rule_code, current=True, met_on__isnull=True, due__lte=due_by
    ).values("child_id")
