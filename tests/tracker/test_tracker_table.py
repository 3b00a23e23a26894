"""The tracker's table rows are written in Python (tracker/dashboard/table.py, issue 19). Each
row must say what the page said when a template wrote it: the child, with links to their page
and chronology; team, worker and IRO; care and court; the plan and family finding; the next
step and how near its deadline is; the overdue count; the RAG rating and why. Every text from
the database is escaped."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from django.template import Context, Template
from django.urls import reverse

from permanence.models import Team, User
from permanence.plans.selectors import STATUS_TAGS
from tracker.dashboard.family_finding import Stage
from tracker.dashboard.models import TrackerRow
from tracker.dashboard.selectors import DEADLINE_TAGS
from tracker.dashboard.table import TrackerTable, rag_tag
from tracker.models import DeadlineRule

TODAY = dt.date(2026, 12, 4)


class _Cells(HTMLParser):
    """Each row's cells' text, and the links and tags written."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[str] = []
        self.tags: list[str] = []
        self.titles: list[str] = []
        self._in_cell = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self.rows[-1].append("")
            self._in_cell = True
        elif tag == "a":
            self.links.append(attrs["href"])
        elif tag == "strong":
            self.tags.append(attrs["class"])
        elif tag == "abbr":
            self.titles.append(attrs["title"])
        elif tag == "br" and self._in_cell:
            self.rows[-1][-1] += " | "

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.rows[-1][-1] += data


def _row(**fields) -> TrackerRow:
    values = {
        "child_id": 41,
        "child_ref": "C041",
        "first_name": "Ava",
        "last_name": "O'Neil <b>",
        "team": Team(name="North & East"),
        "court_stage": "none",
        "rag": "green",
        "computed_rag": "green",
        "overdue_count": 0,
    }
    values.update(fields)
    return TrackerRow(**values)


def _render(table: TrackerTable) -> str:
    return Template("{{ table }}").render(Context({"table": table}))


def _table(*rows, stages=None) -> _Cells:
    table = TrackerTable(
        rows=list(rows),
        stages=stages or {},
        legal_statuses={"C2": "Full care order"},
        deadline_tags=DEADLINE_TAGS,
    )
    return _Cells(_render(table))


def test_a_child_with_everything_recorded():
    worker = User(first_name="Sam", last_name="Lee", username="sam")
    iro = User(first_name="Ira", last_name="Moss", username="ira")
    rule = DeadlineRule(code="x", name="Second looked-after review")
    row = _row(
        social_worker=worker,
        iro=iro,
        legal_status="C2",
        period_start=TODAY - dt.timedelta(weeks=30),
        court_stage="issued",
        route="adoption",
        plan_status="ratified",
        contingency_route="long_term_fostering",
        next_rule=rule,
        next_due=dt.date(2026, 12, 1),
        next_status="overdue",
        overdue_count=2,
        rag="red",
        computed_rag="amber",
        panel_rag="red",
        panel_on=dt.date(2026, 11, 3),
        sibling_count=2,
        sibling_placement="together",
    )
    stage = Stage("searching", TODAY - dt.timedelta(days=12), TODAY)
    cells = _table(row, stages={41: stage})
    [child, team, care, plan, step, overdue, rag] = cells.rows[0]
    assert child.startswith("Ava O'Neil <b> | C041 | ")
    assert "Chronology for Ava O'Neil <b>" in child
    assert cells.links == [
        reverse("permanence:child-detail", args=[41]),
        reverse("tracker:chronology", args=[41]),
    ]
    assert team == f"North & East | Worker: {worker} | IRO: {iro}"
    assert care.startswith("C2, ") and "week" in care and care.endswith("Care proceedings issued")
    assert cells.titles == ["Full care order"]
    assert plan.startswith("Adoption | Ratified | Contingency: ")
    assert plan.endswith("Family finding, stage 2 of 8: searching for a family, 12 days")
    assert "Second looked-after review | 1 Dec 2026 Overdue" in step
    assert overdue == "2"
    assert rag.startswith("Red")
    assert "Panel 3 Nov 2026: Red | Rules: Amber" in rag
    # The plan's status, the deadline's "Overdue" and the rating "Red", each coloured.
    assert cells.tags == [
        f"govuk-tag {STATUS_TAGS['ratified']}",
        "govuk-tag govuk-tag--red",
        "govuk-tag govuk-tag--red",
    ]


def test_a_child_with_nothing_recorded_yet():
    cells = _table(_row())
    [child, team, care, plan, step, overdue, rag] = cells.rows[0]
    assert child == "Ava O'Neil <b> | C041 | Chronology for Ava O'Neil <b>"
    assert team == "North & East | Worker: not allocated | IRO: not allocated"
    assert care.strip() == "Not looked after now"
    assert plan == "No plan yet"
    assert step.endswith("None")
    assert overdue == "0"
    assert rag.strip() == "Green"


def test_a_disrupted_plans_family_finding_is_history():
    row = _row(route="adoption", plan_status="disrupted", legal_status="C2")
    stage = Stage("panel", TODAY - dt.timedelta(days=40), TODAY)
    [_, _, care, plan, *_] = _table(row, stages={41: stage}).rows[0]
    assert plan.endswith(
        "Family finding had reached stage 5 of 8 (at panel) before the plan disrupted"
    )
    assert care.startswith("C2, 0 weeks looked after")  # no period of care recorded


def test_nothing_written_is_left_unescaped():
    html = _render(
        TrackerTable(
            rows=[_row(legal_status="<x>", court_stage="issued", sibling_count=1)],
            stages={},
            legal_statuses={},
            deadline_tags=DEADLINE_TAGS,
        )
    )
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "<x>" not in html and 'title="&lt;x&gt;"' in html
    assert "North &amp; East" in html


def test_a_rag_tag_for_each_rating_and_none():
    assert rag_tag("red") == '<strong class="govuk-tag govuk-tag--red">Red</strong>'
    assert "govuk-tag--orange" in rag_tag("amber") and "Amber" in rag_tag("amber")
    assert "govuk-tag--green" in rag_tag("green")
    assert "No rating" in rag_tag("")
