"""Each role starts where its work is (issue 16): from the sign-in page each lands on its own work
page, which passes axe, and reaches its next job in one click."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Booking
from permanence.models import PlanAction
from permanence.roles import Role
from reviews.models import Ppn1
from tests.factories.forums import BookingFactory, ForumSessionFactory, Part1Factory
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tests.factories.plans import PlanActionFactory, PlanFactory
from tests.factories.reviews import ReviewFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _today():
    return timezone.localdate()


def test_the_social_worker_ticks_a_task_done_from_their_tasks(
    page, live_server, login, assert_accessible, team, social_worker
):
    child = ChildFactory(
        team=team, social_worker=social_worker, first_name="Marigold", last_name="Tick"
    )
    plan = PlanFactory(child=child, created_by=social_worker)
    soon = _today() + dt.timedelta(days=3)
    PlanActionFactory(
        plan=plan, owner=social_worker, what="Ring the school about Marigold", due_on=soon
    )
    later = PlanActionFactory(
        plan=plan, owner=social_worker, what="Book the life story work", due_on=soon
    )

    login(page, social_worker.username)
    expect(page.get_by_role("heading", name="Your tasks", level=1)).to_be_visible()
    row = page.locator("tbody tr", has_text="Ring the school about Marigold")
    expect(row).to_contain_text("Marigold Tick")
    assert_accessible(page)

    row.get_by_role("button", name="Done").click()
    expect(page.get_by_text("“Ring the school about Marigold” is done.")).to_be_visible()
    expect(page.locator("tbody tr", has_text="Ring the school about Marigold")).to_have_count(0)
    expect(page.locator("tbody tr", has_text="Book the life story work")).to_be_visible()
    assert PlanAction.objects.get(pk=later.pk).done_on is None


def test_cps_duty_opens_a_request_to_confirm_from_the_forum_desk(
    page, live_server, login, assert_accessible, team, social_worker, cps_duty
):
    child = ChildFactory(
        team=team, social_worker=social_worker, first_name="Hollis", last_name="Request"
    )
    BookingFactory(child=child, requested_by=social_worker, status=Booking.Status.REQUESTED)

    login(page, cps_duty.username)
    expect(page.get_by_role("heading", name="Permanency forum", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Sessions this month")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Hollis Request").first.click()
    expect(page.get_by_role("heading", name="Permanency forum booking", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Confirm", exact=False).first).to_be_visible()
    assert_accessible(page)


def test_the_chair_opens_a_child_on_their_next_agenda(
    page, live_server, login, assert_accessible, team, social_worker, chair
):
    child = ChildFactory(
        team=team, social_worker=social_worker, first_name="Ansel", last_name="Agenda"
    )
    session = ForumSessionFactory(chair=chair)
    booking = BookingFactory(
        session=session,
        child=child,
        requested_by=social_worker,
        status=Booking.Status.PART1_SUBMITTED,
    )
    Part1Factory(booking=booking, submitted_at=timezone.now(), submitted_by=social_worker)

    login(page, chair.username)
    expect(page.get_by_role("heading", name="Permanency forum,", level=1)).to_be_visible()
    expect(page.get_by_text("Ansel Agenda").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Draft Part 2 for Ansel Agenda").click()
    expect(page).to_have_title(re.compile("^Part 2 for Ansel Agenda"))
    assert_accessible(page)


def test_the_iro_opens_a_review_due_from_their_reviews(
    page, live_server, login, assert_accessible, team, social_worker, iro
):
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Rowan", last_name="Due"
    )
    EpisodeFactory(child=child, decom=_today() - dt.timedelta(days=25))

    login(page, iro.username)
    expect(page.get_by_role("heading", name="My children and reviews", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Rowan Due").first.click()
    expect(page.get_by_role("heading", name="IRO and looked-after reviews")).to_be_visible()
    expect(page.get_by_text("Rowan Due").first).to_be_visible()
    assert_accessible(page)


def test_the_team_manager_opens_a_red_row_from_the_tracker(
    page, live_server, login, assert_accessible, team, social_worker, iro, team_manager
):
    # Looked after 60 days with no IRO allocation recorded: a statutory deadline overdue, red.
    red = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Scarlet", last_name="Late"
    )
    EpisodeFactory(child=red, decom=_today() - dt.timedelta(days=60))

    login(page, team_manager.username)
    expect(page.get_by_role("heading", name="Tracker", exact=True)).to_be_visible()
    assert_accessible(page)

    row = page.locator("tbody tr", has_text="Scarlet Late")
    expect(row).to_contain_text("Red")
    row.get_by_role("link", name="Scarlet Late", exact=True).click()
    expect(page.get_by_role("heading", name="Scarlet Late")).to_be_visible()
    assert_accessible(page)


def test_the_admin_officer_opens_a_ppn1_to_book_its_meeting(
    page, live_server, login, assert_accessible, team, social_worker, iro, team_manager, service
):
    officer = UserFactory(team=None, service=service, role=Role.ADMIN_OFFICER)
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Juniper", last_name="Notice"
    )
    plan = PlanFactory(child=child, created_by=social_worker)
    Ppn1.objects.create(
        review=ReviewFactory(child=child, created_by=iro),
        child=child,
        plan=plan,
        route=plan.route,
        plan_summary="Return home with support.",
        family_finding=Ppn1.FamilyFinding.NONE,
        adoption_manager=team_manager,
        fostering_manager=team_manager,
        admin_officer=officer,
        completed_by=iro,
        completed_on=_today(),
    )

    login(page, officer.username)
    expect(page.get_by_role("heading", name="PPN1s sent to you", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Juniper Notice").first.click()
    expect(page.get_by_role("heading", name="Book the Permanency Planning Meeting")).to_be_visible()
    assert_accessible(page)
