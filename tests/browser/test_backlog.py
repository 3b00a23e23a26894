"""A head of service opens the backlog at go-live from the dashboard, marks a missed review
reviewed, and sees it move to the reviewed list; axe-core checks the page both times."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from permanence.services import system_user
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.models import DeadlineRule
from tracker.ssda903.onboarding import FROM_THE_RETURN

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

D = dt.date


def test_a_manager_reviews_the_backlog(
    page, live_server, login, assert_accessible, team, social_worker, iro, head_of_service
):
    DeadlineRule.objects.exclude(code="first_review").update(active=False)
    DeadlineRule.objects.exclude(code__in=FROM_THE_RETURN).update(applies_from=D(2026, 3, 2))
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Olive", last_name="Old"
    )
    EpisodeFactory(child=child, decom=D(2026, 1, 5))  # first review due 2 February 2026
    services.deadlines_sweep(by=system_user(), now=at(D(2026, 3, 3)))

    login(page, "hos")
    page.goto(f"{live_server.url}/tracker/dashboard/")
    page.get_by_role("link", name="Backlog at go-live").click()
    expect(page.get_by_role("heading", name="Backlog at go-live", level=1)).to_be_visible()
    row = page.locator("tbody tr", has_text="Olive Old")
    expect(row).to_contain_text("First looked-after review")
    expect(row).to_contain_text("2 Feb 2026")
    assert_accessible(page)

    row.get_by_role("button", name="Mark reviewed").click()
    expect(
        page.get_by_text("Marked reviewed: First looked-after review for Olive Old")
    ).to_be_visible()
    expect(page.locator("tbody tr", has_text="Olive Old")).to_have_count(0)
    page.get_by_label("Show").select_option("reviewed")
    page.get_by_role("button", name="Show backlog").click()
    expect(page.locator("tbody tr", has_text="Olive Old")).to_contain_text("Reviewed by")
    assert_accessible(page)
