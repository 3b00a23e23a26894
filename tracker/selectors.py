"""Reads of the stored deadlines and alerts, limited to the children the user may see.

Pages and exports read the rows the sweep keeps; nothing here works a deadline out again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from permanence.access import child_visibility_q, visible_children_and_teams
from permanence.models import User
from permanence.prepared import prepared
from tracker.deadline_table import child_rows_html
from tracker.exports import as_text, iso_date, neutralised, yes_no
from tracker.lookups import Keys
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


@dataclass(frozen=True)
class VisibleChildren:
    """The children a user may see, read once for a page that asks about them several times.

    The deadlines page asks four times (the teams to filter by, the count of each status, how
    many rows, the rows). Each asking worked out again who may see whom: for CPS duty at
    100,000 children, reading its meetings, panels and plans four times over (2.4 s of SQL). The
    ids, read once, are what the other queries filter by. They are read for this one request
    and never kept, so the next page sees any change to who may see whom."""

    ids: Keys
    team_ids: frozenset[int]


def visible_children(user: User) -> VisibleChildren:
    """The ids (and teams) of the children `user` may see: the rule of `child_visibility_q`."""
    # Each relationship's children with their team, put together with UNION ALL as
    # `child_visibility_q` puts them (a child seen twice is kept once): not the children read
    # again one at a time by id to find their teams, 25,000 look-ups for a head of service.
    team_of = dict(visible_children_and_teams(user))
    return VisibleChildren(Keys(team_of), frozenset(t for t in team_of.values() if t))


def _visible(
    qs: QuerySet,
    user: User | None,
    prefix: str = "child__",
    children: VisibleChildren | None = None,
) -> QuerySet:
    if children is not None:  # read once already (`visible_children`)
        if not children.ids:
            return qs.none()
        # One array parameter on PostgreSQL however many ids (`tracker.lookups`).
        return qs.filter(**{f"{prefix}id__any_of": children.ids})
    if user is None:  # the command line: every child
        return qs
    q = child_visibility_q(user)
    if q is None:
        return qs.none()
    # Children visible through several relationships must not repeat their deadlines.
    from permanence.models import Child

    return qs.filter(**{f"{prefix}in": Child.objects.filter(q).values("pk")})


def deadlines_for_user(
    *,
    user: User,
    status: str = "",
    rule_code: str = "",
    team_id: int | None = None,
    children: VisibleChildren | None = None,
) -> QuerySet[Deadline]:
    """The deadlines page: the user's children's deadlines, filtered, soonest first. CHILDREN:
    the user's children if already read (`visible_children`)."""
    qs = _visible(Deadline.objects.filter(current=True), user, children=children).select_related(
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


def deadline_counts_for_user(
    *, user: User, children: VisibleChildren | None = None
) -> dict[str, int]:
    """How many of the user's children's deadlines are in each status."""
    rows = (
        _visible(Deadline.objects.filter(current=True), user, children=children)
        .values("status")
        # COUNT(*), so that the counts read the index deadline_current_child_status alone.
        .annotate(n=Count("*"))
    )
    counts = dict.fromkeys(STATUS_ORDER, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


@prepared
def _deadlines_on_child_page(child_id: int):
    # The child's open alerts are counted in the same query (the count is only shown with the
    # deadlines' table: issue 19).
    open_alerts = (
        Alert.objects.filter(child_id=child_id, closed_at__isnull=True)
        .order_by()
        .values("child_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Deadline.objects.filter(child_id=child_id, current=True)
        .select_related("rule", "owner")
        .annotate(child_open_alerts=Coalesce(Subquery(open_alerts), 0))
        .order_by("rule__order")
    )


def child_panel_context(*, child, user) -> dict:
    """The child's page: each deadline that applies, with its status, most urgent first."""
    rows = _deadlines_on_child_page(child.pk)
    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    rows.sort(key=lambda d: (rank.get(d.status, 9), d.due or dt.date.max))
    return {
        "deadlines": rows,
        "rows_html": child_rows_html(rows),
        "open_alerts": rows[0].child_open_alerts if rows else 0,
    }


def export_queryset(
    *,
    user: User | None = None,
    status: str = "",
    rule_code: str = "",
    team_id: int | None = None,
) -> QuerySet:
    """One row per child per deadline instance, past ones too, each column already the file's
    text: child_id, rule, due, status, met_on, owner, then instance, counts_from, current,
    timeliness, days_late (README). Written by PostgreSQL itself (`exports.stream_csv`): the
    deadlines of 100,000 children are two million rows.

    `owner` is the username of the person who owns it, or `cps_duty` for the CPS duty desk.
    A status filter is about what is due now, so it keeps the current instances only."""
    qs = _visible(Deadline.objects.all(), user)
    if status:
        qs = qs.filter(status=status, current=True)
    if rule_code:
        qs = qs.filter(rule__code=rule_code)
    if team_id:
        qs = qs.filter(child__team_id=team_id)
    desk = Case(When(rule__owner_role="cps_duty", then=Value("cps_duty")), output_field=CharField())
    columns = {
        "x_child": neutralised("child__child_id"),
        "x_rule": as_text("rule__code"),
        "x_due": iso_date("due"),
        "x_status": as_text("status"),
        "x_met": iso_date("met_on"),
        "x_owner": Coalesce(neutralised("owner__username"), desk),
        "x_instance": F("instance"),
        "x_counts_from": iso_date("anchor_on"),
        "x_current": yes_no(Q(current=True)),
        "x_outcome": as_text("outcome"),
        "x_days_late": F("days_late"),
    }
    return (
        qs.order_by("child__child_id", "rule__order", "rule__code", "instance")
        .annotate(**columns)
        .values_list(*columns)
    )


def export_rows(
    *,
    user: User | None = None,
    status: str = "",
    rule_code: str = "",
    team_id: int | None = None,
) -> Iterator[tuple]:
    """The export's rows one by one (`export_queryset`), read in chunks."""
    rows = export_queryset(user=user, status=status, rule_code=rule_code, team_id=team_id)
    for row in rows.iterator(chunk_size=5000):
        yield tuple("" if value is None else value for value in row)


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
    "export_queryset",
    "export_rows",
    "open_alerts_for_user",
    "rules_for_filter",
    "visible_children",
]


def children_with_open_deadline(rule_code: str, *, due_by: dt.date) -> QuerySet:
    """Ids of children whose current deadline of this rule is unmet and due by `due_by`, as a
    subquery (the Permanence Panel's agenda: red plans due back at panel, seed 004)."""
    return Deadline.objects.filter(
        rule__code=rule_code, current=True, met_on__isnull=True, due__lte=due_by
    ).values("child_id")
