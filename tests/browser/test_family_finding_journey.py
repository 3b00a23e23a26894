"""From a ratified adoption plan to permanence achieved, through the real pages in Chromium
(issue 14 "Done when"; seeds 000 "Progressing the plan", "Matching process"; 003 "Family
finding", "Long-term fostering"): CPS duty allocates a family finder, records a national search
(refused without a senior manager's written permission, then with it), two households
considered (one ruled out), a matching meeting with its report, the adoption panel with its
bundle (a missing paper refused beside its field) and the agency decision maker's approval (a
decision dated before the panel refused), and the placement; the social worker records that
permanence was achieved. The tracker shows each stage on the way; axe-core checks every page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from forums.models.meetings import PANEL_BUNDLE
from permanence.models import CarerHousehold, OrderRecord
from permanence.models.plans import Route, Status
from permanence.roles import Role
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tests.factories.plans import PlanFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = timezone.localdate
REPORT = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def fill_date(page, name, day):
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def test_family_finding_from_allocation_to_permanence_achieved(
    page,
    live_server,
    login,
    assert_accessible,
    service,
    team,
    social_worker,
    iro,
    cps_duty,
    head_of_service,
):
    UserFactory(
        username="ff",
        team=None,
        service=service,
        role=Role.FAMILY_FINDER,
        first_name="Leah",
        last_name="Turner",
    )
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Poppy", last_name="Reed"
    )
    EpisodeFactory(child=child, decom=TODAY() - dt.timedelta(days=300), place="U4")
    plan = PlanFactory(
        child=child,
        created_by=social_worker,
        route=Route.ADOPTION,
        contingency_route=Route.LONG_TERM_FOSTERING,
        status=Status.RATIFIED,
        ready=True,
    )
    OrderRecord.objects.create(
        child=child,
        plan=plan,
        kind=OrderRecord.Kind.PLACEMENT_ORDER,
        status=OrderRecord.Status.MADE,
        applicants="The local authority",
        made_on=TODAY() - dt.timedelta(days=60),
        recorded_by=cps_duty,
    )
    for name in ("Mr and Mrs Ash", "Ms Birch"):
        CarerHousehold.objects.create(
            name=name,
            kind=CarerHousehold.Kind.ADOPTERS,
            approved_on=TODAY() - dt.timedelta(days=200),
            service=service,
            created_by=cps_duty,
        )
    finding_url = f"{live_server.url}{reverse('permanence:finding', args=[plan.pk])}"
    stages_url = f"{live_server.url}{reverse('tracker:family-finding')}"

    def stage_is(text):
        page.goto(stages_url)
        row = page.get_by_role("row").filter(has_text="Poppy Reed")
        expect(row).to_contain_text(text)
        assert_accessible(page)

    # CPS duty allocates the family finder to the ratified adoption plan.
    login(page, "cps")
    page.goto(finding_url)
    assert_accessible(page)
    page.get_by_role("link", name="Allocate").click()
    page.get_by_label("Family finder", exact=True).check()
    page.get_by_label("Worker", exact=True).select_option(label="Leah Turner")
    fill_date(page, "on", TODAY())
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("Leah Turner, since")).to_be_visible()
    assert_accessible(page)
    stage_is("1 of 8: Family finder allocated")

    # A national search is refused without a senior manager's written permission, then taken.
    page.goto(finding_url)
    page.get_by_role("link", name="Record a search").click()
    page.get_by_label("National search").check()
    fill_date(page, "started_on", TODAY())
    page.get_by_role("button", name="Save the search").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Senior manager who gave written permission").select_option(index=1)
    fill_date(page, "permission_on", TODAY())
    page.get_by_label("The written permission").fill("Search nationally: no internal adopters.")
    page.get_by_label("The permission was copied to the Placements team").check()
    page.get_by_role("button", name="Save the search").click()
    expect(page.get_by_text("National search, from")).to_be_visible()
    stage_is("2 of 8: Searching for a family")

    # Two households considered: one ruled out with its reason, one still considered.
    for household, outcome, reason in (
        ("Mr and Mrs Ash", "Ruled out", "They cannot meet her health needs."),
        ("Ms Birch", "Being considered", ""),
    ):
        page.goto(finding_url)
        page.get_by_role("link", name="Record a household considered").click()
        page.get_by_label("Household", exact=True).select_option(
            label=f"{household} (approved adopters)"
        )
        fill_date(page, "considered_on", TODAY())
        page.get_by_label(outcome).check()
        if reason:
            page.get_by_label("Reason", exact=True).fill(reason)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("cell", name=household).first).to_be_visible()
    assert_accessible(page)
    stage_is("3 of 8: Potential match being considered")

    # The family finder arranges the matching meeting, and CPS duty records it with its report.
    def add_meeting(kind):
        page.goto(f"{live_server.url}{reverse('forums:meeting-create')}?child={child.pk}")
        page.get_by_label(kind, exact=True).check()
        page.get_by_role("button", name="Continue").click()

    add_meeting("Matching meeting")
    assert_accessible(page)
    fill_date(page, "scheduled_for", TODAY())
    page.get_by_label("The household proposed for the child").select_option(
        label="Ms Birch (approved adopters)"
    )
    page.get_by_label("Arranged by").select_option(label="Leah Turner")
    page.get_by_label("Chair", exact=True).select_option(index=1)
    page.get_by_role("button", name="Add the meeting").click()
    expect(page.get_by_role("heading", name="Matching meeting")).to_be_visible()
    assert_accessible(page)
    meeting_url = page.url
    stage_is("4 of 8: Matching meeting")
    page.goto(meeting_url)
    page.get_by_role("button", name="Record what it decided").click()
    page.get_by_label("Decisions").fill("Ms Birch can meet Poppy's needs for life.")
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Attach the matching report")
    assert_accessible(page)
    page.get_by_label("Decisions").fill("Ms Birch can meet Poppy's needs for life.")
    page.get_by_label("Matching report", exact=True).set_input_files(
        {"name": "matching-report.pdf", "mimeType": "application/pdf", "buffer": REPORT}
    )
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_role("link", name="Download the matching report")).to_be_visible()
    assert_accessible(page)

    # The adoption panel: a missing paper of the bundle is refused beside its field.
    add_meeting("Adoption panel (matching)")
    fill_date(page, "scheduled_for", TODAY())
    page.get_by_label("The household proposed for the child").select_option(
        label="Ms Birch (approved adopters)"
    )
    recent = TODAY() - dt.timedelta(days=30)
    for item in PANEL_BUNDLE:
        if item.field not in ("matching_report", "foster_home_review_on", "references_on"):
            fill_date(page, item.field, recent)
    page.get_by_role("button", name="List the match").click()
    expect(
        page.locator(".govuk-error-message").filter(
            has_text="Enter the date the references were completed or updated"
        )
    ).to_be_visible()
    assert_accessible(page)
    fill_date(page, "references_on", recent)
    page.get_by_role("button", name="List the match").click()
    expect(page.get_by_role("heading", name="Adoption panel (matching)")).to_be_visible()
    expect(page.get_by_text("From the matching meeting held on")).to_be_visible()
    assert_accessible(page)
    panel_url = page.url
    stage_is("5 of 8: At panel")

    # The panel sits: attendance by role and its recommendation.
    page.goto(panel_url)
    page.get_by_role("button", name="Record what it decided").click()
    page.get_by_label("Decisions").fill("The panel recommends the match.")
    for who in ("The child's social worker", "Permanency worker or family finder"):
        page.get_by_label(who).check()
    page.get_by_label("The carers in the proposed match").check()
    page.get_by_label("Match recommended", exact=True).check()
    page.get_by_role("button", name="Save the record").click()
    assert_accessible(page)

    # The agency decision maker's decision: not dated before the panel; then approved.
    page.get_by_role("link", name="Record the agency decision maker's decision").click()
    page.get_by_label("Approved", exact=True).check()
    fill_date(page, "decided_on", TODAY() - dt.timedelta(days=1))
    page.get_by_label("Agency decision maker", exact=True).fill("Jo Bloggs, Assistant Director")
    page.get_by_role("button", name="Record the decision").click()
    expect(
        page.locator(".govuk-error-message").filter(
            has_text="The decision cannot come before the panel"
        )
    ).to_be_visible()
    assert_accessible(page)
    fill_date(page, "decided_on", TODAY())
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Approved by Jo Bloggs, Assistant Director")).to_be_visible()
    assert_accessible(page)
    stage_is("6 of 8: Match approved by the decision maker")

    # The placement.
    page.goto(finding_url)
    page.get_by_role("link", name="Record the placement").click()
    fill_date(page, "on", TODAY())
    page.get_by_role("button", name="Record the placement").click()
    assert_accessible(page)
    stage_is("7 of 8: Placed with the family")
    sign_out(page)

    # The social worker records that permanence was achieved: the evidence is all there.
    login(page, "sw")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Permanence achieved").click()
    page.get_by_label("The order made or the match approved").fill(
        "Matched with Ms Birch, approved by the agency decision maker; placed today."
    )
    fill_date(page, "on", TODAY())
    page.get_by_role("button", name="Record that permanence was achieved").click()
    expect(page.get_by_text("Achieved").first).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The tracker: the last stage, on the family finder's own page and on the dashboard's row.
    login(page, "ff")
    expect(page.get_by_role("link", name="Family finding")).to_be_visible()
    stage_is("8 of 8: Permanence achieved")
    sign_out(page)
    login(page, "hos")
    page.goto(f"{live_server.url}{reverse('tracker:dashboard')}")
    expect(page.get_by_text("Family finding, stage 8 of 8: permanence achieved")).to_be_visible()
    assert_accessible(page)
