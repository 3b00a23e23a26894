"""The plan's services: the ladder's rules, versions, the checklist, actions, and bad input
refused with a clear message and nothing saved (SPEC §3, 002 §6-7)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from permanence.models import Notification, OptionConsidered, Plan, PlanAction
from permanence.models.plans import Route, Status
from permanence.plans import selectors, services
from permanence.plans.services import OptionInput
from tests.factories import plans as shared
from tests.factories.permanence import ChildFactory, _years_ago
from tests.factories.plans import ALL_TICKED, PlanActionFactory, PlanFactory, rule_out

pytestmark = pytest.mark.django_db

child = shared.child
central_staff_see_the_service = shared.central_staff_see_the_service
other_iro = shared.other_iro

TODAY = timezone.localdate()
LAST_WEEK = TODAY - dt.timedelta(days=7)


def options(*rungs):
    return [
        OptionInput(r, LAST_WEEK, f"Why {r} was ruled out", "Legal Gateway Panel") for r in rungs
    ]


# -- drafting ----------------------------------------------------------------------------------


def test_social_worker_drafts_a_plan_recorded_in_history(child, social_worker):
    plan = services.plan_create(
        child=child,
        by=social_worker,
        route=Route.RETURN_HOME,
        contingency_route=Route.CONNECTED_PERSON,
        reason="Care planning meeting",
    )
    assert plan.status == Status.DRAFT and plan.version == 1
    record = plan.history.get()
    assert record.history_user == social_worker
    assert record.history_change_reason == "Care planning meeting"
    assert selectors.plan_current_for_child(child=child) == plan


def test_long_term_fostering_without_ruling_out_the_rungs_above_names_them(child, social_worker):
    rule_out(child, Route.RETURN_HOME)
    with pytest.raises(ValidationError) as exc:
        services.plan_create(child=child, by=social_worker, route=Route.LONG_TERM_FOSTERING)
    errors = exc.value.message_dict
    assert "connected person and SGO or CAO" in errors["route"][0]
    assert "return home" not in errors["route"][0]
    assert "ruled_out_connected_person" in errors and "ruled_out_sgo_cao" in errors
    assert not Plan.objects.exists()


def test_rungs_ruled_out_on_the_form_let_the_plan_start_lower(child, social_worker):
    plan = services.plan_create(
        child=child,
        by=social_worker,
        route=Route.LONG_TERM_FOSTERING,
        options=options(Route.RETURN_HOME, Route.CONNECTED_PERSON, Route.SGO_CAO),
    )
    assert plan.route == Route.LONG_TERM_FOSTERING
    records = OptionConsidered.objects.filter(child=child)
    assert {r.rung for r in records} == {Route.RETURN_HOME, Route.CONNECTED_PERSON, Route.SGO_CAO}
    assert all(r.plan == plan and r.recorded_by == social_worker for r in records)


def test_a_rung_ruled_out_without_a_reason_is_refused_beside_its_field(child, social_worker):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            child=child,
            by=social_worker,
            route=Route.CONNECTED_PERSON,
            options=[OptionInput(Route.RETURN_HOME, LAST_WEEK, "   ")],
        )
    assert "ruled_out_return_home" in exc.value.message_dict
    assert not Plan.objects.exists() and not OptionConsidered.objects.exists()


@pytest.mark.parametrize("route", [Route.RETURN_HOME, Route.ADOPTION, Route.RESIDENTIAL])
def test_a_sixteen_year_old_is_refused_a_permanence_route(team, social_worker, route):
    young_person = ChildFactory(team=team, first_name="Kai", date_of_birth=_years_ago(16))
    rule_out(young_person, *services.rungs_above(route))
    with pytest.raises(ValidationError) as exc:
        services.plan_create(child=young_person, by=social_worker, route=route)
    assert "Kai is 16" in exc.value.message_dict["route"][0]
    assert "pathway plan" in exc.value.message_dict["route"][0]
    assert not Plan.objects.exists()
    plan = services.plan_create(child=young_person, by=social_worker, route=Route.PATHWAY_PLAN)
    assert plan.route == Route.PATHWAY_PLAN


def test_a_pathway_plan_is_refused_under_16(child, social_worker):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(child=child, by=social_worker, route=Route.PATHWAY_PLAN)
    assert "16 and over" in exc.value.message_dict["route"][0]


def test_an_unborn_child_can_have_a_plan(team, social_worker):
    unborn = ChildFactory(
        team=team, date_of_birth=None, expected_date_of_birth=TODAY + dt.timedelta(days=30)
    )
    plan = services.plan_create(
        child=unborn,
        by=social_worker,
        route=Route.ADOPTION,
        early_permanence=True,
        options=options(*services.rungs_above(Route.ADOPTION)),
    )
    assert plan.early_permanence


def test_only_one_plan_in_force(child, social_worker):
    services.plan_create(child=child, by=social_worker, route=Route.RETURN_HOME)
    with pytest.raises(ValidationError, match="already has a plan"):
        services.plan_create(child=child, by=social_worker, route=Route.RETURN_HOME)
    assert Plan.objects.count() == 1


def test_contingency_must_differ_and_fostering_for_adoption_needs_adoption(child, social_worker):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            child=child,
            by=social_worker,
            route=Route.RETURN_HOME,
            contingency_route=Route.RETURN_HOME,
        )
    assert "contingency_route" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            child=child, by=social_worker, route=Route.RETURN_HOME, early_permanence=True
        )
    assert "early_permanence" in exc.value.message_dict
    plan = services.plan_create(
        child=child,
        by=social_worker,
        route=Route.RETURN_HOME,
        contingency_route=Route.ADOPTION,
        early_permanence=True,
    )
    assert plan.early_permanence  # twin track: return home, adoption through FfA


def test_an_iro_may_not_draft_a_plan(child, iro):
    with pytest.raises(PermissionDenied):
        services.plan_create(child=child, by=iro, route=Route.RETURN_HOME)


# -- the route ---------------------------------------------------------------------------------


def test_moving_to_long_term_fostering_without_the_rungs_above_is_refused(child, social_worker):
    plan = PlanFactory(child=child, created_by=social_worker)
    with pytest.raises(ValidationError) as exc:
        services.plan_route_change(
            plan=plan, by=social_worker, route=Route.LONG_TERM_FOSTERING, reason="Assessed"
        )
    message = exc.value.message_dict["route"][0]
    assert "return home, connected person and SGO or CAO" in message
    fresh = Plan.objects.get(pk=plan.pk)
    assert fresh.route == Route.RETURN_HOME and fresh.status == Status.DRAFT
    assert not OptionConsidered.objects.exists()


def test_a_contingency_passed_over_on_the_way_down_is_cleared(child, social_worker):
    plan = PlanFactory(child=child, contingency_route=Route.CONNECTED_PERSON)
    result = services.plan_route_change(
        plan=plan,
        by=social_worker,
        route=Route.SGO_CAO,
        reason="Grandparents to apply for an SGO",
        options=options(Route.RETURN_HOME, Route.CONNECTED_PERSON),
    )
    assert result.route == Route.SGO_CAO and result.contingency_route == ""


def test_a_change_of_route_needs_a_reason(child, social_worker):
    plan = PlanFactory(child=child, created_by=social_worker)
    with pytest.raises(ValidationError) as exc:
        services.plan_route_change(
            plan=plan,
            by=social_worker,
            route=Route.CONNECTED_PERSON,
            reason="",
            options=options(Route.RETURN_HOME),
        )
    assert "reason" in exc.value.message_dict


def test_changing_the_route_of_a_ratified_plan_makes_a_new_version(child, social_worker, iro):
    plan = PlanFactory(child=child, status=Status.RATIFIED, created_by=social_worker, ready=True)
    done = PlanActionFactory(plan=plan, done_on=LAST_WEEK)
    open_action = plan.actions.get(done_on__isnull=True)
    new = services.plan_route_change(
        plan=plan,
        by=social_worker,
        route=Route.CONNECTED_PERSON,
        reason="Parenting assessment negative",
        options=options(Route.RETURN_HOME),
    )
    old = Plan.objects.get(pk=plan.pk)
    assert old.status == Status.SUPERSEDED and old.route == Route.RETURN_HOME  # readable as was
    assert new.version == 2 and new.previous == old
    assert new.status == Status.DRAFT  # needs presenting and ratifying again
    assert new.route == Route.CONNECTED_PERSON
    assert new.contingency_route == ""  # the contingency became the plan
    assert PlanAction.objects.get(pk=open_action.pk).plan == new  # carried over
    assert PlanAction.objects.get(pk=done.pk).plan == old  # stays with its version
    assert selectors.plan_current_for_child(child=child) == new


def test_moving_back_up_reopens_the_rung_and_needs_ratifying_again(child, social_worker):
    rule_out(child, Route.RETURN_HOME, Route.CONNECTED_PERSON, Route.SGO_CAO)
    plan = PlanFactory(
        child=child,
        route=Route.LONG_TERM_FOSTERING,
        status=Status.IN_IMPLEMENTATION,
        created_by=social_worker,
    )
    new = services.plan_route_change(
        plan=plan,
        by=social_worker,
        route=Route.RETURN_HOME,
        reason="Mother has completed residential treatment",
    )
    assert new.route == Route.RETURN_HOME and new.status == Status.DRAFT
    record = OptionConsidered.objects.get(child=child, rung=Route.RETURN_HOME)
    assert record.reopened_on == TODAY
    assert "residential treatment" in record.reopened_reason
    last = Plan.history.filter(id=new.pk).latest("history_date")
    assert last.history_change_reason.startswith("Moved back up the ladder")


def test_option_ruled_out_on_its_own(child, social_worker):
    record = services.option_rule_out(
        child=child,
        by=social_worker,
        rung=Route.CONNECTED_PERSON,
        considered_on=LAST_WEEK,
        why_ruled_out="No relative came forward at the family group conference.",
    )
    assert record.considered_by == social_worker.get_full_name()
    with pytest.raises(ValidationError) as exc:
        services.option_rule_out(
            child=child,
            by=social_worker,
            rung=Route.SGO_CAO,
            considered_on=TODAY + dt.timedelta(days=1),
            why_ruled_out="Not yet",
        )
    assert "considered_on" in exc.value.message_dict


# -- details and versions ----------------------------------------------------------------------


def test_a_draft_is_changed_in_place(child, social_worker):
    plan = PlanFactory(child=child, created_by=social_worker)
    result = services.plan_update(plan=plan, by=social_worker, timescales="12 weeks")
    assert result.pk == plan.pk and result.timescales == "12 weeks"


def test_a_presented_plan_is_completed_in_place_and_stays_presented(child, social_worker):
    plan = PlanFactory(child=child, status=Status.PRESENTED, created_by=social_worker)
    result = services.plan_update(
        plan=plan, by=social_worker, contingency_route=Route.CONNECTED_PERSON
    )
    assert result.pk == plan.pk and result.status == Status.PRESENTED


def test_a_ratified_plan_is_never_edited_in_place(child, social_worker):
    plan = PlanFactory(child=child, status=Status.RATIFIED, created_by=social_worker, ready=True)
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, by=social_worker, resources="More")  # no reason
    new = services.plan_update(
        plan=plan, by=social_worker, resources="Two family support workers", reason="More help"
    )
    assert new.pk != plan.pk and new.version == 2 and new.status == Status.DRAFT
    old = Plan.objects.get(pk=plan.pk)
    assert old.status == Status.SUPERSEDED
    assert old.resources == "Family support worker three times a week."
    assert list(selectors.plan_versions(plan=new)) == [new, old]


# -- ratification ------------------------------------------------------------------------------


def test_ratifying_with_items_unticked_is_refused(child, iro):
    plan = PlanFactory(child=child, status=Status.PRESENTED, ready=True)
    ticks = dict(ALL_TICKED, contingency_in_place=False, review_dates_set=False)
    with pytest.raises(ValidationError) as exc:
        services.plan_ratify(plan=plan, by=iro, reason="Second review", checklist=ticks)
    errors = exc.value.message_dict
    assert "contingency plan" in errors["checklist"][0]
    assert "dates are set for reviewing" in errors["checklist"][0]
    assert "contingency_in_place" in errors and "review_dates_set" in errors
    assert Plan.objects.get(pk=plan.pk).status == Status.PRESENTED


def test_a_tick_the_plan_does_not_back_is_refused(child, iro):
    plan = PlanFactory(child=child, status=Status.PRESENTED, ready=True, contingency_route="")
    with pytest.raises(ValidationError) as exc:
        services.plan_ratify(plan=plan, by=iro, reason="Second review", checklist=ALL_TICKED)
    assert "no contingency route" in exc.value.message_dict["contingency_in_place"][0]
    assert Plan.objects.get(pk=plan.pk).status == Status.PRESENTED


def test_the_childs_iro_ratifies_and_the_worker_is_told(child, iro, social_worker):
    plan = PlanFactory(child=child, status=Status.PRESENTED, ready=True)
    held = TODAY - dt.timedelta(days=2)
    services.plan_ratify(plan=plan, by=iro, reason="Second review", checklist=ALL_TICKED, on=held)
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.status == Status.RATIFIED
    assert (plan.ratified_on, plan.ratified_by) == (held, iro)
    assert plan.ratified_as == "IRO at a looked-after review"
    assert Notification.objects.filter(recipient=social_worker, subject__contains="ratified")


def test_a_group_manager_ratifies_the_final_plan_for_court(child, head_of_service):
    plan = PlanFactory(child=child, status=Status.PRESENTED, ready=True)
    services.plan_ratify(
        plan=plan, by=head_of_service, reason="Final care plan", checklist=ALL_TICKED
    )
    assert Plan.objects.get(pk=plan.pk).ratified_as == "Group manager: final plan for court"


def test_another_iro_may_not_ratify(child, other_iro):
    plan = PlanFactory(child=child, status=Status.PRESENTED, ready=True)
    with pytest.raises(PermissionDenied):
        services.plan_ratify(plan=plan, by=other_iro, reason="x", checklist=ALL_TICKED)


def test_a_stale_copy_cannot_move_the_plan_twice(child, social_worker, cps_duty):
    plan = PlanFactory(child=child, created_by=social_worker)
    stale = Plan.objects.get(pk=plan.pk)
    services.plan_present(plan=plan, by=social_worker, reason="Forum advice")
    with pytest.raises(ValidationError):
        services.plan_present(plan=stale, by=social_worker, reason="Forum advice again")
    assert Plan.history.filter(id=plan.pk, status=Status.PRESENTED).count() == 1


# -- actions -----------------------------------------------------------------------------------


def test_actions_are_added_to_a_ratified_plan_without_a_new_version(
    child, social_worker, team_manager
):
    plan = PlanFactory(child=child, status=Status.RATIFIED, ready=True)
    action = services.plan_action_add(
        plan=plan,
        by=social_worker,
        what="Child Permanence Report",
        owner=team_manager,
        due_on=TODAY + dt.timedelta(days=20),
        source="Forum Part 2",
    )
    assert action.plan == plan and Plan.objects.get(pk=plan.pk).status == Status.RATIFIED
    assert Plan.objects.count() == 1
    note = Notification.objects.get(recipient=team_manager)
    assert "New action" in note.subject


def test_no_actions_on_a_superseded_version(child, social_worker):
    plan = PlanFactory(child=child, status=Status.SUPERSEDED)
    with pytest.raises(ValidationError):
        services.plan_action_add(
            plan=plan, by=social_worker, what="x", owner=social_worker, due_on=TODAY
        )


def test_an_action_is_ticked_off_by_its_owner_not_by_a_stranger(
    child, iro, cps_duty, central_staff_see_the_service
):
    action = PlanActionFactory(plan=PlanFactory(child=child), owner=iro)
    with pytest.raises(PermissionDenied):
        services.plan_action_complete(action=action, by=cps_duty)
    services.plan_action_complete(action=action, by=iro)
    assert PlanAction.objects.get(pk=action.pk).done_on == TODAY
    with pytest.raises(ValidationError):
        services.plan_action_complete(action=action, by=iro)


def test_a_disruption_tells_the_iro(child, social_worker, iro, django_capture_on_commit_callbacks):
    plan = PlanFactory(child=child, route=Route.RETURN_HOME, status=Status.ACHIEVED)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_disrupt(plan=plan, by=social_worker, reason="Placement broke down")
    assert Notification.objects.filter(recipient=iro, subject__contains="disrupted").exists()
    assert any(iro.email in m.to for m in mail.outbox)


def test_dates_cannot_be_before_ratification(child, social_worker):
    plan = PlanFactory(child=child, status=Status.RATIFIED, ratified_on=LAST_WEEK)
    with pytest.raises(ValidationError) as exc:
        services.plan_implement(
            plan=plan, by=social_worker, reason="x", on=LAST_WEEK - dt.timedelta(days=1)
        )
    assert "before the plan was ratified" in exc.value.message_dict["on"][0]


# -- reads -------------------------------------------------------------------------------------


def test_plans_for_user_follow_who_may_see_the_child(child, social_worker, other_social_worker):
    plan = PlanFactory(child=child)
    PlanFactory(child=child, status=Status.SUPERSEDED, version=0)
    assert list(selectors.plans_for_user(user=social_worker)) == [plan]
    assert list(selectors.plans_for_user(user=other_social_worker)) == []


def test_the_ladder_shows_each_rungs_state(child, social_worker):
    rule_out(child, Route.RETURN_HOME, Route.CONNECTED_PERSON, Route.SGO_CAO)
    plan = PlanFactory(
        child=child,
        route=Route.LONG_TERM_FOSTERING,
        contingency_route=Route.ADOPTION,
    )
    states = {r.route: r.state for r in selectors.ladder_for_plan(plan=plan)}
    assert states == {
        Route.RETURN_HOME: "ruled_out",
        Route.CONNECTED_PERSON: "ruled_out",
        Route.SGO_CAO: "ruled_out",
        Route.LONG_TERM_FOSTERING: "current",
        Route.ADOPTION: "contingency",
    }
