"""Measures of performance for managers, each with a chart and a table, by team and period
(SPEC §6; seeds 002 §12, 004). They count the stored tracker rows and alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from permanence.models.plans import Route, Status
from tests.factories.permanence import ChildFactory, ServiceFactory, TeamFactory
from tracker.dashboard import measures
from tracker.dashboard.forms import period_bounds
from tracker.dashboard.models import TrackerRow
from tracker.models import Alert, DeadlineRule

pytestmark = pytest.mark.django_db

D = dt.date
START, END = D(2025, 4, 1), D(2026, 3, 31)
URL = "/tracker/measures/"


def row(team, **fields) -> TrackerRow:
    """A tracker row as the refresh would store it, with the dates a test is about."""
    child = ChildFactory(team=team)
    values = {
        "child_ref": child.child_id,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "sort_name": child.last_name.lower(),
        "team": team,
        "service": team.service,
        "court_stage": "none",
        "computed_rag": "green",
        "rag": "green",
        "rag_rank": 2,
        "refreshed_at": timezone.now(),
    }
    values.update(fields)
    # A refresh may already have stored the child's row (when changes commit at once).
    return TrackerRow.objects.update_or_create(child=child, defaults=values)[0]


def rows_of(*teams):
    return TrackerRow.objects.filter(team__in=teams)


def test_share_ratified_by_the_second_review(team, other_team):
    due = D(2025, 9, 1)
    row(
        team,
        second_review_due=due,
        second_review_held_on=D(2025, 9, 3),
        first_ratified_on=D(2025, 9, 3),
    )
    row(
        team,
        second_review_due=due,
        second_review_held_on=D(2025, 9, 3),
        first_ratified_on=D(2025, 10, 1),
    )
    row(team, second_review_due=due)  # no plan ratified
    row(
        other_team, second_review_due=due, first_ratified_on=D(2025, 8, 1)
    )  # not held yet, ratified
    row(
        team, second_review_due=D(2024, 9, 1), first_ratified_on=D(2024, 9, 1)
    )  # outside the period
    measure = measures.ratified_by_second_review(rows_of(team, other_team), START, END)
    assert measure.summary == "50% (2 of 4)"
    assert measure.table.rows == [
        ["North team", "3", "1", "2", "33%"],
        ["South team", "1", "1", "0", "100%"],
        ["All teams", "4", "2", "2", "50%"],
    ]
    assert [bar.label for bar in measure.chart.bars] == ["All teams", "North team", "South team"]


def test_median_days_to_a_ratified_plan_and_to_permanence(team):
    began = D(2025, 1, 6)
    row(team, route=Route.ADOPTION, period_start=began, first_ratified_on=began + dt.timedelta(100))
    row(team, route=Route.ADOPTION, period_start=began, first_ratified_on=began + dt.timedelta(200))
    row(
        team,
        route=Route.SGO_CAO,
        period_start=began,
        first_ratified_on=began + dt.timedelta(120),
        achieved_on=began + dt.timedelta(300),
    )
    measure = measures.days_to_plan_and_permanence(rows_of(team), START, END)
    assert measure.summary == "Median 120 days to a ratified plan; 300 days to permanence"
    by_route = {r[0]: r[1:] for r in measure.table.rows}
    assert by_route["Adoption"] == ["2", "150 days", "0", "–"]
    assert by_route["SGO or CAO"] == ["1", "120 days", "1", "300 days"]
    assert by_route["Every route"] == ["3", "120 days", "1", "300 days"]


def test_adoption_scorecard_a1_a2_a10(team):
    row(
        team,
        period_start=D(2024, 1, 1),
        placed_for_adoption_on=D(2024, 11, 1),  # 305 days
        moved_in_with_adopters_on=D(2024, 3, 1),  # 60 days: adopted by the foster carers
        placement_order_on=D(2024, 7, 1),
        match_decided_on=D(2024, 10, 1),  # 92 days
        adopted_on=D(2025, 6, 2),
    )
    row(
        team,
        period_start=D(2024, 1, 1),
        placed_for_adoption_on=D(2025, 3, 2),  # 426 days
        moved_in_with_adopters_on=D(2025, 3, 2),
        placement_order_on=D(2024, 9, 1),  # no matching panel: the day placed, 182 days
        adopted_on=D(2025, 9, 1),
    )
    row(
        team,
        period_start=D(2020, 1, 1),
        placed_for_adoption_on=D(2021, 1, 1),
        adopted_on=D(2022, 1, 1),
    )
    measure = measures.adoption_scorecard(rows_of(team), START, END)
    assert measure.summary == "2 children adopted"
    assert measure.table.rows == [
        [
            "A1: Entering care to moving in with the adoptive family",
            "2",
            "366 days",
            "426 days",
            "Yes",
        ],
        [
            "A2: Court authority to place to the match with a family",
            "2",
            "137 days",
            "121 days",
            "No",
        ],
        ["A10: A1, adjusted for foster carers who adopt", "2", "243 days", "426 days", "Yes"],
    ]
    # Each bar carries its threshold's mark.
    assert [bar.target_x is not None for bar in measure.chart.bars] == [True, True, True]


def test_proceedings_against_26_weeks(team):
    issued = D(2025, 5, 1)
    row(
        team,
        court_stage="concluded",
        proceedings_issued_on=issued,
        proceedings_concluded_on=issued + dt.timedelta(181),
    )  # the last day of week 26
    row(
        team,
        court_stage="concluded",
        proceedings_issued_on=issued,
        proceedings_concluded_on=issued + dt.timedelta(182),
    )  # a day late
    today = D(2026, 3, 31)
    row(team, court_stage="issued", proceedings_issued_on=today - dt.timedelta(300))
    row(team, court_stage="issued", proceedings_issued_on=today - dt.timedelta(10))
    measure = measures.proceedings_against_26_weeks(rows_of(team), START, END, today)
    assert measure.summary == "50% of 2 concluded within 26 weeks; 1 open beyond 26 weeks"
    assert measure.table.rows == [
        ["Within 26 weeks", "1", "1"],
        ["27 to 39 weeks", "1", "0"],
        ["40 to 52 weeks", "0", "1"],
        ["More than 52 weeks", "0", "0"],
    ]


def test_overdue_alerts_by_rule(team, other_team):
    first, cpm = (
        DeadlineRule.objects.get(code="first_review"),
        DeadlineRule.objects.get(code="care_planning_meeting"),
    )
    now = timezone.now()
    for when, rule, closed in [
        (D(2025, 6, 2), first, None),
        (D(2025, 7, 1), first, now),
        (D(2025, 7, 1), cpm, None),
        (D(2024, 7, 1), cpm, None),  # outside the period
    ]:
        Alert.objects.create(
            child=row(team).child,
            rule=rule,
            due=when,
            level="overdue",
            raised_at=now,
            closed_at=closed,
        )
    theirs = row(other_team).child
    Alert.objects.create(child=theirs, rule=cpm, due=D(2025, 7, 1), level="overdue", raised_at=now)
    measure = measures.overdue_alerts_by_rule(rows_of(team), START, END)
    assert measure.summary == "3 overdue alerts, for 3 children"
    assert measure.table.rows == [
        ["First looked-after review", "2", "1", "2"],
        ["Care planning meeting", "1", "1", "1"],
    ]


def test_children_by_route_and_status(team):
    row(team, route=Route.ADOPTION, plan_status=Status.RATIFIED)
    row(team, route=Route.ADOPTION, plan_status=Status.DRAFT)
    row(team, route=Route.RETURN_HOME, plan_status=Status.ACHIEVED)
    row(team)
    measure = measures.children_by_route_and_status(rows_of(team))
    assert measure.summary == "4 children"
    table = {r[0]: r for r in measure.table.rows}
    headers = measure.table.headers
    adoption = dict(zip(headers, table["Adoption"], strict=True))
    assert (adoption["Draft"], adoption["Ratified"], adoption["Total"]) == ("1", "1", "2")
    assert table["No plan yet"][-1] == "1"
    assert [b.label for b in measure.chart.bars] == ["Return home", "Adoption", "No plan yet"]


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("12m", D(2025, 5, 20), D(2026, 5, 20)),
        ("3m", D(2026, 2, 20), D(2026, 5, 20)),
        ("fy", D(2026, 4, 1), D(2026, 5, 20)),
        ("last_fy", D(2025, 4, 1), D(2026, 3, 31)),
        ("all", None, D(2026, 5, 20)),
    ],
)
def test_periods(period, start, end):
    assert period_bounds(period, D(2026, 5, 20)) == (start, end)


def test_periods_in_the_first_quarter_of_the_year():
    assert period_bounds("fy", D(2026, 2, 10)) == (D(2025, 4, 1), D(2026, 2, 10))


# -- the page ----------------------------------------------------------------------------------


@pytest.fixture
def some_rows(team, other_team):
    row(team, route=Route.ADOPTION, plan_status=Status.RATIFIED)
    row(other_team, route=Route.RETURN_HOME, plan_status=Status.DRAFT)
    row(team, court_stage="issued", proceedings_issued_on=timezone.localdate() - dt.timedelta(99))
    other = TeamFactory(name="Far team", service=ServiceFactory(name="Another service"))
    row(other, route=Route.RESIDENTIAL, plan_status=Status.DRAFT)


def test_page_has_a_chart_and_a_table_for_every_measure(client, some_rows, head_of_service):
    client.force_login(head_of_service)
    html = client.get(URL).content.decode()
    for title in (
        "Plans ratified by the second review",
        "Days from becoming looked after to a plan and to permanence",
        "Adoption scorecard: A1, A2 and A10",
        "Care proceedings against 26 weeks",
        "Overdue alerts by deadline",
        "Children by route and plan status",
    ):
        assert title in html
    assert html.count('role="img"') >= 2  # a chart wherever there is something to draw
    # Every chart is described; the trends' small bars are decoration beside their numbers.
    assert html.count('role="img"') == html.count("<desc")
    assert html.count('aria-hidden="true" focusable="false"') >= 12
    assert "Nothing to show for this period." in html  # no adoptions: no empty chart
    assert html.count('<table class="govuk-table') >= 4
    assert "Long-term residential care" not in html  # another service's child


def test_page_by_team_and_period(client, some_rows, head_of_service, team):
    client.force_login(head_of_service)
    html = client.get(f"{URL}?team={team.pk}&period=3y").content.decode()
    assert "North team, last 3 years" in html
    assert "Return home" not in html  # the other team's child


def test_unknown_team_or_period_is_left_out_with_a_note(client, some_rows, head_of_service):
    client.force_login(head_of_service)
    response = client.get(f"{URL}?team=99999&period=forever")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Team: “99999” is not one of the choices" in html
    assert "Period: “forever” is not one of the choices" in html
    assert "All teams, last 12 months" in html


def test_measures_are_for_managers(client, some_rows, social_worker):
    client.force_login(social_worker)
    assert client.get(URL).status_code == 403
