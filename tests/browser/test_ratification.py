"""An IRO records the second review and ratifies the plan against the checklist (002 §7, 004);
axe-core checks every page on the way."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from permanence.models import Plan
from permanence.models.plans import Status
from permanence.plans.services import RATIFICATION_CHECKLIST
from reviews import services
from reviews.models import Review
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.plans import PlanFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_iro_ratifies_the_plan_at_the_second_review(
    page, live_server, login, assert_accessible, iro, social_worker, team
):
    today = timezone.localdate()
    child = ChildFactory(
        team=team, first_name="Amelia", last_name="Stone", social_worker=social_worker, iro=iro
    )
    EpisodeFactory(child=child, decom=today - dt.timedelta(days=130))
    services.review_record(
        child=child, by=iro, held_on=today - dt.timedelta(days=100), participation="PN1"
    )
    plan = PlanFactory(child=child, status=Status.PRESENTED, created_by=social_worker, ready=True)

    login(page, "iro")
    page.get_by_role("link", name="My reviews").first.click()
    expect(page.get_by_role("heading", name="My children and reviews")).to_be_visible()
    expect(page.get_by_role("link", name="Amelia Stone").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Amelia Stone").first.click()
    expect(page.get_by_role("heading", name="IRO and looked-after reviews")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record a review").click()
    expect(page.get_by_text("This is the second review")).to_be_visible()
    assert_accessible(page)
    held = today - dt.timedelta(days=1)
    dates = page.get_by_role("group", name="Date the review was held")
    dates.get_by_label("Day").fill(str(held.day))
    dates.get_by_label("Month").fill(str(held.month))
    dates.get_by_label("Year").fill(str(held.year))
    page.get_by_label("How the child took part").select_option("PN1")
    page.get_by_label("Outcome and recommendations").fill("Plan for a return home endorsed.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("heading", name="Second review")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Complete the ratification checklist").click()
    expect(page.get_by_role("heading", name="Ratify the permanence plan")).to_be_visible()
    assert_accessible(page)
    # One item left unticked: refused, with the reason at the top of the page.
    for _, label in RATIFICATION_CHECKLIST[:-1]:
        page.get_by_label(label).check()
    page.get_by_label("Yes: every item is in place, ratify the plan").check()
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_role("alert")).to_contain_text("every item of the checklist is ticked")
    assert_accessible(page)
    assert Plan.objects.get(pk=plan.pk).status == Status.PRESENTED

    page.get_by_label(RATIFICATION_CHECKLIST[-1][1]).check()
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_text("The plan has been ratified.")).to_be_visible()
    expect(page.get_by_text("Plan ratified", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Return home, version 1").click()
    expect(page.get_by_role("heading", name="Permanence plan Ratified")).to_be_visible()
    assert_accessible(page)

    plan = Plan.objects.get(pk=plan.pk)
    second = Review.objects.get(child=child, sequence=2)
    assert plan.status == Status.RATIFIED
    assert (plan.ratified_on, plan.ratified_by) == (second.held_on, iro)
