"""The weekly Permanence Panel (seed 004) and the forum's differing advice (seed 000), through the
real pages in Chromium: a plan rated red at a care planning meeting is heard at one sitting and,
still red, is on the agenda of the sitting four weeks later, which CPS duty arranges and where the
rating and its reason are recorded; at the second review the IRO reads that the forum advised a
different route from the plan. axe-core checks every page on the way."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums import services
from forums.models import Booking, PanelSitting
from forums.models.meetings import CPM_MATTERS
from forums.services import TaskInput
from permanence.models.plans import Route, Status
from permanence.roles import Role
from permanence.services import system_user
from reviews import services as review_services
from tests.factories.forums import (
    BookingFactory,
    ForumSessionFactory,
    Part1Factory,
    meeting_type,
)
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tests.factories.plans import PlanFactory
from tracker import services as tracker

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = timezone.localdate


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def _red_plan_heard_four_weeks_ago(child, team_manager, cps, head):
    """A care planning meeting rated the plan red eight weeks ago; the first sitting, four weeks
    ago, kept it red."""
    eight_weeks = TODAY() - dt.timedelta(weeks=8)
    cpm = services.meeting_schedule(
        meeting_type=meeting_type("care-planning"),
        child=child,
        by=team_manager,
        scheduled_for=eight_weeks,
        chair=team_manager,
        invited_roles=["social_worker", "iro", "legal", "fostering"],
    )
    services.meeting_record(
        meeting=cpm,
        by=team_manager,
        held_on=eight_weeks,
        decisions="The plan is drifting.",
        matters=dict.fromkeys(CPM_MATTERS, "Discussed."),
        early_family_finding="not_now",
        early_family_finding_reason="Assessments first.",
        rag_rating="red",
        rag_reason="Parenting assessment late.",
    )
    first_day = TODAY() - dt.timedelta(weeks=4)
    first = PanelSitting.objects.create(sits_on=first_day, chair=head, created_by=cps)
    heard = services.meeting_schedule(
        meeting_type=meeting_type("permanence-panel"), child=child, by=cps, scheduled_for=first_day
    )
    heard.sitting = first
    heard.save(update_fields=["sitting"])
    services.meeting_record(
        meeting=heard,
        by=cps,
        held_on=first_day,
        decisions="Chase the parenting assessment.",
        rag_rating="red",
        rag_reason="Parenting assessment still not started.",
    )
    return first


def _forum_advised_adoption(child, chair, social_worker):
    session = ForumSessionFactory(chair=chair, forum_date=TODAY())
    booking = BookingFactory(
        session=session,
        child=child,
        requested_by=social_worker,
        status=Booking.Status.PART1_SUBMITTED,
    )
    Part1Factory(booking=booking, submitted_at=timezone.now() - dt.timedelta(days=4))
    services.booking_present(booking=booking, by=chair)
    services.part2_save(
        booking=booking,
        by=chair,
        advice="Adoption offers the permanence the child needs.",
        advised_route=Route.ADOPTION,
        tasks=[
            TaskInput("Child Permanence Report", social_worker, TODAY() + dt.timedelta(28), True)
        ],
    )
    services.part2_send(booking=booking, by=chair)


def test_two_sittings_four_weeks_apart_and_the_forums_differing_advice_at_the_second_review(
    page,
    live_server,
    login,
    assert_accessible,
    social_worker,
    team_manager,
    iro,
    cps_duty,
    chair,
    team,
):
    head = UserFactory(username="hos2", team=None, service=team.service, role=Role.HEAD_OF_SERVICE)
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Nia", last_name="Reed"
    )
    EpisodeFactory(child=child, decom=TODAY() - dt.timedelta(days=150), place="U6")
    PlanFactory(
        child=child,
        created_by=social_worker,
        route=Route.LONG_TERM_FOSTERING,
        contingency_route=Route.ADOPTION,
        status=Status.RATIFIED,
        ready=True,
    )
    first = _red_plan_heard_four_weeks_ago(child, team_manager, cps_duty, head)
    tracker.deadlines_sweep(by=system_user(), now=timezone.now())

    # The team manager escalates a second child's case from the child's page.
    escalated = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Tom", last_name="Hale"
    )
    EpisodeFactory(child=escalated, decom=TODAY() - dt.timedelta(days=90), place="U4")
    login(page, "tm")
    page.goto(f"{live_server.url}{escalated.get_absolute_url()}")
    page.get_by_role(
        "link", name="Escalate the case to the group manager and the next Permanence Panel"
    ).click()
    page.get_by_role("button", name="Escalate to the next Permanence Panel").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the complicating factors that are delaying permanence"
    )
    assert_accessible(page)
    page.get_by_label("Group manager escalated to").fill("Gill Mason")
    page.get_by_label("Complicating factors causing delay").fill("Court expert report delayed.")
    page.get_by_role("button", name="Escalate to the next Permanence Panel").click()
    expect(page.get_by_text("goes on the agenda of the next Permanence Panel")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # CPS duty, the permanence coordinator, arranges today's sitting from Meetings.
    login(page, "cps")
    page.get_by_role("link", name="Meetings").first.click()
    page.get_by_role("link", name="Permanence Panel sittings and their agendas").click()
    expect(page.get_by_role("link", name=str(first))).to_be_visible()
    expect(page.get_by_role("cell", name="Court expert report delayed.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Arrange a sitting").click()
    assert_accessible(page)
    fill_date(page, "sits_on", TODAY() - dt.timedelta(days=1))
    page.get_by_label("Chair (head of service)").select_option(
        label=head.get_full_name() or head.username
    )
    page.get_by_role("button", name="Arrange the sitting and build its agenda").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date of the sitting must be today or in the future"
    )
    assert_accessible(page)
    fill_date(page, "sits_on", TODAY())
    page.get_by_role("button", name="Arrange the sitting and build its agenda").click()
    expect(page.get_by_text("with 2 children on its agenda")).to_be_visible()
    expect(page.get_by_role("heading", name=team.name)).to_be_visible()
    expect(page.get_by_role("cell", name="Red plan due back at panel")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Escalated by the team manager: Court expert report delayed.")
    ).to_be_visible()
    assert_accessible(page)

    # The rating and its reason are recorded on the child's agenda item.
    page.get_by_role("link", name=f"Record the rating for {child.full_name}").click()
    fill_date(page, "held_on", TODAY())
    page.get_by_label("Decisions").fill("Assessment booked; come back in four weeks.")
    page.get_by_role("radio", name="Red").check()
    page.get_by_label("Reason for the RAG rating").fill("Assessment booked but not started.")
    page.get_by_role("button", name="Save the record").click()
    assert_accessible(page)
    page.goto(
        f"{live_server.url}{PanelSitting.objects.exclude(pk=first.pk).get().get_absolute_url()}"
    )
    expect(page.get_by_text("Assessment booked but not started.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The forum advised adoption; the plan is long-term fostering. At the second review the IRO
    # reads the difference.
    _forum_advised_adoption(child, chair, social_worker)
    review_services.review_record(
        child=child, by=iro, held_on=TODAY() - dt.timedelta(days=30), participation="PN1"
    )
    second = review_services.review_record(
        child=child, by=iro, held_on=TODAY(), participation="PN1"
    )
    login(page, "iro")
    page.goto(f"{live_server.url}{second.get_absolute_url()}")
    expect(
        page.get_by_text("advised adoption; the plan's route was long-term fostering")
    ).to_be_visible()
    assert_accessible(page)
