"""The IRO's table of children and reviews, written in Python (issue 19).

An IRO has a hundred or more children; looked up one value at a time by the template engine
their rows were half the page's processor time. Written here they say what the template said:
the child (linked to their reviews) and number, the day they became looked after, the next
review with its due date, state and booking, the last review held, and the plan. Every text
from the database is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

from permanence.addresses import address
from permanence.escaping import long_date, short_date, text

_CELL = '<td class="govuk-table__cell">'


def next_review_html(upcoming) -> SafeString:
    """The next review (`selectors.NextReview`): its title, due date and state, and the day it
    is booked for; nothing when there is none."""
    if not upcoming:
        return mark_safe("")  # noqa: S308 (nothing to show)
    out = (
        f"{text(upcoming.title)}: due {long_date(upcoming.due_on)} "
        f'<strong class="govuk-tag {upcoming.tag}">{text(upcoming.state_label)}'
        "</strong>"
    )
    booked = upcoming.booked
    if booked is not None and booked.planned_on:
        out += f"<br>Booked for {long_date(booked.planned_on)}"
    return mark_safe(out)  # noqa: S308 (every text above is escaped)


def caseload_rows_html(rows: Iterable) -> SafeString:
    """The table body for an IRO's caseload rows (`selectors.CaseloadRow`)."""
    out = []
    for row in rows:
        child = row.child
        plan = row.plan
        if plan is not None:
            plan_text = (
                f"{text(plan.get_route_display())} "
                f'<strong class="govuk-tag {row.plan_tag}">'
                f"{text(plan.get_status_display())}</strong>"
            )
        else:
            plan_text = "No plan yet"
        last = short_date(row.last_held_on) if row.last_held_on else "None yet"
        out.append(
            f'<tr class="govuk-table__row">{_CELL}<a class="govuk-link" '
            f'href="{address("reviews:child-reviews", child.pk)}">'
            f"{text(child.full_name)}</a><br>"
            f'<span class="govuk-body-s">{text(child.child_id)}</span></td>'
            f"{_CELL}{short_date(row.since) if row.since else ''}</td>"
            f"{_CELL}{next_review_html(row.next_review)}</td>"
            f"{_CELL}{last}</td>"
            f"{_CELL}{plan_text}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)
