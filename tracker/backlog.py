"""The backlog at go-live (issues 16 and 18): deadlines already overdue when the service went live.

What counts as backlog: an alert whose deadline was due before the go-live date. The go-live date
is the earliest "tracked from" date of any timescale: `manage.py onboard` sets it on every
timescale at once (tracker.ssda903.onboarding.go_live_set), except the looked-after reviews,
which are counted from the return's own history and so can be years overdue on the first day.
A service that never went live this way (no timescale has a "tracked from" date) has no backlog.

Backlog alerts are raised like any other, so the sweep never raises them twice, but nobody is
told about them (tracker.services.alerts). Managers of the service work through them here:
each can be marked reviewed, and each closes itself when the event is recorded (the sweep
closes the alert as met).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Min, QuerySet
from django.utils import timezone

from permanence.access import child_visibility_q
from permanence.models import Child, Team, User
from permanence.roles import MANAGER_ROLES, TRACKING_ROLES
from tracker.dashboard.rag import STATUTORY_RULES
from tracker.models import Alert, Deadline, DeadlineRule

BACKLOG_ROLES = MANAGER_ROLES | TRACKING_ROLES
# Which items the page lists.
OUTSTANDING, REVIEWED, CLOSED = "outstanding", "reviewed", "closed"
STATES = [
    (OUTSTANDING, "Not yet reviewed"),
    (REVIEWED, "Reviewed, event not yet recorded"),
    (CLOSED, "Closed"),
]
EXPORT_COLUMNS = (
    "child_id",
    "child",
    "team",
    "rule",
    "due",
    "owner",
    "reviewed_on",
    "reviewed_by",
    "closed_on",
    "closed_because",
)


def go_live_date() -> dt.date | None:
    """The day the service went live: the earliest "tracked from" date of any timescale."""
    return DeadlineRule.objects.aggregate(on=Min("applies_from"))["on"]


def still_actionable(code: str) -> bool:
    """Whether a deadline of rule CODE overdue since before go-live still asks something of
    its owner today: the statutory ones do (the child is still owed an IRO, a review, the end
    of proceedings, the carers' approval). A local milestone whose day passed before the
    service went live (a panel, a PPN1, a meeting by a date) cannot be met late in any useful
    sense: managers review it on the backlog list instead."""
    return code in STATUTORY_RULES


def in_backlog(*, code: str, due: dt.date | None, status: str, went_live: dt.date | None) -> bool:
    """Whether a deadline is the go-live backlog that is no longer actionable: overdue, due
    before the service went live, and not statutory. Such a deadline is neither a child's next
    step nor a reason for the row's rating; it is listed once, on the managers' backlog page
    (and folded away on its owner's tasks)."""
    return bool(
        went_live is not None
        and due is not None
        and status == Deadline.Status.OVERDUE
        and due < went_live
        and not still_actionable(code)
    )


def may_see_backlog(user) -> bool:
    """Managers of a service (team manager, head of service, adoption, fostering and IRO
    managers) see its backlog."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.roles & BACKLOG_ROLES
        and user.oversight_service_id
    )


def _children(user: User) -> QuerySet[Child]:
    """The children of the user's service, as the one access rule allows them."""
    q = child_visibility_q(user)
    if q is None or not may_see_backlog(user):
        return Child.objects.none()
    return Child.objects.filter(q).filter(team__service_id=user.oversight_service_id)


def teams_for(user: User) -> QuerySet[Team]:
    if not may_see_backlog(user):
        return Team.objects.none()
    return Team.objects.filter(service_id=user.oversight_service_id).order_by("name")


def backlog_for_user(
    *, user: User, state: str = OUTSTANDING, team_id: int | None = None, rule_code: str = ""
) -> QuerySet[Alert]:
    """The backlog items of the children of the user's service, oldest first."""
    qs = Alert.objects.filter(backlog=True, child__in=_children(user).values("pk"))
    if state == CLOSED:
        qs = qs.filter(closed_at__isnull=False)
    else:
        qs = qs.filter(closed_at__isnull=True, reviewed_at__isnull=(state != REVIEWED))
    if team_id:
        qs = qs.filter(child__team_id=team_id)
    if rule_code:
        qs = qs.filter(rule__code=rule_code)
    return qs.select_related("child", "child__team", "rule", "owner", "reviewed_by").order_by(
        "due", "child__last_name", "child__first_name", "rule__order", "pk"
    )


def backlog_counts(*, user: User) -> dict[str, int]:
    """How many of the user's service's backlog items are in each state."""
    return {state: backlog_for_user(user=user, state=state).count() for state, _ in STATES}


def backlog_item_for_user(*, user: User, pk: int) -> Alert | None:
    return Alert.objects.filter(pk=pk, backlog=True, child__in=_children(user).values("pk")).first()


@transaction.atomic
def backlog_item_review(*, alert: Alert, by: User, now: dt.datetime | None = None) -> Alert:
    """A manager has looked at a backlog item: it leaves the list of those not yet reviewed and
    stays open until its event is recorded."""
    if backlog_item_for_user(user=by, pk=alert.pk) is None:
        raise PermissionDenied("Only a manager of the child's service may review this.")
    if alert.reviewed_at is None:
        alert.reviewed_at = now or timezone.now()
        alert.reviewed_by = by
        alert.full_clean()
        alert.save(update_fields=["reviewed_at", "reviewed_by"])
    return alert


def export_rows(rows: QuerySet[Alert]):
    for alert in rows:
        yield (
            alert.child.child_id,
            alert.child.full_name,
            alert.child.team.name,
            alert.rule.name,
            alert.due,
            str(alert.owner) if alert.owner else "",
            timezone.localdate(alert.reviewed_at) if alert.reviewed_at else "",
            str(alert.reviewed_by) if alert.reviewed_by else "",
            timezone.localdate(alert.closed_at) if alert.closed_at else "",
            alert.get_close_reason_display() if alert.close_reason else "",
        )
