"""The carers' register and a special guardianship order, through the real pages in Chromium
(issue 14; 000 "Progressing the plan", 001 §3.4-3.5): CPS duty adds agency carers (refused
without the agency's supervising social worker, beside the field); the child's social worker
opens the household only through their child's potential match and is told to go through the
supervising social worker, with no contact details; the social worker records the SGO sought
(a parent refused, a footing without leave warned about), its assessment, and the plan page
says what achieving it still needs. axe-core checks every page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from permanence.models.plans import Route, Status
from tests.factories.finding import CarerHouseholdFactory, PotentialMatchFactory
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.plans import PlanFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_register_contact_route_and_sgo_order(
    page, live_server, login, assert_accessible, service, team, social_worker, iro, cps_duty
):
    today = timezone.localdate()
    child = ChildFactory(
        team=team, first_name="Mabel", last_name="Quarry", social_worker=social_worker, iro=iro
    )
    EpisodeFactory(child=child, decom=today - dt.timedelta(days=400))
    plan = PlanFactory(
        child=child,
        route=Route.SGO_CAO,
        status=Status.RATIFIED,
        ratified_on=today - dt.timedelta(days=30),
        created_by=social_worker,
    )
    kin = CarerHouseholdFactory(
        name="Mrs Quarry (aunt)",
        kind="connected",
        service=service,
        supervising_social_worker=cps_duty,
        contact_details="Flat 2, Wrekin View",
    )
    PotentialMatchFactory(plan=plan, carer=kin, existing_carers=True)

    # CPS duty keeps the register: agency carers need the agency's worker, beside the field.
    login(page, "cps")
    page.goto(f"{live_server.url}{reverse('permanence:household-list')}")
    expect(page.get_by_role("heading", name="Carers' register")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a household").click()
    page.get_by_label("Household", exact=True).fill("Mr and Mrs Doyle")
    page.get_by_label("Independent fostering agency carers").check()
    page.get_by_label("Agency", exact=True).fill("Brightstart Fostering")
    page.get_by_role("button", name="Save the household").click()
    expect(page.locator("#id_agency_contact_1_error")).to_contain_text(
        "Enter the agency's supervising social worker"
    )
    assert_accessible(page)
    page.get_by_label("Agency's supervising social worker").fill("Lena Marsh, lena@bright.invalid")
    page.get_by_role("button", name="Save the household").click()
    expect(page.get_by_role("heading", name="Mr and Mrs Doyle")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The child's social worker: the aunt's household through the match, never her address.
    login(page, social_worker.username)
    page.goto(f"{live_server.url}{reverse('permanence:household-detail', args=[kin.pk])}")
    expect(page.locator("#contact-route")).to_contain_text(
        "Contact through the supervising social worker"
    )
    expect(page.get_by_text("Flat 2, Wrekin View")).to_have_count(0)
    assert_accessible(page)

    # The plan page says what achieving it needs; the order is recorded from family finding.
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    expect(page.locator("#achieve-needs")).to_contain_text("child arrangements order made")
    page.get_by_role("link", name="Go to family finding, matches and orders").click()
    expect(page.get_by_role("heading", name="Family finding, matches and orders")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record an order or outcome").click()
    page.get_by_label("Special guardianship order").check()
    page.get_by_label("On what footing they apply").select_option(label="A parent of the child")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#id_applicant_basis_1_error")).to_contain_text(
        "A parent cannot become their own child's special guardian"
    )
    expect(page.locator("#id_sought_because_1_error")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The child is strongly attached to the carers").check()
    page.get_by_label("Why this order and not the other").fill(
        "Her aunt will decide day-to-day matters; Mabel keeps her links with her mother."
    )
    page.get_by_label("Applicant or applicants").fill("Mrs Quarry")
    page.get_by_label("On what footing they apply").select_option(
        label="A party to a marriage in which the child was a child of the family"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("will need the court's leave to apply").first).to_be_visible()
    expect(page.get_by_text("No completed special guardianship assessment").first).to_be_visible()
    assert_accessible(page)
