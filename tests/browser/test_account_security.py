"""A worker changes their password from the header and manages their calendar address; axe checks
each page."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_worker_changes_their_password(
    page, live_server, login, assert_accessible, social_worker
):
    login(page, "sw")
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Current password").fill("test-password-123")
    page.get_by_label("New password", exact=True).fill("Winter2025!!")
    page.get_by_label("New password again").fill("Winter2025!!")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("too easy to guess")
    assert_accessible(page)

    page.get_by_label("Current password").fill("test-password-123")
    page.get_by_label("New password", exact=True).fill("kestrel-marmalade-quarry-42")
    page.get_by_label("New password again").fill("kestrel-marmalade-quarry-42")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    assert_accessible(page)

    social_worker.refresh_from_db()
    assert social_worker.check_password("kestrel-marmalade-quarry-42")


def test_a_worker_makes_then_switches_off_a_calendar_address(
    page, live_server, login, assert_accessible, social_worker
):
    login(page, "sw")
    page.goto(f"{live_server.url}/forums/calendar/")
    page.get_by_role("button", name="Make a private address").click()
    address = page.get_by_label("Calendar address").input_value()
    assert address.startswith(f"{live_server.url}/forums/calendar/") and address.endswith(".ics")
    assert_accessible(page)
    assert page.request.get(address).status == 200

    page.get_by_role("button", name="Switch off my private address").click()
    expect(page.get_by_text("It no longer works")).to_be_visible()
    assert_accessible(page)
    assert page.request.get(address).status == 404
