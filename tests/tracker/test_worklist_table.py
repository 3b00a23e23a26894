"""The rows of Your tasks are written in Python (tracker/worklist_table.py, issue 19). Each row
must say what the template said: due date and how near, what it is, the child, a "Done" button
only for an action the reader may tick (with the page's CSRF token), and where it is done, with
every text escaped."""

from __future__ import annotations

import datetime as dt
from html import unescape

from django.urls import reverse

from permanence.models import Child
from tracker.worklist import MEETING_ACTION, PLAN_ACTION, Item
from tracker.worklist_table import rows_html

CHILD = Child(pk=5, first_name="Ava", last_name="O'Neil <b>", child_id="C005")


def _item(kind: str, **fields) -> Item:
    values = {
        "kind": kind,
        "kind_label": "Plan action",
        "what": "Book the <parenting> assessment",
        "child": CHILD,
        "due": dt.date(2026, 12, 3),
        "status": "overdue",
        "status_label": "Overdue",
        "link": "/children/5/plan/?a=1&b=2",
        "link_text": "Open the plan",
        "pk": 71,
        "child_url": "/children/5/",
    }
    values.update(fields)
    return Item(**values)


def _rows(items, may_tick=False) -> list[str]:
    html = str(rows_html(items, csrf_token="TOKEN", may_tick_meeting_actions=may_tick))
    return html.split('<tr class="govuk-table__row">')[1:]


def test_a_plan_action_has_its_done_button_and_every_text_escaped():
    [row] = _rows([_item(PLAN_ACTION, detail="From the forum & the chair")])
    assert "<b>" not in row and "<parenting>" not in row and "&b=" not in row
    text = unescape(row)
    assert '<td class="govuk-table__cell">3 Dec 2026</td>' in text
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in text
    assert "Book the <parenting> assessment<br>" in text
    assert "From the forum & the chair" in text
    assert '<a class="govuk-link" href="/children/5/">Ava O\'Neil <b></a>' in text
    assert f'action="{reverse("tracker:task-done", args=[PLAN_ACTION, 71])}"' in text
    assert 'name="csrfmiddlewaretoken" value="TOKEN"' in text
    assert 'Done<span class="govuk-visually-hidden">: Book the <parenting> assessment for' in text
    assert 'href="/children/5/plan/?a=1&b=2">Open the plan<span' in text


def test_a_meeting_action_is_ticked_only_by_those_who_may_change_meetings():
    item = _item(MEETING_ACTION, status="due_soon", status_label="To do")
    [without] = _rows([item], may_tick=False)
    [with_permission] = _rows([item], may_tick=True)
    assert "<form" not in without and "govuk-tag--orange" in without
    assert reverse("tracker:task-done", args=[MEETING_ACTION, 71]) in with_permission


def test_a_deadline_has_no_done_button_and_each_status_its_colour():
    rows = _rows(
        [
            _item("deadline", status="upcoming", status_label="Upcoming"),
            _item("deadline", status="to_do", status_label="To do"),
        ],
        may_tick=True,
    )
    assert all("<form" not in row for row in rows)
    assert "govuk-tag--blue" in rows[0] and "govuk-tag--grey" in rows[1]


def test_a_long_action_is_cut_short_in_the_buttons_words_only():
    what = "x" * 120
    [row] = _rows([_item(PLAN_ACTION, what=what)])
    assert f"<br>{what}" in row  # the whole of it in the row
    assert f": {'x' * 79}… for" in row  # 80 characters in the button's hidden words
