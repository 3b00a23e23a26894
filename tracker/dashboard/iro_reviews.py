"""The IRO manager's page: each IRO's looked-after children, their second reviews and whether the
plan has been ratified (002 §9, §12: the IRO manager tracks every plan with the adoption and
fostering managers, and oversees the IROs' reviews and ratification at the second review).

Read from the stored tracker rows (second review due and held, plan first ratified), so nothing
here works a due date out; it only compares stored dates with today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from permanence.models import User
from permanence.roles import Role
from tracker.dashboard.models import TrackerRow
from tracker.dashboard.selectors import rows_visible_to


def may_see_iro_reviews(user: User) -> bool:
    """The IRO manager oversees the IROs' reviews (002 §9, §12)."""
    return user.is_authenticated and user.has_role(Role.IRO_MANAGER)


def _looked_after(user: User) -> QuerySet[TrackerRow]:
    return rows_visible_to(user).filter(period_start__isnull=False, period_end__isnull=True)


def _not_held(today: dt.date) -> tuple[Q, Q]:
    pending = Q(second_review_due__isnull=False, second_review_held_on__isnull=True)
    return pending & Q(second_review_due__gte=today), pending & Q(second_review_due__lt=today)


def _awaiting_ratification(today: dt.date) -> Q:
    """The second review has been held, or is past due, and no plan has been ratified in this
    period of care: the plan should have been ratified at the second review (002 §9)."""
    reached = Q(second_review_held_on__isnull=False) | Q(second_review_due__lt=today)
    return reached & Q(first_ratified_on__isnull=True)


@dataclass(frozen=True)
class IroLine:
    """One IRO's looked-after children, counted."""

    iro_id: int | None
    name: str
    children: int
    to_come: int
    overdue: int
    awaiting: int
    ratified: int


def iro_lines(*, user: User, today: dt.date) -> list[IroLine]:
    """Each IRO of the children the user may see, with counts of second reviews to come and
    overdue, and plans ratified or still awaiting it, in one grouped query."""
    to_come, overdue = _not_held(today)
    grouped = (
        _looked_after(user)
        .order_by()
        .values("iro_id", "iro__first_name", "iro__last_name", "iro__username")
        .annotate(
            children=Count("pk"),
            to_come=Count("pk", filter=to_come),
            overdue=Count("pk", filter=overdue),
            awaiting=Count("pk", filter=_awaiting_ratification(today)),
            ratified=Count("pk", filter=Q(first_ratified_on__isnull=False)),
        )
    )
    grouped = sorted(
        grouped,
        # IROs by surname, and the children without one last, where they stand out.
        key=lambda g: (g["iro_id"] is None, (g["iro__last_name"] or "").lower(), g["iro_id"] or 0),
    )
    return [
        IroLine(
            iro_id=g["iro_id"],
            name=(
                f"{g['iro__first_name']} {g['iro__last_name']}".strip() or g["iro__username"]
                if g["iro_id"]
                else "No IRO allocated"
            ),
            children=g["children"],
            to_come=g["to_come"],
            overdue=g["overdue"],
            awaiting=g["awaiting"],
            ratified=g["ratified"],
        )
        for g in grouped
    ]


def all_iros(lines: list[IroLine]) -> IroLine:
    """Every line added up: the looked-after children of the user's service, whoever their IRO."""
    return IroLine(
        iro_id=None,
        name="All looked-after children",
        children=sum(line.children for line in lines),
        to_come=sum(line.to_come for line in lines),
        overdue=sum(line.overdue for line in lines),
        awaiting=sum(line.awaiting for line in lines),
        ratified=sum(line.ratified for line in lines),
    )


def awaiting_ratification(*, user: User, today: dt.date) -> QuerySet[TrackerRow]:
    """The looked-after children whose plan awaits ratification after the second review, the
    longest waiting first."""
    return (
        _looked_after(user)
        .filter(_awaiting_ratification(today))
        .select_related("iro")
        .order_by("second_review_due", "sort_name", "pk")
    )
