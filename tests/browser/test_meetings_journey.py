"""The meetings that drive a plan (seeds 002, 004), through the real pages in Chromium: a child
who came into care unplanned is due at the Legal Gateway Panel; the referral is refused without
its papers, then heard (decision to issue, adoption contingency, an assessment with its owner,
the Stage 1 notice); a care planning meeting rates the plan red; after the second review the IRO
sends PPN1 to the designated admin officer, who books the first Permanency Planning Meeting and
records its agenda. Each new deadline shows on the child's page and in the tracker; axe-core
checks every page on the way, error pages included."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forums.models import Meeting
from permanence.models.plans import Route, Status
from permanence.roles import Role
from reviews import services as review_services
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tests.factories.plans import PlanFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = timezone.localdate


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def add_meeting(page, child, kind):
    page.get_by_role("link", name="Meetings").first.click()
    page.get_by_role("button", name="Add a meeting").click()
    page.get_by_label("Child", exact=True).select_option(
        label=f"{child.full_name} ({child.child_id})"
    )
    page.get_by_label(kind).check()
    page.get_by_role("button", name="Continue").click()


def test_gateway_care_planning_ppn1_and_the_first_planning_meeting(
    page, live_server, login, assert_accessible, social_worker, team_manager, iro, team
):
    officer = UserFactory(username="ao", team=None, role=Role.ADMIN_OFFICER, first_name="Ola")
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Amelia", last_name="Stone"
    )
    # Came into care three days ago with no Legal Gateway hearing: an unplanned admission.
    EpisodeFactory(child=child, decom=TODAY() - dt.timedelta(days=3), place="U6")
    PlanFactory(
        child=child,
        created_by=social_worker,
        route=Route.RETURN_HOME,
        contingency_route=Route.ADOPTION,
        status=Status.RATIFIED,
        ready=True,
    )

    # The child's page shows the Legal Gateway deadline the admission started.
    login(page, "sw")
    page.goto(f"{live_server.url}{child.get_absolute_url()}")
    expect(page.get_by_text("Unplanned admission presented to Legal Gateway").first).to_be_visible()
    assert_accessible(page)

    # The referral is refused without its papers, then accepted with them.
    add_meeting(page, child, "Legal Gateway Panel")
    assert_accessible(page)
    fill_date(page, "scheduled_for", TODAY())
    page.get_by_label("Chronology").check()
    page.get_by_role("button", name="Add the meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the initial permanence plan the referral carries"
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text("Still missing: cultural genogram")
    assert_accessible(page)
    plan = page.get_by_role("textbox", name="Initial permanence plan")
    plan.fill("Return home; adoption as the contingency.")
    for paper in ("Cultural genogram", "Referral form, with", "Most recent child and family"):
        page.get_by_label(paper).check()
    page.get_by_role("button", name="Add the meeting").click()
    expect(page.get_by_role("heading", name="Legal Gateway Panel")).to_be_visible()
    assert_accessible(page)

    # Heard: decision to issue with an adoption contingency, one assessment with its owner.
    page.get_by_role("button", name="Record what it decided").click()
    page.get_by_label("Decisions").fill("Issue care proceedings.")
    page.get_by_label("Initiate care proceedings").check()
    page.get_by_label("Yes, ratified").check()
    page.locator("#id_assessment_1_kind").select_option(label="Psychological assessment")
    fill_date(page, "assessment_1_due_on", TODAY() + dt.timedelta(weeks=6))
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who owns assessment 1")
    assert_accessible(page)
    page.locator("#id_assessment_1_owner").select_option(index=1)
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text(f"Sent on {TODAY():%-d %B %Y}")).to_be_visible()
    expect(page.get_by_text("Ratified by the panel")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The team manager chairs a care planning meeting that rates the plan red.
    login(page, "tm")
    add_meeting(page, child, "Care Planning Meeting")
    fill_date(page, "scheduled_for", TODAY())
    page.get_by_label("Chair").select_option(label=str(team_manager))
    page.get_by_label("Adoption service").check()
    page.get_by_role("button", name="Add the meeting").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record what it decided").click()
    page.get_by_label("Decisions").fill("The plan is drifting.")
    for textarea in page.locator("textarea[name^=matter_]").all():
        textarea.fill("Discussed and recorded.")
    page.get_by_label("Apply for early family finding for adoption").check()
    page.get_by_role("radio", name="Red").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reason for the RAG rating"
    )
    assert_accessible(page)
    page.get_by_label("Reason for the RAG rating").fill("Parenting assessment late.")
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text("it goes to Permanence Panel every 4 weeks")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}{child.get_absolute_url()}")
    expect(page.get_by_text("Red plan back at Permanence Panel").first).to_be_visible()
    expect(page.get_by_text("Legal Gateway assessment completed").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Deadlines").first.click()
    page.get_by_role("link", name="upcoming: show them").click()
    expect(page.get_by_role("cell", name="Red plan back at Permanence Panel")).to_be_visible()
    expect(page.get_by_role("cell", name="Legal Gateway assessment completed")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The second review; the IRO sends PPN1 to the admin officer.
    review_services.review_record(
        child=child, by=iro, held_on=TODAY() - dt.timedelta(days=2), participation="PN1"
    )
    second = review_services.review_record(
        child=child, by=iro, held_on=TODAY() - dt.timedelta(days=1), participation="PN1"
    )
    login(page, "iro")
    page.goto(f"{live_server.url}{second.get_absolute_url()}")
    page.get_by_role("link", name="Complete PPN1").click()
    page.get_by_label("The permanence plan agreed at the review").fill("Return home.")
    page.get_by_label("Not needed").check()
    page.get_by_role("button", name="Complete PPN1 and send it").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the designated admin officer it goes to"
    )
    assert_accessible(page)
    page.get_by_label("Designated admin officer").select_option(label=str(officer))
    page.get_by_label("Adoption team manager").select_option(label=str(team_manager))
    page.get_by_label("Fostering support manager").select_option(label=str(team_manager))
    page.get_by_role("button", name="Complete PPN1 and send it").click()
    expect(page.get_by_text("To be booked", exact=True)).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The admin officer books the first Permanency Planning Meeting and records it.
    login(page, "ao")
    ppn1 = second.ppn1
    page.goto(f"{live_server.url}{ppn1.get_absolute_url()}")
    expect(page.get_by_text("The review's minutes")).to_be_visible()
    fill_date(page, "meeting_on", TODAY())
    page.get_by_role("button", name="Book the meeting").click()
    page.get_by_role("link", name="Open the meeting").click()
    expect(page.get_by_role("heading", name="Permanency Planning Meeting")).to_be_visible()
    expect(page.get_by_text("Nominated home finder")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record what it decided").click()
    page.get_by_label("Decisions").fill("Family finding to start.")
    for textarea in page.locator("textarea[name^=matter_]").all():
        textarea.fill("Discussed.")
    # Everyone invited starts ticked as attending; nobody ticked is refused.
    for box in page.locator("input[name=attended_roles]").all():
        box.uncheck()
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who attended the meeting")
    assert_accessible(page)
    page.locator("input[name=attended_roles][value=home_finder]").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text("What the meeting decided has been recorded.")).to_be_visible()
    assert_accessible(page)
    meeting = Meeting.objects.get(meeting_type__code="permanency-planning")
    assert meeting.is_held
    page.goto(f"{live_server.url}{child.get_absolute_url()}")
    expect(page.get_by_text("Next Permanency Planning Meeting").first).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The permanence coordinator's list of panel actions, as the team manager reads it.
    login(page, "tm")
    page.get_by_role("link", name="Meetings").first.click()
    page.get_by_role("link", name="Permanence Panel actions across children").click()
    expect(page.get_by_role("heading", name="Permanence Panel actions")).to_be_visible()
    assert_accessible(page)
