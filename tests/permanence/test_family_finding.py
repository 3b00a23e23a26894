"""Family finding (issue 14): the carers' register and who sees a household, allocation once
the plan is ratified, the search and its permission, the households considered, orders, and
a plan achieved only from evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from permanence.finding import services
from permanence.models import (
    FamilyFindingAllocation,
    FamilySearch,
    OrderRecord,
    Plan,
    PotentialMatch,
)
from permanence.models.plans import Route, Status
from permanence.plans import services as plans
from permanence.roles import Role
from tests.factories import plans as shared
from tests.factories.finding import (
    CarerHouseholdFactory,
    OrderFactory,
    PotentialMatchFactory,
    SgoAssessmentFactory,
    give_evidence,
)
from tests.factories.permanence import ServiceFactory, TeamFactory, UserFactory
from tests.factories.plans import PlanFactory

child = shared.child
TODAY = timezone.localdate()


def _ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def _ratified(child, route, **kwargs) -> Plan:
    return PlanFactory(
        child=child, route=route, status=Status.RATIFIED, ratified_on=_ago(20), **kwargs
    )


# -- achieved only from evidence ---------------------------------------------------------------

ROUTES_AND_MISSING = [
    (Route.ADOPTION, "placement order"),
    (Route.LONG_TERM_FOSTERING, "approved by the agency decision maker"),
    (Route.SGO_CAO, "special guardianship order or child arrangements order made"),
    (Route.CONNECTED_PERSON, "special guardianship or child arrangements order made"),
    (Route.RETURN_HOME, "return home recorded as completed"),
    (Route.RESIDENTIAL, "residential placement recorded as confirmed"),
    (Route.PATHWAY_PLAN, "pathway plan recorded as agreed"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "missing"), ROUTES_AND_MISSING)
def test_achieving_is_refused_without_the_routes_evidence_and_taken_with_it(child, route, missing):
    plan = _ratified(child, route)
    sw = child.social_worker
    with pytest.raises(ValidationError) as refused:
        plans.plan_achieve(plan=plan, by=sw, reason="Done")
    assert missing in " ".join(refused.value.messages)
    assert Plan.objects.get(pk=plan.pk).status == Status.RATIFIED
    give_evidence(plan, by=sw)
    assert plans.plan_achieve(plan=plan, by=sw, reason="Done").status == Status.ACHIEVED


@pytest.mark.django_db
def test_adoption_needs_the_placement_order_as_well_as_the_placed_match(child):
    plan = _ratified(child, Route.ADOPTION)
    PotentialMatchFactory(plan=plan, approved=True, placed_on=_ago(2))
    with pytest.raises(ValidationError) as refused:
        plans.plan_achieve(plan=plan, by=child.social_worker, reason="Placed")
    assert "placement order made, or the parents' consent" in refused.value.messages[0]
    OrderFactory(plan=plan, kind=OrderRecord.Kind.CONSENT_S19, applicant_basis="")
    assert plans.plan_achieve(plan=plan, by=child.social_worker, reason="Placed").achieved_on


@pytest.mark.django_db
def test_long_term_fostering_needs_the_head_of_services_ratification_and_the_placement(child):
    plan = _ratified(child, Route.LONG_TERM_FOSTERING)
    match = PotentialMatchFactory(plan=plan, approved=True)
    with pytest.raises(ValidationError) as refused:
        plans.plan_achieve(plan=plan, by=child.social_worker, reason="Matched")
    assert "head of service's ratification" in refused.value.messages[0]
    PotentialMatch.objects.filter(pk=match.pk).update(
        ratified_by_hos=UserFactory(), ratified_on=_ago(3)
    )
    with pytest.raises(ValidationError) as refused:
        plans.plan_achieve(plan=plan, by=child.social_worker, reason="Matched")
    assert "the date the child was placed" in refused.value.messages[0]


@pytest.mark.django_db
def test_a_match_refused_or_only_recommended_is_not_evidence(child):
    plan = _ratified(child, Route.LONG_TERM_FOSTERING)
    PotentialMatchFactory(
        plan=plan,
        panel_recommendation=PotentialMatch.Recommendation.RECOMMENDED,
        panel_on=_ago(5),
        placed_on=None,
    )
    PotentialMatchFactory(
        plan=plan,
        panel_recommendation=PotentialMatch.Recommendation.NOT_RECOMMENDED,
        decision=PotentialMatch.Decision.NOT_APPROVED,
        decided_on=_ago(2),
    )
    with pytest.raises(ValidationError):
        plans.plan_achieve(plan=plan, by=child.social_worker, reason="Matched")


@pytest.mark.django_db
def test_a_disruption_reopens_the_road_the_old_match_does_not_carry_over(child):
    plan = _ratified(child, Route.LONG_TERM_FOSTERING)
    give_evidence(plan)
    plan = plans.plan_achieve(plan=plan, by=child.social_worker, reason="Matched")
    plan = plans.plan_disrupt(plan=plan, by=child.social_worker, reason="Broke down")
    new = plans.plan_new_version(plan=plan, by=child.social_worker, reason="Next placement")
    Plan.objects.filter(pk=new.pk).update(status=Status.RATIFIED, ratified_on=TODAY)
    new = Plan.objects.get(pk=new.pk)
    with pytest.raises(ValidationError) as refused:
        plans.plan_achieve(plan=new, by=child.social_worker, reason="Matched again")
    assert "approved by the agency decision maker" in refused.value.messages[0]


@pytest.mark.django_db
def test_work_on_an_earlier_version_still_counts_after_a_new_version(child):
    plan = _ratified(child, Route.SGO_CAO)
    OrderFactory(plan=plan)
    new = plans.plan_new_version(plan=plan, by=child.social_worker, reason="Timescales changed")
    Plan.objects.filter(pk=new.pk).update(status=Status.RATIFIED, ratified_on=TODAY)
    new = Plan.objects.get(pk=new.pk)
    assert plans.plan_achieve(plan=new, by=child.social_worker, reason="Order made").achieved_on


@pytest.mark.django_db
def test_the_plan_page_says_what_is_missing_before_anyone_tries(client, child):
    plan = _ratified(child, Route.SGO_CAO, created_by=child.social_worker)
    client.force_login(child.social_worker)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Before permanence can be recorded as achieved" in page
    assert "A special guardianship order or child arrangements order made" in page
    assert "Permanence achieved</a>" not in page
    response = client.post(
        reverse("permanence:plan-transition", args=[plan.pk, "achieve"]),
        {"reason": "Order made", "on_0": TODAY.day, "on_1": TODAY.month, "on_2": TODAY.year},
    )
    assert response.status_code in (400, 403)
    assert Plan.objects.get(pk=plan.pk).status == Status.RATIFIED


# -- the carers' register and who sees a household --------------------------------------------


@pytest.fixture
def household(service, team):
    ssw = UserFactory(team=team, role=Role.SOCIAL_WORKER, email="ssw@example.invalid")
    return CarerHouseholdFactory(
        service=service, supervising_social_worker=ssw, contact_details="7 Larkspur Rise, SY3"
    )


@pytest.mark.django_db
def test_cps_duty_keeps_the_register_and_reads_the_contact_details(client, cps_duty, household):
    client.force_login(cps_duty)
    listing = client.get(reverse("permanence:household-list")).content.decode()
    assert household.name in listing
    page = client.get(reverse("permanence:household-detail", args=[household.pk]))
    assert "7 Larkspur Rise" in page.content.decode()
    response = client.post(
        reverse("permanence:household-create"),
        {"name": "The Ashworths", "kind": "ifa", "status": "active", "agency_name": "Brightstart"},
    )
    assert response.status_code == 400
    assert "Enter the agency&#x27;s supervising social worker" in response.content.decode()


@pytest.mark.django_db
def test_a_social_worker_sees_a_household_only_through_their_childs_match(client, child, household):
    client.force_login(child.social_worker)
    url = reverse("permanence:household-detail", args=[household.pk])
    assert client.get(url).status_code == 404
    assert household.name not in client.get(reverse("permanence:household-list")).content.decode()
    plan = _ratified(child, Route.LONG_TERM_FOSTERING)
    PotentialMatchFactory(plan=plan, carer=household)
    page = client.get(url).content.decode()
    ssw = household.supervising_social_worker
    assert f"Contact through the supervising social worker: {ssw}, ssw@example.invalid" in page
    assert "7 Larkspur Rise" not in page
    assert (
        client.get(reverse("permanence:household-update", args=[household.pk])).status_code == 403
    )


@pytest.mark.django_db
def test_a_household_of_another_service_is_not_seen_by_its_managers_or_cps(household):
    other = ServiceFactory(name="Another service")
    cps_elsewhere = UserFactory(team=None, service=other, role=Role.CPS_DUTY)
    fostering_elsewhere = UserFactory(team=None, service=other, role=Role.FOSTERING_MANAGER)
    for user in (cps_elsewhere, fostering_elsewhere):
        assert not user.has_perm("permanence.view_carerhousehold", household)
    fostering_here = UserFactory(team=None, service=household.service, role=Role.FOSTERING_MANAGER)
    assert fostering_here.has_perm("permanence.view_carerhousehold", household)
    assert not fostering_here.has_perm("permanence.change_carerhousehold", household)


# -- allocation once ratified ------------------------------------------------------------------


@pytest.mark.django_db
def test_cps_duty_allocates_a_family_finder_to_a_ratified_adoption_plan(
    child, cps_duty, django_capture_on_commit_callbacks
):
    plan = _ratified(child, Route.ADOPTION)
    assert cps_duty.has_perm("permanence.view_child", child)  # CPS coordinates family finding
    finder = UserFactory(team=TeamFactory(), role=Role.SOCIAL_WORKER)
    with pytest.raises(ValidationError) as wrong:
        services.allocation_add(
            plan=plan, by=cps_duty, kind=FamilyFindingAllocation.Kind.SGO_ASSESSOR, worker=finder
        )
    assert "taken forward by a family finder" in wrong.value.messages[0]
    with django_capture_on_commit_callbacks(execute=True):
        services.allocation_add(
            plan=plan, by=cps_duty, kind=FamilyFindingAllocation.Kind.FAMILY_FINDER, worker=finder
        )
    assert finder.has_perm("permanence.view_child", child)  # the finder may open the child
    assert finder.notifications.filter(subject__contains=child.child_id).exists()


@pytest.mark.django_db
def test_allocation_waits_for_ratification_and_a_social_worker_cannot_allocate(child, cps_duty):
    plan = PlanFactory(child=child, route=Route.ADOPTION, status=Status.PRESENTED)
    finder = UserFactory(team=child.team, role=Role.SOCIAL_WORKER)
    with pytest.raises(ValidationError) as early:
        services.allocation_add(
            plan=plan,
            by=UserFactory(team=child.team, role=Role.TEAM_MANAGER),
            kind="family_finder",
            worker=finder,
        )
    assert "once the plan has been ratified" in early.value.messages[0]
    Plan.objects.filter(pk=plan.pk).update(status=Status.RATIFIED, ratified_on=_ago(1))
    with pytest.raises(PermissionDenied):
        services.allocation_add(
            plan=Plan.objects.get(pk=plan.pk),
            by=child.social_worker,
            kind="family_finder",
            worker=finder,
        )


@pytest.mark.django_db
def test_the_allocation_page_shows_the_due_date_and_the_finding_page_the_allocation(
    client, child, cps_duty
):
    plan = _ratified(child, Route.ADOPTION)
    client.force_login(cps_duty)
    page = client.get(reverse("permanence:finding", args=[plan.pk])).content.decode()
    due = services.allocation_due(plan)
    assert f"Due by <strong>{due.day} {due:%B %Y}</strong>" in page
    finder = UserFactory(team=child.team, role=Role.SOCIAL_WORKER, first_name="Zephyrine")
    url = reverse("permanence:finding-allocate", args=[plan.pk])
    response = client.post(
        url,
        {"kind": "family_finder", "worker": finder.pk, "on_0": "1", "on_1": "1", "on_2": "2090"},
    )
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "kind": "family_finder",
            "worker": finder.pk,
            "on_0": TODAY.day,
            "on_1": TODAY.month,
            "on_2": TODAY.year,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("permanence:finding", args=[plan.pk])).content.decode()
    assert "Zephyrine" in page


# -- the search and the households considered ---------------------------------------------------


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.mark.django_db
def test_an_external_search_is_refused_without_written_permission_copied_to_placements(
    client, child, cps_duty, head_of_service
):
    plan = _ratified(child, Route.ADOPTION)
    client.force_login(cps_duty)
    url = reverse("permanence:finding-search-create", args=[plan.pk])
    data = {"scope": "external", **_date("started_on", _ago(1))}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "needs a senior manager&#x27;s written permission" in page
    assert "Copy the written permission to the Placements team" in page
    assert not FamilySearch.objects.exists()
    data.update(
        {
            "permission_by": head_of_service.pk,
            **_date("permission_on", _ago(2)),
            "permission_note": "Agreed: no internal carers for a sibling pair.",
            "copied_to_placements": "on",
        }
    )
    assert client.post(url, data).status_code == 302
    assert FamilySearch.objects.get().permission_by == head_of_service


@pytest.mark.django_db
def test_an_agency_request_needs_funding_agreed_and_the_business_case_signed_off(child, cps_duty):
    plan = _ratified(child, Route.LONG_TERM_FOSTERING)
    with pytest.raises(ValidationError) as refused:
        services.search_save(
            plan=plan, by=cps_duty, scope="internal", started_on=_ago(1), ifa_request=True
        )
    assert set(refused.value.message_dict) >= {
        "ifa_funding_agreed_by",
        "ifa_funding_agreed_on",
        "business_case_signed_off_on",
    }


@pytest.mark.django_db
def test_a_household_ruled_out_needs_its_reason(client, child, cps_duty, household):
    plan = _ratified(child, Route.ADOPTION)
    client.force_login(cps_duty)
    url = reverse("permanence:finding-match-create", args=[plan.pk])
    data = {"carer": household.pk, "outcome": "ruled_out", **_date("considered_on", _ago(3))}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "every household considered keeps its reason" in response.content.decode()
    data["reason"] = "Approved for one child only"
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("permanence:finding", args=[plan.pk])).content.decode()
    assert "Approved for one child only" in page


@pytest.mark.django_db
def test_placing_waits_for_the_decision_and_for_adoption_the_placement_order(child, cps_duty):
    plan = _ratified(child, Route.ADOPTION)
    match = PotentialMatchFactory(plan=plan)
    with pytest.raises(ValidationError) as early:
        services.match_place(match=match, by=cps_duty, on=TODAY)
    assert "after the agency decision maker has approved" in early.value.messages[0]
    approved = PotentialMatchFactory(plan=plan, approved=True)
    with pytest.raises(ValidationError) as no_order:
        services.match_place(match=approved, by=cps_duty, on=TODAY)
    assert "placement order" in no_order.value.messages[0]
    OrderFactory(plan=plan, kind=OrderRecord.Kind.PLACEMENT_ORDER, applicant_basis="")
    placed = services.match_place(match=approved, by=cps_duty, on=TODAY)
    assert placed.placed_on == TODAY
    assert "adoption support has not been assessed" in services.placement_warnings(placed)[0]


# -- orders ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_who_may_apply_is_a_warning_where_the_court_may_give_leave(child):
    plan = _ratified(child, Route.SGO_CAO)
    sw = child.social_worker
    order, warnings = services.order_save(
        plan=plan,
        by=sw,
        kind="sgo",
        status="sought",
        sought_because="The grandparents will care for life.",
        applicants="Mr and Mrs Reid",
        applicant_basis="marriage",
        reasons=["legal_security"],
    )
    assert order.pk
    assert any("need the court's leave" in w for w in warnings)
    assert any("support plan" in w for w in warnings)
    with pytest.raises(ValidationError) as parent:
        services.order_save(
            plan=plan,
            by=sw,
            kind="sgo",
            status="sought",
            sought_because="x",
            applicant_basis="parent",
        )
    assert "cannot become their own child's special guardian" in parent.value.messages[0]
    _, cao = services.order_save(
        plan=plan,
        by=sw,
        kind="cao",
        status="sought",
        sought_because="The carers will share parental responsibility.",
        applicant_basis="parent",
    )
    assert cao == []


@pytest.mark.django_db
def test_a_completed_sgo_assessment_needs_its_support_plan(child):
    plan = _ratified(child, Route.SGO_CAO)
    assessment = SgoAssessmentFactory(plan=plan)
    with pytest.raises(ValidationError) as refused:
        services.sgo_assessment_save(
            plan=plan,
            by=child.social_worker,
            assessment=assessment,
            completed_on=_ago(1),
            recommendation="positive",
        )
    assert {"support_plan", "financial_support", "support_after_order"} <= set(
        refused.value.message_dict
    )
