"""A social worker opens a child with a plan from the caseload: the next step is on the caseload,
and on the child's page the actions (view the plan, book a forum slot, add a meeting) are within
the first screen, above the first section, and the page passes axe (issue 16)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from permanence.models.plans import Status
from permanence.services import system_user
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.plans import PlanFactory
from tests.factories.reviews import ReviewFactory
from tracker import services
from tracker.models import DeadlineRule

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_actions_are_on_the_first_screen(
    page, live_server, login, assert_accessible, social_worker, team, iro
):
    # Only the reviews' rules: the next step is the plan's own.
    DeadlineRule.objects.exclude(code__in=["first_review", "second_review"]).update(active=False)
    since = timezone.localdate() - dt.timedelta(days=30)
    child = ChildFactory(
        team=team, first_name="Marisol", last_name="Quennell", social_worker=social_worker, iro=iro
    )
    EpisodeFactory(child=child, decom=since, legal_status="C1")
    ReviewFactory(child=child, period_started_on=since, sequence=1, held_on=timezone.localdate())
    PlanFactory(child=child, status=Status.DRAFT)
    services.deadlines_refresh(child_ids=[child.pk], by=system_user())

    login(page, "sw")
    page.goto(f"{live_server.url}/children/")
    row = page.get_by_role("row").filter(has_text="Marisol Quennell")
    expect(row).to_contain_text("the plan must be ready for the second review on")
    assert_accessible(page)

    row.get_by_role("link", name="Marisol Quennell").click()
    expect(page.get_by_role("heading", name="Marisol Quennell")).to_be_visible()
    first_section = page.get_by_role("heading", level=2).first.bounding_box()
    for name in ("View the plan", "Book a forum slot", "Add a meeting"):
        box = page.locator("#child-actions").get_by_role("button", name=name).bounding_box()
        assert box is not None, name
        assert box["y"] < 800, (name, box)
        assert box["y"] < first_section["y"], name
    assert_accessible(page)
