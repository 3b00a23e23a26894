"""The IRO manager signs in and lands on the IROs' reviews: each IRO's children counted, a plan
waiting for ratification after the second review listed, and the IRO's name leading to the
tracker filtered by that IRO; axe-core checks both pages."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from permanence.services import system_user
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tracker import services
from tracker.models import TrackerRow

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_iro_manager_sees_each_iros_reviews_and_the_waiting_plans(
    page, live_server, login, assert_accessible, team, social_worker, iro, iro_manager
):
    today = timezone.localdate()
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Wren", last_name="Wait"
    )
    EpisodeFactory(child=child, decom=today - dt.timedelta(days=200))
    services.deadlines_sweep(by=system_user())
    # The second review as the engine stores it: held a week ago, no plan ratified since.
    held = today - dt.timedelta(days=7)
    TrackerRow.objects.filter(child=child).update(
        second_review_due=held, second_review_held_on=held, first_ratified_on=None
    )

    login(page, iro_manager.username)
    expect(page.get_by_role("heading", name="IROs' reviews", level=1)).to_be_visible()
    line = page.locator("tbody tr", has_text=iro.last_name).first
    expect(line).to_be_visible()
    waiting = page.locator("tbody tr", has_text="Wren Wait")
    expect(waiting).to_contain_text(f"Held {held.day} {held:%b %Y}")
    assert_accessible(page)

    line.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Tracker", level=1)).to_be_visible()
    expect(page.locator("tbody tr", has_text="Wren Wait")).to_be_visible()
    assert_accessible(page)
