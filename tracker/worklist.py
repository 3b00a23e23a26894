"""The social worker's tasks (issue 16): across all their children, soonest first, the actions
they own on plans (the forum's Part 2 tasks become these when Part 2 is sent, seed 000), the
actions meetings gave them, and the deadlines they own that are still open.

Reads only: the deadlines are the rows the sweep keeps (no date is worked out here), and every
item is of a child the reader may open (permanence.access, the one rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from forums.models import MeetingAction, Part2Task
from permanence.access import child_visibility_q
from permanence.dates import add_days
from permanence.models import Child, PlanAction, User
from permanence.prepared import prepared_for_reader
from tracker.backlog import go_live_date, in_backlog
from tracker.models import Deadline

PLAN_ACTION = "plan-action"
MEETING_ACTION = "meeting-action"
KINDS = (PLAN_ACTION, MEETING_ACTION)

# Where a deadline is met, for the rules whose page takes the child: the rest open the
# deadlines on the child's page, which say what meets each one.
_REVIEW_RULES = {"first_review", "second_review", "later_review", "sgo_referral"}
_MEETING_RULES = {
    "first_ppm",
    "ppm_monthly",
    "care_planning_meeting",
    "early_permanence_panel",
    "aep_papers",
}
OPEN_STATUSES = (Deadline.Status.OVERDUE, Deadline.Status.DUE_SOON, Deadline.Status.UPCOMING)


@dataclass(frozen=True)
class Item:
    """One thing to do: what, for which child, by when, and how it is done."""

    kind: str  # PLAN_ACTION, MEETING_ACTION or "deadline"
    kind_label: str
    what: str
    child: Child
    due: dt.date
    status: str  # "overdue", "due_today", "due_soon", "upcoming" or "to_do"
    status_label: str
    link: str
    link_text: str
    pk: int
    detail: str = ""
    # A deadline already overdue when the service went live (tracker.backlog).
    backlog: bool = False
    child_url: str = ""

    @property
    def can_tick(self) -> bool:
        return self.kind in KINDS


def _action_status(due: dt.date, today: dt.date) -> tuple[str, str]:
    if due < today:
        return "overdue", "Overdue"
    if due == today:
        return "due_today", "Due today"
    return "to_do", "To do"


class _Links(dict):
    """Addresses worked out once per page: a caseload's hundreds of items name the same few
    dozen children, and working an address out is not free."""

    def __missing__(self, key: tuple[str, int | None]) -> str:
        name, pk = key
        self[key] = address = reverse(name, args=[] if pk is None else [pk])
        return address

    def child(self, pk: int) -> str:
        return self["permanence:child-detail", pk]


# The reader's open items, each compiled once per kind of reader (permanence.prepared).


@prepared_for_reader
def _open_plan_actions(visible, user_id: int):
    return PlanAction.objects.filter(
        owner_id=user_id, done_on__isnull=True, plan__child_id__in=visible
    ).select_related("plan__child")


@prepared_for_reader
def _open_meeting_actions(visible, user_id: int):
    return MeetingAction.objects.filter(
        Q(owner_id=user_id) | Q(joint_owner_id=user_id),
        done_on__isnull=True,
        meeting__child_id__in=visible,
    ).select_related("meeting__child", "meeting__meeting_type")


@prepared_for_reader
def _open_deadlines(visible, user_id: int):
    rows = Deadline.objects.filter(
        owner_id=user_id,
        current=True,
        status__in=OPEN_STATUSES,
        due__isnull=False,
        child_id__in=visible,
    ).select_related("child", "rule")
    # Only what the list shows: a caseload of a hundred children has hundreds of deadlines, and
    # making each child whole (some fifty fields) was a third of the page's time.
    return rows.only(
        "due",
        "status",
        "child_id",
        "rule_id",
        "child__first_name",
        "child__last_name",
        "child__child_id",
        "rule__code",
        "rule__name",
        "rule__met_by",
    )


def _plan_actions(user: User, today: dt.date, links: _Links) -> list[Item]:
    actions = _open_plan_actions(user, user.pk) or []
    # A forum's Part 2 task becomes a plan action when Part 2 is sent: it links to that Part 2.
    part2_of = dict(
        Part2Task.objects.filter(plan_action_id__in=[a.pk for a in actions]).values_list(
            "plan_action_id", "part2__booking_id"
        )
    )
    items = []
    for action in actions:
        status, label = _action_status(action.due_on, today)
        booking_id = part2_of.get(action.pk)
        if booking_id is not None:
            kind_label, link = (
                "Forum task (Part 2)",
                reverse("forums:part2-detail", args=[booking_id]),
            )
            link_text = "Part 2"
        else:
            kind_label, link, link_text = "Plan action", action.plan.get_absolute_url(), "Plan"
        items.append(
            Item(
                kind=PLAN_ACTION,
                kind_label=kind_label,
                what=action.what,
                child=action.plan.child,
                child_url=links.child(action.plan.child_id),
                due=action.due_on,
                status=status,
                status_label=label,
                link=link,
                link_text=link_text,
                pk=action.pk,
            )
        )
    return items


def _meeting_actions(user: User, today: dt.date, links: _Links) -> list[Item]:
    actions = _open_meeting_actions(user, user.pk) or []
    items = []
    for action in actions:
        status, label = _action_status(action.due_on, today)
        items.append(
            Item(
                kind=MEETING_ACTION,
                kind_label="Meeting action",
                what=action.what,
                child=action.meeting.child,
                child_url=links.child(action.meeting.child_id),
                due=action.due_on,
                status=status,
                status_label=label,
                link=action.meeting.get_absolute_url(),
                link_text=str(action.meeting.meeting_type),
                pk=action.pk,
            )
        )
    return items


def _deadline_link(deadline: Deadline, links: _Links) -> tuple[str, str]:
    code, child_id = deadline.rule.code, deadline.child_id
    if code in _REVIEW_RULES:
        return links["reviews:child-reviews", child_id], "Reviews"
    if code in _MEETING_RULES:
        return f"{links['forums:meeting-create', None]}?child={child_id}", "Book a meeting"
    if code == "part1_submitted":
        return links["forums:home", None], "Forum bookings"
    return f"{links.child(child_id)}#deadlines", "Child's deadlines"


def _deadlines(user: User, go_live: dt.date | None, links: _Links) -> list[Item]:
    rows = _open_deadlines(user, user.pk) or []
    items = []
    for deadline in rows:
        link, link_text = _deadline_link(deadline, links)
        items.append(
            Item(
                kind="deadline",
                kind_label="Deadline",
                what=deadline.rule.name,
                child=deadline.child,
                child_url=links.child(deadline.child_id),
                due=deadline.due,
                status=deadline.status,
                status_label=Deadline.Status(deadline.status).label,
                link=link,
                link_text=link_text,
                pk=deadline.pk,
                detail=f"Met when {deadline.rule.met_by}.",
                backlog=in_backlog(
                    code=deadline.rule.code,
                    due=deadline.due,
                    status=deadline.status,
                    went_live=go_live,
                ),
            )
        )
    return items


def tasks_for_user(*, user: User, today: dt.date | None = None) -> list[Item]:
    """Every open item USER owns on a child they may open, soonest first (five queries,
    however many items)."""
    if child_visibility_q(user) is None:
        return []
    today = today or timezone.localdate()
    links = _Links()
    items = (
        _plan_actions(user, today, links)
        + _meeting_actions(user, today, links)
        + _deadlines(user, go_live_date(), links)
    )
    items.sort(key=lambda i: (i.due, i.child.last_name, i.child.first_name, i.what, i.pk))
    return items


# How far ahead "coming up" looks; later items are folded away on the page.
SOON_DAYS = 28


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    items: list[Item]
    folded: bool = False


def sections(items: list[Item], *, today: dt.date | None = None) -> list[Section]:
    """The items as the page shows them: overdue, coming up in the next four weeks, later, and
    the deadlines already overdue when the service went live (each list soonest first)."""
    today = today or timezone.localdate()
    soon = add_days(today, SOON_DAYS)
    backlog = [i for i in items if i.backlog]
    rest = [i for i in items if not i.backlog]
    return [
        Section("overdue", "Overdue", [i for i in rest if i.due < today]),
        Section("soon", "Due in the next four weeks", [i for i in rest if today <= i.due <= soon]),
        Section("later", "Later", [i for i in rest if i.due > soon], folded=True),
        Section(
            "backlog",
            "Overdue since before the service went live",
            backlog,
            folded=True,
        ),
    ]


def action_for_user(*, user: User, kind: str, pk: int):
    """The open action KIND/PK that USER owns on a child they may open, or None."""
    q = child_visibility_q(user)
    if q is None or kind not in KINDS:
        return None
    children = Child.objects.filter(q).values("pk")
    if kind == PLAN_ACTION:
        qs = PlanAction.objects.filter(owner=user, plan__child_id__in=children)
        return qs.select_related("plan").filter(pk=pk).first()
    qs = MeetingAction.objects.filter(
        Q(owner=user) | Q(joint_owner=user), meeting__child_id__in=children
    )
    return qs.select_related("meeting").filter(pk=pk).first()
