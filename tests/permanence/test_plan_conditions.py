"""What ratifying a plan needs, as conditions of the ratify transition (002 §6-7, 004).

For each condition failing: the state machine says no (`can_proceed`, the available
transitions), the plan page shows no ratify button and says why, and the service refuses with
the condition's own words beside the checklist item it concerns, leaving the plan as it was.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_fsm import TransitionNotAllowed, can_proceed

from permanence.common import available, reasons_not
from permanence.models import Plan
from permanence.models.plans import Route, Status
from permanence.plans import services
from tests.factories import plans as shared
from tests.factories.finding import give_evidence
from tests.factories.plans import ALL_TICKED, PlanFactory, rule_out

pytestmark = pytest.mark.django_db

child = shared.child

READY_FOR = "The plan is ready for ratification"
FINAL_BUTTON = "Ratify the final plan for court"


def _ready(child, **overrides):
    """A presented plan to return home with everything ratifying needs, then `overrides`."""
    return PlanFactory(
        child=child,
        status=Status.PRESENTED,
        ready=True,
        created_by=child.social_worker,
        **overrides,
    )


def _without_actions(child):
    plan = _ready(child)
    plan.actions.all().delete()
    return plan


def _ladder_not_passed(child):
    # Adoption with return home ruled out but connected person, SGO and long-term fostering not.
    rule_out(child, Route.RETURN_HOME)
    return _ready(child, route=Route.ADOPTION, contingency_route=Route.LONG_TERM_FOSTERING)


# condition: (how to build a plan failing only it, the field it is reported beside, its words)
FAILING = {
    "ladder_passed": (
        _ladder_not_passed,
        "route",
        "Before the plan can be adoption, record why each option to be ruled out first was "
        "considered and ruled out: connected person, SGO or CAO and long-term fostering "
        "(have not been ruled out)",
    ),
    "has_actions": (
        _without_actions,
        "actions_clear",
        "The plan has no actions yet: add them before ratifying",
    ),
    "has_timescales": (
        lambda child: _ready(child, timescales="  "),
        "timescales_clear",
        "The plan does not record its timescales yet",
    ),
    "has_resources": (
        lambda child: _ready(child, resources=""),
        "resources_available",
        "The plan does not record the resources it needs yet",
    ),
    "has_contingency": (
        lambda child: _ready(child, contingency_route=""),
        "contingency_in_place",
        "The plan has no contingency route yet",
    ),
    "has_review_date": (
        lambda child: _ready(child, plan_review_on=None),
        "review_dates_set",
        "The plan has no date set for reviewing it yet",
    ),
}


def snapshot(plan):
    fresh = Plan.objects.get(pk=plan.pk)
    return (fresh.status, fresh.ratified_on, fresh.ratified_by_id, fresh.history.count())


# -- the allowed edge: every condition met ------------------------------------------------------


def test_a_ready_plan_can_be_ratified_and_the_pages_offer_it(client, child, iro, head_of_service):
    plan = _ready(child)
    assert can_proceed(plan.ratify)
    assert reasons_not(plan, "ratify") == []
    assert "ratify" in available(plan, iro)
    assert "ratify" in available(plan, head_of_service)
    client.force_login(iro)
    assert READY_FOR in client.get(plan.get_absolute_url()).content.decode()
    client.force_login(head_of_service)
    assert FINAL_BUTTON in client.get(plan.get_absolute_url()).content.decode()
    services.plan_ratify(plan=plan, by=iro, reason="Second review", checklist=ALL_TICKED)
    assert Plan.objects.get(pk=plan.pk).status == Status.RATIFIED


def test_a_pathway_plan_needs_no_contingency(team, social_worker, iro):
    from tests.factories.permanence import ChildFactory, _years_ago

    young_person = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, date_of_birth=_years_ago(16)
    )
    plan = _ready(young_person, route=Route.PATHWAY_PLAN, contingency_route="")
    assert can_proceed(plan.ratify)


# -- each condition failing ---------------------------------------------------------------------


@pytest.mark.parametrize("name", list(FAILING))
def test_the_state_machine_refuses_when_a_condition_fails(child, iro, head_of_service, name):
    build, _, _ = FAILING[name]
    plan = build(child)
    assert can_proceed(plan.ratify, check_conditions=False)  # the state would allow it
    assert not can_proceed(plan.ratify)
    assert "ratify" not in available(plan, iro)
    assert "ratify" not in available(plan, head_of_service)
    with pytest.raises(TransitionNotAllowed):
        plan.ratify(on=plan.created_at.date(), by=iro, capacity="IRO")
    assert plan.status == Status.PRESENTED


@pytest.mark.parametrize("name", list(FAILING))
def test_the_service_refuses_with_the_conditions_own_words(child, iro, name):
    build, field, words = FAILING[name]
    plan = build(child)
    before = snapshot(plan)
    with pytest.raises(ValidationError) as exc:
        services.plan_ratify(plan=plan, by=iro, reason="Second review", checklist=ALL_TICKED)
    assert exc.value.message_dict == {field: [words]}
    assert snapshot(plan) == before


@pytest.mark.parametrize("name", list(FAILING))
def test_the_plan_page_shows_no_ratify_button_and_says_why(
    client, child, iro, head_of_service, name
):
    build, _, words = FAILING[name]
    plan = build(child)
    client.force_login(head_of_service)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert FINAL_BUTTON not in page
    assert "Before the plan can be ratified:" in page
    assert words in page
    client.force_login(iro)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert READY_FOR not in page
    assert words in page


@pytest.mark.parametrize("name", ["has_actions", "ladder_passed"])
def test_the_final_plan_form_puts_the_reason_on_the_page(client, child, head_of_service, name):
    build, _, words = FAILING[name]
    plan = build(child)
    client.force_login(head_of_service)
    data = dict.fromkeys(ALL_TICKED, "on") | {"reason": "Final hearing next week"}
    response = client.post(reverse("permanence:plan-ratify", args=[plan.pk]), data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == Status.PRESENTED


def test_every_failing_condition_is_named_at_once(child, iro):
    plan = _ready(child, timescales="", resources="", plan_review_on=None)
    assert reasons_not(plan, "ratify") == [
        "The plan does not record its timescales yet",
        "The plan does not record the resources it needs yet",
        "The plan has no date set for reviewing it yet",
    ]
    with pytest.raises(ValidationError) as exc:
        services.plan_ratify(plan=plan, by=iro, reason="Second review", checklist=ALL_TICKED)
    assert set(exc.value.message_dict) == {
        "timescales_clear",
        "resources_available",
        "review_dates_set",
    }


def test_a_rung_reopened_since_the_plan_was_drafted_blocks_ratifying(child, iro):
    rule_out(child, Route.RETURN_HOME, Route.CONNECTED_PERSON)
    plan = _ready(child, route=Route.SGO_CAO, contingency_route=Route.LONG_TERM_FOSTERING)
    assert can_proceed(plan.ratify)
    record = child.options_considered.get(rung=Route.CONNECTED_PERSON)
    record.reopened_on = record.considered_on
    record.save()
    assert not can_proceed(plan.ratify)
    assert reasons_not(plan, "ratify") == [
        "Before the plan can be SGO or CAO, record why each option to be ruled out first was "
        "considered and ruled out: connected person (has not been ruled out)"
    ]


# -- what the state decides comes before the conditions -----------------------------------------


def test_a_draft_plan_is_refused_for_not_being_presented_not_for_its_contents(child, iro):
    plan = PlanFactory(child=child, created_by=child.social_worker)  # nothing filled in
    assert reasons_not(plan, "ratify") == []  # the state, not a condition, says no
    with pytest.raises(ValidationError) as exc:
        services.plan_ratify(plan=plan, by=iro, reason="Second review", checklist=ALL_TICKED)
    assert exc.value.message_dict == {
        "status": ["The plan has not been presented yet: it is presented before it is ratified"]
    }


def test_unticked_items_are_refused_before_the_plan_is_checked(child, iro):
    plan = _without_actions(child)
    with pytest.raises(ValidationError) as exc:
        services.plan_ratify(
            plan=plan,
            by=iro,
            reason="Second review",
            checklist={**ALL_TICKED, "actions_clear": False},
        )
    assert "checklist" in exc.value.message_dict
    assert Plan.objects.get(pk=plan.pk).status == Status.PRESENTED


# -- the other buttons of the plan page come from the available transitions --------------------


def test_a_disrupted_plan_offers_a_new_version_to_its_worker_only(client, child, iro):
    plan = PlanFactory(child=child, status=Status.DISRUPTED, created_by=child.social_worker)
    client.force_login(child.social_worker)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Start a new version" in page
    assert "Start implementation" not in page
    client.force_login(iro)
    assert "Start a new version" not in client.get(plan.get_absolute_url()).content.decode()


def test_a_ratified_plan_offers_what_its_worker_may_do_next(client, child):
    plan = PlanFactory(child=child, status=Status.RATIFIED, created_by=child.social_worker)
    give_evidence(plan)  # the return home completed: achieving needs it (issue 14)
    assert available(plan, child.social_worker) >= {"implement", "achieve", "disrupt"}
    client.force_login(child.social_worker)
    page = client.get(plan.get_absolute_url()).content.decode()
    for button in ("Start implementation", "Permanence achieved", "Record a disruption"):
        assert button in page
    assert "Record that it was presented" not in page
    assert "Start a new version" not in page
