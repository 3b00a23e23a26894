"""CPS duty moves a permanency forum, then cancels it (seed 000); the social worker is told and
the child's booking says so. axe-core checks every page on the way, error pages included."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from permanence import dates
from tests.factories.forums import BookingFactory, ForumSessionFactory
from tests.factories.permanence import ChildFactory, EpisodeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_cps_duty_moves_then_cancels_a_forum_and_the_social_worker_is_told(
    page, live_server, login, assert_accessible, social_worker, cps_duty, chair, iro, team
):
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Amelia", last_name="Stone"
    )
    EpisodeFactory(child=child, decom=timezone.localdate() - dt.timedelta(days=90), place="U6")
    forum_day = dates.add_working_days(timezone.localdate(), 10)
    session = ForumSessionFactory(
        chair=chair, venue="Shirehall, Room 2", slot_count=3, forum_date=forum_day
    )
    booking = BookingFactory(session=session, child=child, requested_by=social_worker)

    login(page, "cps")
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.get_by_role("button", name="Change the session").click()
    page.get_by_label("Number of slots").fill("0")
    page.get_by_role("button", name="Change the session").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Venue").fill("Shirehall, Room 5")
    page.get_by_label("Number of slots").fill("4")
    page.get_by_label("Reason for the change").fill("Room 2 is being decorated.")
    page.get_by_role("button", name="Change the session").click()
    expect(page.get_by_text("Shirehall, Room 5")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_text("1 child is booked into this forum")).to_be_visible()
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason for cancelling the forum").fill("The chair is unwell.")
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_text("This forum was cancelled")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel the session")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    login(page, "sw")
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_text("The chair is unwell.").first).to_be_visible()
    page.goto(f"{live_server.url}{booking.get_absolute_url()}")
    expect(page.get_by_role("link", name="Book Amelia Stone into another forum")).to_be_visible()
    assert_accessible(page)
