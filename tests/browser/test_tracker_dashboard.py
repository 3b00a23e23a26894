"""A manager filters the tracker to red plans and opens a child's chronology; axe-core checks each
page. With JavaScript (htmx swaps the dashboard in place) and without it (plain pages)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories.permanence import ChildFactory, EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def children(team, other_team, social_worker, other_social_worker, iro):
    # Looked after 60 days with no IRO allocation recorded: a statutory deadline overdue, red.
    red = ChildFactory(
        team=team, first_name="Amelia", last_name="Stone", social_worker=social_worker, iro=iro
    )
    EpisodeFactory(child=red, decom=timezone.localdate() - dt.timedelta(days=60))
    # Not looked after: nothing due, green. (Saving each refreshes the tracker once committed.)
    ChildFactory(
        team=other_team, first_name="Oscar", last_name="Reed", social_worker=other_social_worker
    )
    return red


def test_manager_filters_to_red_plans_and_opens_a_chronology(
    page, live_server, login, assert_accessible, children, team_manager
):
    login(page, "tm")
    page.get_by_role("link", name="Tracker", exact=True).click()
    expect(page.get_by_role("heading", name="Tracker", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Oscar Reed", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("RAG", exact=True).select_option(label="Red")
    page.get_by_role("button", name="Show children").click()
    expect(page.get_by_role("link", name="Oscar Reed", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Amelia Stone", exact=True)).to_be_visible()
    expect(page.get_by_text("1 child matches the filters.")).to_be_visible()
    assert "rag=red" in page.url  # htmx kept the address in step: it can be bookmarked
    assert_accessible(page)

    page.get_by_role("link", name="Chronology for Amelia Stone").click()
    expect(page.get_by_role("heading", name="Chronology")).to_be_visible()
    expect(page.get_by_text("Statutory deadline overdue")).to_be_visible()
    expect(page.get_by_text("Looked-after episode from").first).to_be_visible()
    assert_accessible(page)


def test_the_tracker_works_without_javascript(
    browser, live_server, assert_accessible, children, team_manager
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("tm")
        page.get_by_label("Password").fill("test-password-123")
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{live_server.url}/tracker/dashboard/")
        page.get_by_label("RAG", exact=True).select_option(label="Red")
        page.get_by_role("button", name="Show children").click()
        expect(page.get_by_role("link", name="Oscar Reed", exact=True)).to_have_count(0)
        expect(page.get_by_role("link", name="Amelia Stone", exact=True)).to_be_visible()
        assert "rag=red" in page.url
    finally:
        context.close()
