"""Measures that answer the next question (issue 16): each total with its month-by-month trend,
and every figure linked to the tracker filtered to exactly the children it counts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from permanence.models import Team
from permanence.models.plans import Route, Status
from tests.factories.permanence import ServiceFactory
from tests.tracker.test_measures import row
from tracker.dashboard import cohorts, measures, selectors
from tracker.dashboard.forms import period_bounds
from tracker.dashboard.measures import Cell
from tracker.models import Alert, DeadlineRule

pytestmark = pytest.mark.django_db

MEASURES = "/tracker/measures/"
TRACKER = "/tracker/dashboard/"


def months_back(n: int) -> dt.date:
    """The first day of the calendar month N months before this one."""
    day = timezone.localdate().replace(day=1)
    for _ in range(n):
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return day


def _authority(team, other_team):
    """A service's children touching every measure, two and three months back (well inside the
    last 12 months), and a child of another service with the same dates."""
    today = timezone.localdate()
    two, three = months_back(2), months_back(3)
    for t in (team, other_team):
        # Second reviews: one ratified in time, one ratified late, one never.
        row(
            t,
            second_review_due=two + dt.timedelta(days=3),
            second_review_held_on=two + dt.timedelta(days=3),
            first_ratified_on=two,
            period_start=two - dt.timedelta(days=120),
            route=Route.ADOPTION,
            plan_status=Status.RATIFIED,
        )
        row(
            t,
            second_review_due=three + dt.timedelta(days=5),
            first_ratified_on=two + dt.timedelta(days=10),
            period_start=three - dt.timedelta(days=100),
            route=Route.RETURN_HOME,
            plan_status=Status.RATIFIED,
        )
        row(t, second_review_due=three + dt.timedelta(days=6))
    # Adopted, and proceedings concluded within and beyond 26 weeks, and open beyond.
    row(
        team,
        adopted_on=two + dt.timedelta(days=1),
        period_start=two - dt.timedelta(days=500),
        placed_for_adoption_on=two - dt.timedelta(days=100),
        placement_order_on=two - dt.timedelta(days=200),
        route=Route.ADOPTION,
        plan_status=Status.ACHIEVED,
        achieved_on=two + dt.timedelta(days=1),
    )
    issued = three - dt.timedelta(days=100)
    row(
        team,
        court_stage="concluded",
        proceedings_issued_on=issued,
        proceedings_concluded_on=issued + dt.timedelta(days=181),  # the last day of week 26
    )
    row(
        other_team,
        court_stage="concluded",
        proceedings_issued_on=issued,
        proceedings_concluded_on=issued + dt.timedelta(days=182),  # a day late
    )
    row(team, court_stage="issued", proceedings_issued_on=today - dt.timedelta(days=200))
    # Overdue alerts: two for one child, one for another.
    first = DeadlineRule.objects.get(code="first_review")
    cpm = DeadlineRule.objects.get(code="care_planning_meeting")
    now = timezone.now()
    twice = row(team).child
    for child, rule in [(twice, first), (twice, cpm), (row(other_team).child, first)]:
        Alert.objects.create(
            child=child, rule=rule, due=two + dt.timedelta(days=2), level="overdue", raised_at=now
        )
    far, _ = Team.objects.get_or_create(
        name="Far team", service=ServiceFactory(name="Another service")
    )
    row(
        far,
        second_review_due=two + dt.timedelta(days=3),
        adopted_on=two,
        route=Route.ADOPTION,
        plan_status=Status.RATIFIED,
    )
    Alert.objects.create(child=row(far).child, rule=first, due=two, level="overdue", raised_at=now)


@pytest.fixture
def authority(team, other_team):
    _authority(team, other_team)


def _linked(measure) -> list[tuple[str, int, str]]:
    """(what, count, url) for every figure of a measure that links to the tracker."""
    out = []
    tables = [measure.table] + ([measure.trend] if measure.trend else [])
    for table in tables:
        for cells in table.rows:
            for cell in cells:
                if isinstance(cell, Cell) and cell.url:
                    out.append((f"{measure.key}: {cells[0]}", int(cell), cell.url))
    for link in measure.behind:
        if link.url:
            out.append((f"{measure.key}: {link.text}", int(link.text.split()[0]), link.url))
    return out


def _listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["notes"], (url, response.context["notes"])
    return response.context["page"].paginator.count


@pytest.mark.parametrize("query", ["", "?period=all", "?period=3y&team={team}"])
def test_every_figure_is_the_number_of_children_its_link_lists(
    client, authority, head_of_service, team, query
):
    client.force_login(head_of_service)
    response = client.get(MEASURES + query.format(team=team.pk))
    linked = [link for m in response.context["measures"] for link in _linked(m)]
    keys = {what.split(":")[0] for what, _, _ in linked}
    assert keys == {"ratified", "timeliness", "adoption", "proceedings", "alerts", "routes"}
    assert len(linked) > 25
    for what, figure, url in linked:
        assert _listed(client, url) == figure, (what, url)
    assert any("month=" in url for _, _, url in linked)


def test_the_month_trend_counts_each_calendar_month(client, authority, head_of_service):
    client.force_login(head_of_service)
    response = client.get(MEASURES)
    ratified = {m.key: m for m in response.context["measures"]}["ratified"]
    trend = ratified.trend
    assert len(trend.rows) == 12
    assert trend.rows[-1][0] == f"{timezone.localdate():%B %Y}"
    by_month = {cells[0]: cells[1:] for cells in trend.rows}
    # Two months back: both teams' reviews ratified in time. Three months back: four reviews
    # due, none with a plan ratified by then.
    assert by_month[f"{months_back(2):%B %Y}"] == ["100%", "2", "2", "0"]
    assert by_month[f"{months_back(3):%B %Y}"] == ["0%", "4", "0", "4"]
    assert by_month[f"{months_back(4):%B %Y}"] == ["–", "0", "0", "0"]
    assert trend.bars[-3:] == [100.0, 0, 0]
    alerts = {m.key: m for m in response.context["measures"]}["alerts"]
    alert_months = {cells[0]: cells[1:] for cells in alerts.trend.rows}
    assert alert_months[f"{months_back(2):%B %Y}"] == ["3", "2"]  # 3 alerts, 2 children
    html = response.content.decode()
    assert "Plans ratified by the second review, month by month" in html
    assert 'class="app-trend-bar"' in html
    assert "Another service" not in html


def test_the_tracker_says_which_children_it_lists(client, authority, head_of_service):
    client.force_login(head_of_service)
    month = months_back(3)
    url = f"{TRACKER}?measure=not-ratified-by-second-review&month={month:%Y-%m}"
    response = client.get(url)
    html = response.content.decode()
    assert response.context["page"].paginator.count == 4
    assert (
        "Children whose second looked-after review was due in "
        f"{month:%B %Y}, with no plan ratified by it." in html
    )
    assert "Back to measures and charts" in html
    # Narrowing by team keeps the measure: the hidden fields go with the form.
    assert '<input type="hidden" name="measure" value="not-ratified-by-second-review">' in html
    assert f'<input type="hidden" name="month" value="{month:%Y-%m}">' in html


def test_back_to_the_measures_for_the_same_team_and_period(
    client, authority, head_of_service, team
):
    client.force_login(head_of_service)
    html = client.get(
        f"{TRACKER}?measure=second-review-due&period=3y&team={team.pk}"
    ).content.decode()
    assert f'href="/tracker/measures/?team={team.pk}&amp;period=3y">Back to measures' in html


def test_an_unknown_measure_or_month_is_left_out_with_a_note(client, authority, head_of_service):
    client.force_login(head_of_service)
    everyone = client.get(TRACKER).context["page"].paginator.count
    response = client.get(f"{TRACKER}?measure=nonsense-figure&month=2025-13")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Measure: “nonsense-figure” is not one of the choices" in html
    assert "Month: “2025-13” is not one of the choices" in html
    assert response.context["page"].paginator.count == everyone


def test_plurals_read_right(client, team, head_of_service):
    row(team, adopted_on=months_back(1), route=Route.ADOPTION, plan_status=Status.ACHIEVED)
    client.force_login(head_of_service)
    response = client.get(MEASURES)
    by_key = {m.key: m for m in response.context["measures"]}
    assert by_key["adoption"].summary == "1 child adopted"
    assert by_key["routes"].summary == "1 child"
    assert [link.text for link in by_key["adoption"].behind] == ["1 child adopted in the period"]
    html = response.content.decode()
    assert "1 children" not in html
    assert cohorts.children(0) == "0 children"
    assert cohorts.children(2) == "2 children"


def test_no_template_counts_children_as_child_ren():
    """ "child(ren)" or "1 children" read as a machine wrote them: every count is pluralised."""
    found = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        for pattern in (r"child\(ren\)", r"\(s\)", r"\b1 children\b"):
            if re.search(pattern, text):
                found.append(f"{path.name}: {pattern}")
    assert found == []


def _queries(client, user, url) -> int:
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Every measure's figures with its trend (issue 19): the rows' counts in one aggregate, the dated
# rows (days to a plan, to permanence, adoption, the months of the trends) in one read, and the
# overdue alerts by deadline and by month.
MEASURES_QUERIES = 4


def test_the_measures_read_a_fixed_number_of_queries(team, other_team, head_of_service):
    def queries() -> int:
        today = timezone.localdate()
        start, end = period_bounds("12m", today)
        rows = selectors.rows_visible_to(head_of_service)
        with CaptureQueriesContext(connection) as captured:
            measures.measures(rows=rows, start=start, end=end, today=today, links=cohorts.Links())
        return len(captured)

    _authority(team, other_team)
    few = queries()
    for _ in range(3):
        _authority(team, other_team)
    assert queries() == few == MEASURES_QUERIES


def test_the_measures_page_reads_as_many_queries_for_more_children(
    client, team, other_team, head_of_service
):
    _authority(team, other_team)
    few = _queries(client, head_of_service, MEASURES)
    for _ in range(3):
        _authority(team, other_team)
    assert _queries(client, head_of_service, MEASURES) == few


def test_a_measure_filter_on_the_tracker_adds_no_query_per_child(
    client, team, other_team, head_of_service
):
    url = f"{TRACKER}?measure=second-review-due&period=all"
    _authority(team, other_team)
    plain = _queries(client, head_of_service, TRACKER)
    few = _queries(client, head_of_service, url)
    for _ in range(3):
        _authority(team, other_team)
    assert _queries(client, head_of_service, url) == few == plain
