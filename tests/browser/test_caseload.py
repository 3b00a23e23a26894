"""A social worker signs in, opens the caseload, opens a child; axe-core checks each page."""

import pytest
from playwright.sync_api import expect

from tests.factories.permanence import ChildFactory, EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_social_worker_finds_a_child_on_the_caseload(
    page, live_server, login, assert_accessible, social_worker, team
):
    child = ChildFactory(
        team=team, first_name="Amelia", last_name="Stone", social_worker=social_worker
    )
    EpisodeFactory(child=child, legal_status="C1")
    ChildFactory(team=team, first_name="Oscar", last_name="Reed")

    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    login(page, "sw")

    page.get_by_role("link", name="Children").first.click()
    expect(page.get_by_role("heading", name="Children", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name or child identifier").fill("stone")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Amelia Stone")).to_be_visible()
    expect(page.get_by_role("link", name="Oscar Reed")).to_have_count(0)

    page.get_by_role("link", name="Amelia Stone").click()
    expect(page.get_by_role("heading", name="Amelia Stone")).to_be_visible()
    expect(page.get_by_text("Interim care order").first).to_be_visible()
    assert_accessible(page)
