"""The IRO's table of children and reviews is written in Python (reviews/tables.py, issue 19).
Each row must say what the template said: the child linked to their reviews, their number, the
day they became looked after, the next review (due date, state, booking), the last review held
and the plan, with every text escaped."""

from __future__ import annotations

import datetime as dt
from html import unescape

from django.urls import reverse

from permanence.models import Child, Plan
from permanence.models.plans import Route, Status
from permanence.plans.selectors import STATUS_TAGS
from reviews.models import Review
from reviews.selectors import DUE_STATE_TAGS, CaseloadRow, NextReview
from reviews.tables import caseload_rows_html, next_review_html


def _child() -> Child:
    return Child(pk=12, first_name="Ava", last_name="O'Neil <b>", child_id="C012")


def test_a_row_with_a_booked_review_a_last_review_and_a_plan():
    booked = Review(sequence=3, kind=Review.Kind.STATUTORY, due_on=dt.date(2026, 12, 20))
    booked.planned_on = dt.date(2026, 12, 18)
    row = CaseloadRow(
        child=_child(),
        since=dt.date(2025, 3, 1),
        next_review=NextReview(3, dt.date(2026, 12, 20), "due_soon", booked),
        plan=Plan(route=Route.ADOPTION, status=Status.RATIFIED),
        last_held_on=dt.date(2026, 6, 20),
        awaiting_ppn1=False,
    )
    html = str(caseload_rows_html([row]))
    assert "<b>" not in html and "O&#x27;Neil &lt;b&gt;" in html
    assert f'href="{reverse("reviews:child-reviews", args=[12])}"' in html
    cells = [unescape(cell.split("</td>")[0]) for cell in html.split("<td")[1:]]
    assert cells[0].endswith('>Ava O\'Neil <b></a><br><span class="govuk-body-s">C012</span>')
    assert cells[1].endswith(">1 Mar 2025")
    assert cells[2].endswith(
        f'>Third review: due 20 December 2026 <strong class="govuk-tag '
        f'{DUE_STATE_TAGS["due_soon"]}">Due soon</strong><br>Booked for 18 December 2026'
    )
    assert cells[3].endswith(">20 Jun 2026")
    assert cells[4].endswith(
        f'>Adoption <strong class="govuk-tag {STATUS_TAGS[Status.RATIFIED]}">Ratified</strong>'
    )


def test_a_row_with_no_review_held_and_no_plan():
    row = CaseloadRow(
        child=_child(),
        since=dt.date(2026, 11, 1),
        next_review=NextReview(1, dt.date(2026, 11, 28), "overdue"),
        plan=None,
        last_held_on=None,
        awaiting_ppn1=False,
    )
    cells = [cell.split("</td>")[0] for cell in str(caseload_rows_html([row])).split("<td")[1:]]
    assert "First review: due 28 November 2026" in cells[2] and "Booked" not in cells[2]
    assert cells[3].endswith(">None yet")
    assert cells[4].endswith(">No plan yet")


def test_no_next_review_writes_nothing():
    assert next_review_html(None) == ""
