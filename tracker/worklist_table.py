"""The rows of Your tasks, written in Python (issue 19).

A social worker with a large caseload has a hundred and fifty or more open items; looked up one
value at a time by the template engine they were most of the page's processor time. Written
here each row says what the template said: when it is due and how near that is, what it is, the
child (linked to their page), the "Done" button for an action the reader may tick, and the link
to where it is done. Every text from the database is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from permanence.escaping import short_date, text
from tracker.dashboard.selectors import DEADLINE_TAGS
from tracker.worklist import MEETING_ACTION, PLAN_ACTION

# The deadlines' colours; an action due today is as near as a deadline due soon.
STATUS_TAGS = {status: tag for status, (_, tag) in DEADLINE_TAGS.items()}
STATUS_TAGS["due_today"] = STATUS_TAGS["due_soon"]
_CELL = '<td class="govuk-table__cell">'


def _may_tick(kind: str, may_tick_meeting_actions: bool) -> bool:
    """The reader's own plan actions, and a meeting's actions when they may change meetings."""
    return kind == PLAN_ACTION or (kind == MEETING_ACTION and may_tick_meeting_actions)


def rows_html(items: Iterable, *, csrf_token: str, may_tick_meeting_actions: bool) -> SafeString:
    """The table body for ITEMS (`worklist.Item`), each "Done" form carrying CSRF_TOKEN."""
    e = text
    token = e(csrf_token)
    out = []
    for item in items:
        child_name = e(item.child.full_name)
        tag = STATUS_TAGS.get(item.status, "govuk-tag--grey")
        detail = f'<br><span class="govuk-body-s">{e(item.detail)}</span>' if item.detail else ""
        done = ""
        if _may_tick(item.kind, may_tick_meeting_actions):
            action = reverse("tracker:task-done", args=[item.kind, item.pk])
            done = (
                f'<form method="post" action="{action}">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
                '<button type="submit" class="govuk-button govuk-button--secondary '
                'govuk-!-margin-bottom-1" data-module="govuk-button">Done<span '
                f'class="govuk-visually-hidden">: {e(Truncator(item.what).chars(80))} for '
                f"{child_name}</span></button></form>"
            )
        out.append(
            f'<tr class="govuk-table__row">{_CELL}{short_date(item.due)}</td>'
            f'{_CELL}<strong class="govuk-tag {tag}">{e(item.status_label)}</strong></td>'
            f'{_CELL}<span class="govuk-body-s">{e(item.kind_label)}</span><br>{e(item.what)}'
            f"{detail}</td>"
            f'{_CELL}<a class="govuk-link" href="{e(item.child_url)}">{child_name}</a><br>'
            f'<span class="govuk-body-s">{e(item.child.child_id)}</span></td>'
            f'{_CELL}{done}<a class="govuk-link" href="{e(item.link)}">{e(item.link_text)}'
            f'<span class="govuk-visually-hidden"> for {child_name}</span></a></td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)
