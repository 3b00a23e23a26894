"""The rows of the deadlines page and of a child's deadlines are written in Python
(tracker/deadline_table.py, issue 19). Each row must say what the templates said: the child
(linked to their deadlines), the deadline, when it is due (with the time when due by one), its
status tag (backlog marked), when it was met and who owns it, with every text escaped."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from permanence.models import Child, Team, User
from tracker.deadline_table import child_rows_html, due_html, list_rows_html, status_html
from tracker.models import Deadline, DeadlineRule

TEAM = Team(pk=3, name="North & <East>")
CHILD = Child(pk=5, first_name="Ava", last_name="O'Neil <b>", child_id="C005", team=TEAM)
RULE = DeadlineRule(
    code="second-review",
    name="Second review <statutory>",
    counts_from="the first review",
    amount=3,
    unit="months",
    direction="after",
    owner_role="iro",
)
GO_LIVE = dt.date(2026, 6, 1)


def _deadline(**fields) -> Deadline:
    values = {
        "child": CHILD,
        "rule": RULE,
        "due": dt.date(2026, 3, 4),
        "status": Deadline.Status.OVERDUE,
        "anchor_on": dt.date(2025, 12, 4),
    }
    values.update(fields)
    return Deadline(**values)


def _cells(html: str) -> list[str]:
    return [
        cell.split("</td>")[0] for cell in str(html).split('<td class="govuk-table__cell">')[1:]
    ]


def test_a_deadline_page_row_names_the_child_linked_to_their_deadlines_escaped():
    child, rule, due, status, met, owner = _cells(list_rows_html([_deadline()], GO_LIVE))
    assert child == (
        '<a class="govuk-link" href="/children/5/#deadlines">Ava O&#x27;Neil &lt;b&gt;</a><br>'
        '<span class="govuk-body-s">C005, North &amp; &lt;East&gt;</span>'
    )
    assert rule == "Second review &lt;statutory&gt;"
    assert due == "4 Mar 2026"
    assert met == "–"
    assert owner == "Not allocated"


def test_due_with_its_time_of_day_in_the_local_zone_or_no_date_yet():
    due_at = dt.datetime(2026, 7, 1, 16, 0, tzinfo=ZoneInfo("UTC"))  # 17:00 in London (BST)
    with timezone.override("Europe/London"):
        assert due_html(_deadline(due=dt.date(2026, 7, 1), due_at=due_at)) == "17:00, 1 Jul 2026"
    assert (
        due_html(_deadline(due=None)) == '<span class="govuk-visually-hidden">No date yet</span>–'
    )


@pytest.mark.parametrize(
    ("status", "outcome", "tag"),
    [
        ("overdue", "open", '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'),
        ("due_soon", "open", '<strong class="govuk-tag govuk-tag--orange">Due soon</strong>'),
        ("upcoming", "open", '<strong class="govuk-tag govuk-tag--blue">Upcoming</strong>'),
        ("met", "on_time", '<strong class="govuk-tag govuk-tag--green">Met</strong>'),
        ("met", "late", '<strong class="govuk-tag govuk-tag--green">Met late</strong>'),
        (
            "not_yet_applicable",
            "open",
            '<strong class="govuk-tag govuk-tag--grey">Not yet applicable</strong>',
        ),
    ],
)
def test_each_status_has_its_tag(status, outcome, tag):
    assert status_html(_deadline(status=status, outcome=outcome, due=GO_LIVE)) == tag


def test_only_an_overdue_deadline_due_before_go_live_is_marked_as_backlog():
    backlog = "Backlog at go-live: already overdue when the service went live"
    before = GO_LIVE - dt.timedelta(days=1)
    assert backlog in status_html(_deadline(due=before), GO_LIVE)
    assert backlog not in status_html(_deadline(due=GO_LIVE), GO_LIVE)
    assert backlog not in status_html(_deadline(due=before), None)
    assert backlog not in status_html(_deadline(due=before, status="due_soon"), GO_LIVE)


def test_the_owner_is_the_person_the_cps_duty_desk_or_nobody():
    person = User(pk=9, first_name="Sam", last_name="<Lee>", username="slee")
    desk = DeadlineRule(**{**_rule_fields(), "owner_role": "cps_duty"})
    owners = [
        _cells(list_rows_html([_deadline(owner=person)], None))[-1],
        _cells(list_rows_html([_deadline(rule=desk)], None))[-1],
        _cells(child_rows_html([_deadline()]))[-1],
    ]
    assert owners == [str(person).replace("<", "&lt;").replace(">", "&gt;"), "CPS duty", "–"]


def _rule_fields() -> dict:
    return {f.attname: getattr(RULE, f.attname) for f in DeadlineRule._meta.concrete_fields}


def test_a_child_page_row_says_the_timescale_and_what_it_counts_from():
    rule, counts_from, due, status, met, owner = _cells(
        child_rows_html([_deadline(status="met", outcome="on_time", met_on=dt.date(2026, 3, 1))])
    )
    assert rule == (
        f'Second review &lt;statutory&gt;<br><span class="govuk-body-s">{RULE.describe()}</span>'
    )
    assert counts_from == "4 Dec 2025"
    assert met == "1 Mar 2026"
    [waiting] = _cells(child_rows_html([_deadline(anchor_on=None)]))[1:2]
    assert waiting == "Waiting for the first review"
