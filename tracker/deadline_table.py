"""The rows of the deadlines page and of a child's deadlines, written in Python (issue 19).

The deadlines page lists fifty deadlines, each with its child, due date, status tag and owner;
looked up one value at a time, through two included templates a row, they were most of the
page's processor time. Written here each row says what the templates said. Every text from the
database is escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.safestring import SafeString, mark_safe

from permanence.escaping import short_date, text
from permanence.roles import Role
from tracker.dashboard.selectors import DEADLINE_TAGS
from tracker.models import Deadline

_CELL = '<td class="govuk-table__cell">'
_BACKLOG = (
    '<br><span class="govuk-body-s">Backlog at go-live: already overdue when the service went '
    "live</span>"
)


def _day(day: dt.date | None) -> str:
    return short_date(day) if day else "–"


def due_html(deadline: Deadline) -> str:
    """When it is due: the time of day too when it is due by one."""
    if deadline.due_at:
        return f"{format_date(timezone.localtime(deadline.due_at), 'H:i')}, {_day(deadline.due)}"
    if deadline.due:
        return _day(deadline.due)
    return '<span class="govuk-visually-hidden">No date yet</span>–'


def status_html(deadline: Deadline, go_live: dt.date | None = None) -> str:
    """Its status as a coloured tag; an overdue one due before GO_LIVE is marked as backlog."""
    status = deadline.status
    if status in DEADLINE_TAGS:
        label, colour = DEADLINE_TAGS[status]
    elif status == Deadline.Status.MET:
        label, colour = ("Met late" if deadline.met_late else "Met"), "govuk-tag--green"
    else:
        label, colour = Deadline.Status.NOT_YET_APPLICABLE.label, "govuk-tag--grey"
    tag = f'<strong class="govuk-tag {colour}">{label}</strong>'
    overdue = status == Deadline.Status.OVERDUE
    if go_live and overdue and deadline.due and deadline.due < go_live:
        tag += _BACKLOG
    return tag


def _owner(deadline: Deadline, nobody: str) -> str:
    if deadline.owner:
        return text(deadline.owner)
    return "CPS duty" if deadline.rule.owner_role == Role.CPS_DUTY else nobody


def list_rows_html(deadlines: Iterable[Deadline], go_live: dt.date | None) -> SafeString:
    """The deadlines page's table body: the child (linked to their deadlines), the deadline,
    when it is due, its status, when it was met and who owns it."""
    out = []
    for deadline in deadlines:
        child = deadline.child
        out.append(
            f'<tr class="govuk-table__row">{_CELL}<a class="govuk-link" '
            f'href="{text(child.get_absolute_url())}#deadlines">{text(child.full_name)}</a><br>'
            f'<span class="govuk-body-s">{text(child.child_id)}, {text(child.team)}</span></td>'
            f"{_CELL}{text(deadline.rule.name)}</td>"
            f"{_CELL}{due_html(deadline)}</td>"
            f"{_CELL}{status_html(deadline, go_live)}</td>"
            f"{_CELL}{_day(deadline.met_on)}</td>"
            f"{_CELL}{_owner(deadline, 'Not allocated')}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)


def child_rows_html(deadlines: Iterable[Deadline]) -> SafeString:
    """A child's deadlines table body: the deadline and its timescale in words, the day it
    counts from (or the event it waits for), when it is due, its status, when it was met and who
    owns it."""
    out = []
    for deadline in deadlines:
        rule = deadline.rule
        counts_from = (
            _day(deadline.anchor_on)
            if deadline.anchor_on
            else f"Waiting for {text(rule.counts_from)}"
        )
        out.append(
            f'<tr class="govuk-table__row">{_CELL}{text(rule.name)}<br>'
            f'<span class="govuk-body-s">{text(rule.describe())}</span></td>'
            f"{_CELL}{counts_from}</td>"
            f"{_CELL}{due_html(deadline)}</td>"
            f"{_CELL}{status_html(deadline)}</td>"
            f"{_CELL}{_day(deadline.met_on)}</td>"
            f"{_CELL}{_owner(deadline, '–')}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)
