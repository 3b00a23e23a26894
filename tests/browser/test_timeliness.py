"""A head of service reads how many reviews were held on time and clicks through to the late
ones; axe-core checks the measures page and the list behind a figure."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from permanence.services import system_user
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.reviews import ReviewFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.models import DeadlineRule

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

D = dt.date
SINCE = D(2025, 1, 6)  # a Monday: the first review is due 3 February 2025


def test_a_manager_goes_from_the_reviews_figure_to_the_late_ones(
    page, live_server, login, assert_accessible, team, social_worker, iro, head_of_service
):
    DeadlineRule.objects.exclude(code__in=["first_review", "second_review"]).update(active=False)
    on_time = ChildFactory(team=team, social_worker=social_worker, iro=iro, child_id="N1")
    late = ChildFactory(team=team, social_worker=social_worker, iro=iro, child_id="S1")
    for child, held in ((on_time, D(2025, 2, 3)), (late, D(2025, 2, 10))):
        EpisodeFactory(child=child, decom=SINCE)
        ReviewFactory(child=child, period_started_on=SINCE, sequence=1, held_on=held)
    services.deadlines_sweep(by=system_user(), now=at(D(2025, 12, 1)))

    login(page, "hos")
    page.goto(f"{live_server.url}/tracker/measures/timeliness/?period=all")
    expect(page.get_by_role("heading", name="Deadlines met on time", level=1)).to_be_visible()
    reviews = page.locator("section#reviews")
    expect(reviews.get_by_role("heading", name="Reviews held on time")).to_be_visible()
    assert_accessible(page)

    reviews.get_by_role("link", name="See the 3 not on time").click()
    expect(page.get_by_role("heading", name="Reviews held on time", level=1)).to_be_visible()
    rows = page.locator("tbody tr")
    # Late and missed first: S1's first review, held a week late, first; N1's on-time one last.
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("(S1)")
    expect(rows.first).to_contain_text("Met 7 days late")
    expect(rows.last).to_contain_text("(N1)")
    expect(rows.last).to_contain_text("Met on time")
    assert_accessible(page)
