"""The child's world in Chromium (001 §2.1, 002 §6): a social worker records three brothers and
sisters, a sibling assessment placing one apart and contact between them, and the tracker and
Part 1 show it; an administrator switches the ladder to 002's rule and a long-term fostering plan
is then refused until adoption is ruled out. axe-core checks each of our pages."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from permanence.models import LadderRule, Plan
from permanence.models.plans import Route
from tests.factories.forums import Part1Factory
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.plans import rule_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fill_date(page, group: str, day: dt.date) -> None:
    dates = page.get_by_role("group", name=group)
    dates.get_by_label("Day").fill(str(day.day))
    dates.get_by_label("Month").fill(str(day.month))
    dates.get_by_label("Year").fill(str(day.year))


def test_a_worker_records_three_siblings_one_placed_apart_with_contact(
    page, live_server, login, assert_accessible, social_worker, iro, team
):
    kids = [
        ChildFactory(
            team=team,
            social_worker=social_worker,
            iro=iro,
            first_name=first,
            last_name="Rowe",
            child_id=ident,
        )
        for first, ident in (("Amy", "ROWE1"), ("Ben", "ROWE2"), ("Cal", "ROWE3"))
    ]
    part1 = Part1Factory(booking__child=kids[0], booking__requested_by=social_worker)
    login(page, social_worker.username)

    page.goto(f"{live_server.url}{kids[0].get_absolute_url()}")
    page.get_by_role("link", name="Record brothers and sisters").click()
    expect(page.get_by_role("heading", name="Record brothers and sisters")).to_be_visible()
    assert_accessible(page)
    # A child typed who is not on the worker's caseload: the message sits beside the field.
    page.get_by_label("Child identifiers of the brothers and sisters").fill("ROWE1, ROWE2, NOPE9")
    page.get_by_role("button", name="Save the sibling group").click()
    expect(page.locator(".govuk-error-message")).to_contain_text("NOPE9")
    assert_accessible(page)
    page.get_by_label("Child identifiers of the brothers and sisters").fill("ROWE1, ROWE2, ROWE3")
    page.get_by_role("button", name="Save the sibling group").click()
    expect(page.get_by_text("To live together").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record a sibling assessment").click()
    fill_date(page, "Date the assessment was completed", timezone.localdate())
    page.get_by_label("Who carried out the assessment").fill("Fostering team")
    page.get_by_label("Some should live apart").check()
    page.get_by_label("Cal Rowe (ROWE3)").check()
    page.get_by_label("What the assessment found").fill(
        "Cal's needs would overwhelm a placement of three."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Record the assessment").click()
    expect(page.get_by_text("Some live apart").first).to_be_visible()
    expect(
        page.get_by_text("No contact with brothers and sisters is recorded for Cal Rowe")
    ).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/children/{kids[2].pk}/contact/new/?sibling={kids[0].pk}")
    expect(page.get_by_role("heading", name="Record a contact arrangement")).to_be_visible()
    page.get_by_label("How often").fill("Fortnightly")
    page.get_by_label("In person").check()
    page.get_by_label("Supported").check()
    page.get_by_role("button", name="Record the contact").click()
    expect(page.get_by_text("The contact arrangement has been recorded.")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text("With Amy Rowe: Fortnightly").first).to_be_visible()

    page.goto(f"{live_server.url}/tracker/children/{kids[1].pk}/chronology/")
    expect(page.get_by_text("Rowe brothers and sisters:")).to_be_visible()
    expect(page.get_by_text("Some live apart").first).to_be_visible()
    assert_accessible(page)

    # The worker's tracker: beneath each child's name, the group in a few words.
    page.goto(f"{live_server.url}/tracker/caseload/")
    ben_row = page.get_by_role("row").filter(has_text="ROWE2")
    expect(ben_row).to_contain_text(
        "With 2 brothers or sisters, placed apart: sibling assessment recorded"
    )
    assert_accessible(page)

    page.goto(f"{live_server.url}/forums/permanency/bookings/{part1.booking.pk}/part-1/")
    expect(page.get_by_role("heading", name="Brothers and sisters")).to_be_visible()
    expect(page.get_by_text("Apart from the others")).to_be_visible()
    assert_accessible(page)


def test_under_002s_rule_long_term_fostering_waits_for_adoption_to_be_ruled_out(
    page, live_server, login, assert_accessible, social_worker, iro, team, administrator
):
    today = timezone.localdate()
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Dan", last_name="Hale"
    )
    EpisodeFactory(child=child, decom=today - dt.timedelta(days=150))
    rule_out(child, Route.RETURN_HOME, Route.CONNECTED_PERSON, Route.SGO_CAO)

    login(page, administrator.username)
    rule = LadderRule.objects.get(route=Route.LONG_TERM_FOSTERING)
    page.goto(f"{live_server.url}/admin/permanence/ladderrule/{rule.pk}/change/")
    page.get_by_label("adoption").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.context.clear_cookies()

    login(page, social_worker.username)
    page.goto(f"{live_server.url}/children/{child.pk}/plan/new/")
    page.get_by_role("radio", name="Long-term fostering").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save draft plan").click()
    message = (
        "Before the plan can be long-term fostering, record why each option to be ruled out "
        "first was considered and ruled out: adoption (has not been ruled out)"
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    expect(page.get_by_text("Enter why adoption was ruled out").first).to_be_visible()
    assert_accessible(page)
    assert not Plan.objects.exists()

    page.get_by_label("Why adoption was ruled out").fill(
        "Dan is 11 and wants to stay with his carers; adoption would sever his family links."
    )
    fill_date(page, "Date adoption was considered", today - dt.timedelta(days=3))
    page.get_by_role("button", name="Save draft plan").click()
    expect(page.get_by_role("heading", name="The ladder")).to_be_visible()
    assert_accessible(page)
    assert Plan.objects.get().route == Route.LONG_TERM_FOSTERING
