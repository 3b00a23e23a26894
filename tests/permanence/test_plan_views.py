"""The plan's pages: what a worker, an IRO and a manager see and do; bad input beside the field
with what was typed kept; nothing shown to someone who may not see the child."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from permanence.models import OptionConsidered, Plan, PlanAction
from permanence.models.plans import Route, Status
from tests.factories import plans as shared
from tests.factories.permanence import ChildFactory, _years_ago
from tests.factories.plans import ALL_TICKED, PlanActionFactory, PlanFactory, rule_out

pytestmark = pytest.mark.django_db

child = shared.child

TODAY = timezone.localdate()


def date_parts(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_a_worker_drafts_a_plan_through_the_form(client, child, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("permanence:plan-create", args=[child.pk]))
    assert page.status_code == 200 and b"Draft a permanence plan" in page.content
    response = client.post(
        reverse("permanence:plan-create", args=[child.pk]),
        {
            "route": Route.CONNECTED_PERSON,
            "contingency_route": Route.LONG_TERM_FOSTERING,
            "summary": "Stay with grandparents",
            "ruled_out_return_home": "Mother's parenting assessment was negative",
            **date_parts("ruled_out_return_home_on", TODAY - dt.timedelta(days=3)),
            "ruled_out_return_home_by": "Legal Gateway Panel",
        },
    )
    plan = Plan.objects.get(child=child)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    option = OptionConsidered.objects.get(child=child)
    assert option.considered_by == "Legal Gateway Panel"
    detail = client.get(plan.get_absolute_url())
    assert b"Mother&#x27;s parenting assessment was negative" in detail.content
    assert b"Connected person (family and friends)" in detail.content


def test_the_form_names_the_rungs_not_ruled_out_and_keeps_what_was_typed(
    client, child, social_worker
):
    client.force_login(social_worker)
    response = client.post(
        reverse("permanence:plan-create", args=[child.pk]),
        {
            "route": Route.LONG_TERM_FOSTERING,
            "summary": "Long-term with the current carers",
            "ruled_out_return_home": "Assessment negative",
            **date_parts("ruled_out_return_home_on", TODAY),
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "connected person and SGO or CAO" in text
    assert "Enter why connected person was ruled out" in text
    assert "Long-term with the current carers" in text  # nothing typed is lost
    assert not Plan.objects.exists() and not OptionConsidered.objects.exists()


def test_a_sixteen_year_old_is_offered_only_a_pathway_plan(client, team, social_worker):
    young_person = ChildFactory(team=team, first_name="Kai", date_of_birth=_years_ago(16))
    client.force_login(social_worker)
    page = client.get(reverse("permanence:plan-create", args=[young_person.pk]))
    assert b"Pathway plan (16 and over)" in page.content
    assert b'value="adoption"' not in page.content.split(b"Contingency route")[0]
    response = client.post(
        reverse("permanence:plan-create", args=[young_person.pk]), {"route": Route.ADOPTION}
    )
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_another_teams_worker_gets_not_found(client, child, other_social_worker):
    plan = PlanFactory(child=child)
    client.force_login(other_social_worker)
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(reverse("permanence:plan-create", args=[child.pk])).status_code == 404


def test_the_iro_reads_the_plan_but_may_not_change_it(client, child, iro):
    plan = PlanFactory(child=child, status=Status.PRESENTED, ready=True)
    client.force_login(iro)
    page = client.get(plan.get_absolute_url())
    assert page.status_code == 200
    assert b"ready for ratification" in page.content
    assert b"Change the route" not in page.content
    assert client.get(reverse("permanence:plan-update", args=[plan.pk])).status_code == 403


def test_changing_a_ratified_plan_makes_a_new_version(client, child, social_worker):
    plan = PlanFactory(child=child, status=Status.RATIFIED, ready=True)
    client.force_login(social_worker)
    url = reverse("permanence:plan-update", args=[plan.pk])
    page = client.get(url)
    assert b"saving makes a new" in page.content
    data = {
        "contingency_route": Route.CONNECTED_PERSON,
        "summary": "Changed",
        **date_parts("plan_review_on", TODAY + dt.timedelta(days=60)),
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and b"Enter the reason" in refused.content
    response = client.post(url, {**data, "reason": "New assessment"})
    new = Plan.objects.get(child=child, version=2)
    assert response["Location"] == new.get_absolute_url()
    assert Plan.objects.get(pk=plan.pk).status == Status.SUPERSEDED
    old_page = client.get(plan.get_absolute_url())
    assert b"superseded" in old_page.content


def test_the_route_page_refuses_long_term_fostering_naming_the_missing_rungs(
    client, child, social_worker
):
    rule_out(child, Route.RETURN_HOME)
    plan = PlanFactory(child=child, route=Route.CONNECTED_PERSON)
    client.force_login(social_worker)
    response = client.post(
        reverse("permanence:plan-route", args=[plan.pk]),
        {"route": Route.LONG_TERM_FOSTERING, "reason": "Carers want to keep her"},
    )
    assert response.status_code == 400
    assert b"connected person and SGO or CAO" in response.content
    assert Plan.objects.get(pk=plan.pk).route == Route.CONNECTED_PERSON


def test_status_pages_need_a_reason_and_move_the_plan(client, child, social_worker):
    plan = PlanFactory(child=child, status=Status.RATIFIED, ready=True)
    client.force_login(social_worker)
    url = reverse("permanence:plan-transition", args=[plan.pk, "implement"])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Family finding started"})
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == Status.IN_IMPLEMENTATION
    assert client.get(reverse("permanence:plan-transition", args=[plan.pk, "x"])).status_code == 404


def test_a_refused_transition_shows_why_and_changes_nothing(client, child, social_worker):
    plan = PlanFactory(child=child, status=Status.DRAFT)
    client.force_login(social_worker)
    response = client.post(
        reverse("permanence:plan-transition", args=[plan.pk, "achieve"]), {"reason": "Done"}
    )
    assert response.status_code == 400
    assert b"cannot be marked achieved" in response.content
    assert Plan.objects.get(pk=plan.pk).status == Status.DRAFT


def test_a_group_manager_ratifies_the_final_plan(client, child, head_of_service):
    plan = PlanFactory(child=child, status=Status.PRESENTED, ready=True)
    client.force_login(head_of_service)
    url = reverse("permanence:plan-ratify", args=[plan.pk])
    refused = client.post(url, {"reason": "Final plan", "plan_drawn_up": "on"})
    assert refused.status_code == 400
    assert b"every item of the checklist is ticked" in refused.content
    ticks = dict.fromkeys(ALL_TICKED, "on")
    client.post(url, {"reason": "Final plan", **ticks})
    assert Plan.objects.get(pk=plan.pk).status == Status.RATIFIED


def test_actions_are_added_and_ticked_off(client, child, social_worker, iro):
    plan = PlanFactory(child=child, status=Status.RATIFIED)
    client.force_login(social_worker)
    response = client.post(
        reverse("permanence:plan-action-create", args=[plan.pk]),
        {"what": "Child Permanence Report", "owner": iro.pk, **date_parts("due_on", TODAY)},
    )
    assert response.status_code == 302
    action = PlanAction.objects.get(plan=plan)
    client.post(reverse("permanence:plan-action-done", args=[plan.pk, action.pk]))
    assert PlanAction.objects.get(pk=action.pk).done_on == TODAY


def test_plan_list_and_child_page_panel(client, child, social_worker):
    plan = PlanFactory(child=child, status=Status.PRESENTED)
    PlanActionFactory(plan=plan)
    client.force_login(social_worker)
    listing = client.get(reverse("permanence:plan-list"))
    assert child.full_name.encode() in listing.content
    page = client.get(child.get_absolute_url())
    assert b"Permanence plan" in page.content and b"View the plan" in page.content
    assert client.get(reverse("permanence:plan-for-child", args=[child.pk])).status_code == 302


def test_the_plan_page_takes_a_fixed_number_of_queries(
    client, child, social_worker, django_assert_max_num_queries
):
    plan = PlanFactory(child=child, status=Status.RATIFIED, ready=True)
    for _ in range(5):
        PlanActionFactory(plan=plan, owner=social_worker)
    client.force_login(social_worker)
    with django_assert_max_num_queries(60):
        assert client.get(plan.get_absolute_url()).status_code == 200
