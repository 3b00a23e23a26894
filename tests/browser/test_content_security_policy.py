"""The Content-Security-Policy breaks nothing: core pages load, GOV.UK Frontend and htmx run, and
Chromium reports no violation of the policy on any of them (issue 11)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories.forums import ForumSessionFactory
from tests.factories.permanence import ChildFactory, EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Runs in every page before its own scripts (Playwright injects it outside the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, recording every policy violation Chromium reports, in events or the console."""
    console: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )

    def violations() -> list[str]:
        return console + page.evaluate("window.__cspViolations || []")

    page.violations = violations
    return page


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    # GOV.UK Frontend's scripts ran: the class set from a file, and the modules started.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    assert page.violations() == [], f"{url}: {page.violations()}"


def test_core_pages_run_with_no_policy_violation(
    watched, live_server, login, social_worker, team_manager, cps_duty, chair, iro, team
):
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Amelia", last_name="Stone"
    )
    EpisodeFactory(child=child, decom=timezone.localdate() - dt.timedelta(days=60))
    session = ForumSessionFactory(chair=chair)
    page = watched

    login(page, "sw")
    visit(page, f"{live_server.url}/children/")
    expect(page.get_by_role("link", name="Amelia Stone")).to_be_visible()
    visit(page, f"{live_server.url}{child.get_absolute_url()}")
    visit(page, f"{live_server.url}/children/new/")
    # A form with errors, as a user would first see it.
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.violations() == []
    page.get_by_role("button", name="Sign out").click()

    login(page, "tm")
    visit(page, f"{live_server.url}/tracker/dashboard/")
    # htmx swaps the filtered list in place: it must do so without inline script or style.
    page.get_by_label("RAG", exact=True).select_option(label="Red")
    page.get_by_role("button", name="Show children").click()
    expect(page.get_by_text("1 child matches the filters.")).to_be_visible()
    assert "rag=red" in page.url
    assert page.violations() == []
    page.get_by_role("button", name="Sign out").click()

    login(page, "cps")
    visit(page, f"{live_server.url}{session.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
