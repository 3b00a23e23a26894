"""The permanency forum end to end (seed 000): a social worker books, CPS duty confirms, the social
worker submits Part 1, the chair completes Part 2, the IRO reads the copy. axe-core checks every
page on the way, error pages included."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Booking, ForumSession, Part2
from permanence import dates
from permanence.models import Plan, PlanAction
from permanence.models.plans import Route, Status
from tests.factories.forums import ForumSessionFactory
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.plans import PlanFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_book_confirm_part1_part2_and_the_iros_copy(
    page, live_server, login, assert_accessible, social_worker, cps_duty, chair, iro, team
):
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Amelia", last_name="Stone"
    )
    EpisodeFactory(child=child, decom=timezone.localdate() - dt.timedelta(days=90), place="U6")
    PlanFactory(child=child, route=Route.ADOPTION, created_by=social_worker)
    session = ForumSessionFactory(chair=chair, venue="Shirehall, Room 2", slot_count=3)

    # The social worker books a slot.
    login(page, "sw")
    page.get_by_role("link", name="Forums", exact=True).click()
    expect(page.get_by_role("heading", name="Permanency forum")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Book a forum slot").click()
    page.get_by_label("Child", exact=True).select_option(
        label=f"{child.full_name} ({child.child_id})"
    )
    page.get_by_role("button", name="Request the slot").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a forum session")
    assert_accessible(page)
    page.locator("input[name=session]").first.check()
    page.get_by_label("Before the child's second looked-after review").check()
    page.get_by_role("button", name="Request the slot").click()
    expect(page.get_by_text("Slot 1 requested for Amelia Stone")).to_be_visible()
    expect(page.locator(".govuk-tag", has_text="Requested")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # CPS duty confirms it.
    login(page, "cps")
    page.get_by_role("link", name="Forums", exact=True).click()
    expect(page.get_by_role("heading", name="Requests to confirm")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Amelia Stone").first.click()
    page.get_by_role("button", name="Confirm the slot").click()
    expect(page.get_by_text("Slot 1 confirmed for Amelia Stone")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the forum").click()
    page.get_by_role("link", name=f"{session.forum_date:%a} {session.forum_date.day}").first.click()
    expect(page.get_by_role("heading", name="Slots")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The social worker writes Part 1: a first try is incomplete, then it is submitted.
    login(page, "sw")
    page.get_by_role("link", name="Forums", exact=True).click()
    page.get_by_role("link", name="Amelia Stone").click()
    page.get_by_role("button", name="Start Part 1").click()
    page.get_by_label("Reason for referral").fill("The parenting assessment was negative.")
    # It starts from the record: the placement is already in the child's situation.
    expect(page.get_by_label("The child's situation and needs")).to_have_value(
        re.compile("Placement: U6")
    )
    page.get_by_role("button", name="Submit Part 1 to CPS duty").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Describe the family members and connected persons explored"
    )
    assert_accessible(page)
    page.get_by_label("The child's situation and needs").fill("Settled with foster carers.")
    page.get_by_label("Family and connected persons explored").fill("Grandmother not viable.")
    page.locator("input[name=child_consulted][value=not_appropriate]").check()
    page.get_by_label("The child's views").fill("Too young to give views.")
    page.locator("input[name=parents_consulted][value=yes]").check()
    page.get_by_label("The parents' views").fill("Mother opposes the plan.")
    page.locator("input[name=others_consulted][value=yes]").check()
    page.get_by_label("The views of other important people").fill("Carers support it.")
    page.get_by_label("Options considered").fill("Return home and connected person ruled out.")
    page.get_by_label("Proposed route to permanence").select_option(Route.ADOPTION)
    page.get_by_label("Contingency route").select_option(Route.LONG_TERM_FOSTERING)
    page.get_by_role("button", name="Submit Part 1 to CPS duty").click()
    expect(page.get_by_text("Part 1 has been submitted to CPS duty.")).to_be_visible()
    expect(page.get_by_text("It can no longer be changed.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The day of the forum comes.
    ForumSession.objects.filter(pk=session.pk).update(forum_date=timezone.localdate())

    # The chair records the presentation and completes Part 2.
    login(page, "chair")
    page.get_by_role("link", name="Forums", exact=True).click()
    page.locator(f"a[href='/forums/permanency/sessions/{session.pk}/agenda/']").first.click()
    expect(page.get_by_role("heading", name="Amelia Stone")).to_be_visible()
    page.get_by_text("Part 1 for Amelia Stone").click()
    expect(page.get_by_text("The parenting assessment was negative.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record that Amelia's case was presented").click()
    expect(page.get_by_role("heading", name="Part 2: the forum's advice")).to_be_visible()
    expect(page.get_by_text("Task: complete the Child Permanence Report")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send Part 2").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the forum's advice")
    expect(summary).to_contain_text("Enter the due date for the report")
    assert_accessible(page)
    page.get_by_label("The forum's advice").fill("Adoption is the right plan; pursue early.")
    fill_date(page, "cpr_due_on", dates.add_weeks(timezone.localdate(), 6))
    page.locator("#id_task_1_what").fill("Refer to the regional adoption agency")
    page.locator("#id_task_1_owner").select_option(str(social_worker.pk))
    fill_date(page, "task_1_due_on", dates.add_weeks(timezone.localdate(), 2))
    page.get_by_role("button", name="Send Part 2").click()
    expect(
        page.get_by_text("Part 2 has been sent to the social worker, with a copy")
    ).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    booking = Booking.objects.get(child=child)
    assert booking.status == Booking.Status.PART2_SENT
    assert Plan.objects.get(child=child).status == Status.PRESENTED
    assert PlanAction.objects.filter(plan__child=child).count() == 2
    assert Part2.objects.get(booking=booking).tasks.count() == 2

    # The IRO reads their copy.
    login(page, "iro")
    page.get_by_role("link", name="Part 2 copies").click()
    expect(page.get_by_role("heading", name="Part 2 copies")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Amelia Stone").click()
    expect(page.get_by_text("Adoption is the right plan; pursue early.")).to_be_visible()
    expect(page.get_by_text("Refer to the regional adoption agency")).to_be_visible()
    expect(page.get_by_text("copied to")).to_be_visible()
    assert_accessible(page)
