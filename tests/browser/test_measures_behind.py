"""A head of service reads a measure's month-by-month trend, follows a month's figure to the
tracker and finds exactly that many children there, said in words; axe-core checks both pages."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.tracker.test_measures import row
from tests.tracker.test_measures_behind import months_back

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_manager_follows_a_months_figure_to_the_children_behind_it(
    page, live_server, login, assert_accessible, team, other_team, head_of_service
):
    month = months_back(2)
    due = month + dt.timedelta(days=4)
    for t in (team, other_team):
        row(t, second_review_due=due)  # no plan ratified by the review
    row(team, second_review_due=due, first_ratified_on=due - dt.timedelta(days=9))
    row(team, second_review_due=timezone.localdate() - dt.timedelta(days=500))  # too long ago

    login(page, "hos")
    page.goto(f"{live_server.url}/tracker/measures/")
    section = page.locator("section#ratified")
    expect(section.get_by_text("33% (1 of 3)", exact=True)).to_be_visible()
    trend = section.locator("table", has_text="month by month")
    line = trend.locator("tr", has=page.get_by_role("rowheader", name=f"{month:%B %Y}"))
    expect(line).to_contain_text("33%")
    assert_accessible(page)

    line.get_by_role("link", name=f"2 children, {month:%B %Y}: no plan ratified by then").click()
    expect(page.get_by_role("heading", name="Tracker", level=1)).to_be_visible()
    expect(page.locator("#tracker-measure")).to_contain_text(
        f"Children whose second looked-after review was due in {month:%B %Y}, "
        "with no plan ratified by it."
    )
    expect(page.locator("#tracker-count")).to_contain_text("2 children match the filters")
    expect(page.locator("table.app-tracker-table tbody tr")).to_have_count(2)
    assert_accessible(page)
