"""The plan's state machines (SPEC §3): one test per allowed edge, per forbidden edge and per
role, and the plan exactly as it was whenever a transition is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from permanence.models import Plan
from permanence.models.plans import LADDER, PERMANENCE_ROUTES, Route, Status, rungs_above
from permanence.plans import services
from tests.factories import plans as shared
from tests.factories.finding import give_evidence
from tests.factories.plans import ALL_TICKED, PlanFactory, rule_out

pytestmark = pytest.mark.django_db

# Shared fixtures (tests/factories/plans.py).
child = shared.child
other_iro = shared.other_iro
central_staff_see_the_service = shared.central_staff_see_the_service

ROLES = (
    "social_worker",
    "other_social_worker",
    "team_manager",
    "head_of_service",
    "cps_duty",
    "chair",
    "iro",
    "other_iro",
    "administrator",
)


def _present(plan, by):
    return services.plan_present(plan=plan, by=by, reason="Forum advice received")


def _ratify(plan, by):
    return services.plan_ratify(plan=plan, by=by, reason="Checklist complete", checklist=ALL_TICKED)


def _implement(plan, by):
    return services.plan_implement(plan=plan, by=by, reason="Family finding started")


def _achieve(plan, by):
    give_evidence(plan)  # what the route needs before it can be achieved (issue 14)
    return services.plan_achieve(plan=plan, by=by, reason="Order made")


def _disrupt(plan, by):
    return services.plan_disrupt(plan=plan, by=by, reason="Placement broke down")


def _supersede(plan, by):
    return services.plan_new_version(plan=plan, by=by, reason="The plan is changing")


# transition: (service, the status it ends in, every status it may start from)
STATUS_EDGES = {
    "present": (_present, Status.PRESENTED, [Status.DRAFT]),
    "ratify": (_ratify, Status.RATIFIED, [Status.PRESENTED]),
    "implement": (_implement, Status.IN_IMPLEMENTATION, [Status.RATIFIED]),
    "achieve": (_achieve, Status.ACHIEVED, [Status.RATIFIED, Status.IN_IMPLEMENTATION]),
    "disrupt": (
        _disrupt,
        Status.DISRUPTED,
        [Status.RATIFIED, Status.IN_IMPLEMENTATION, Status.ACHIEVED],
    ),
    "supersede": (
        _supersede,
        Status.SUPERSEDED,
        [s for s in Status.values if s != Status.SUPERSEDED],
    ),
}
# Who may take each transition (SPEC §1, 000, 004).
WHO_MAY = {
    "present": {"social_worker", "team_manager", "head_of_service", "cps_duty", "chair"},
    "ratify": {"iro", "head_of_service", "chair"},
    "implement": {"social_worker", "team_manager", "head_of_service"},
    "achieve": {"social_worker", "team_manager", "head_of_service"},
    "disrupt": {"social_worker", "team_manager", "head_of_service"},
    "supersede": {"social_worker", "team_manager", "head_of_service"},
    "move_down": {"social_worker", "team_manager", "head_of_service"},
    "move_up": {"social_worker", "team_manager", "head_of_service"},
}
# Someone allowed, for the tests about state rather than people.
ACTOR = {name: ("iro" if name == "ratify" else "social_worker") for name in STATUS_EDGES}


def snapshot(plan):
    """What a user would notice about the plan: re-read from the database."""
    fresh = Plan.objects.get(pk=plan.pk)
    return (fresh.status, fresh.route, fresh.version, fresh.ratified_on, fresh.presented_on)


def make_plan(child, status, by):
    return PlanFactory(child=child, status=status, created_by=by, ready=True)


ALLOWED_EDGES = [(name, src) for name, (_, _, sources) in STATUS_EDGES.items() for src in sources]
FORBIDDEN_EDGES = [
    (name, src)
    for name, (_, _, sources) in STATUS_EDGES.items()
    for src in Status.values
    if src not in sources
]


@pytest.mark.parametrize(("name", "source"), ALLOWED_EDGES)
def test_allowed_status_edge(request, child, name, source):
    service, target, _ = STATUS_EDGES[name]
    by = request.getfixturevalue(ACTOR[name])
    plan = make_plan(child, source, by)
    service(plan, by)
    assert Plan.objects.get(pk=plan.pk).status == target
    last = Plan.history.filter(id=plan.pk).latest("history_date")
    assert last.history_user == by
    assert last.history_change_reason  # every transition says why


@pytest.mark.parametrize(("name", "source"), FORBIDDEN_EDGES)
def test_forbidden_status_edge_is_refused_and_changes_nothing(request, child, name, source):
    service, _, _ = STATUS_EDGES[name]
    by = request.getfixturevalue(ACTOR[name])
    plan = make_plan(child, source, by)
    before = snapshot(plan)
    versions = Plan.objects.count()
    with pytest.raises(ValidationError) as exc:
        service(plan, by)
    assert "status" in exc.value.message_dict
    assert snapshot(plan) == before
    assert Plan.objects.count() == versions


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(STATUS_EDGES))
def test_status_transition_by_role(request, child, central_staff_see_the_service, name, role):
    service, target, sources = STATUS_EDGES[name]
    by = request.getfixturevalue(role)
    plan = make_plan(child, sources[0], child.social_worker)
    before = snapshot(plan)
    if role in WHO_MAY[name]:
        service(plan, by)
        assert Plan.objects.get(pk=plan.pk).status == target
    else:
        with pytest.raises(PermissionDenied):
            service(plan, by)
        assert snapshot(plan) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("direction", ["move_down", "move_up"])
def test_route_transition_by_role(request, child, central_staff_see_the_service, direction, role):
    by = request.getfixturevalue(role)
    if direction == "move_down":
        plan = make_plan(child, Status.DRAFT, child.social_worker)
        rule_out(child, Route.RETURN_HOME)
        target = Route.CONNECTED_PERSON
    else:
        rule_out(child, Route.RETURN_HOME)
        plan = PlanFactory(child=child, route=Route.CONNECTED_PERSON, created_by=by)
        target = Route.RETURN_HOME
    before = snapshot(plan)
    change = lambda: services.plan_route_change(  # noqa: E731
        plan=plan, by=by, route=target, reason="Assessment concluded"
    )
    if role in WHO_MAY[direction]:
        assert change().route == target
    else:
        with pytest.raises(PermissionDenied):
            change()
        assert snapshot(plan) == before


DOWN_EDGES = [
    (src, dst)
    for src in LADDER
    for dst in PERMANENCE_ROUTES
    if PERMANENCE_ROUTES.index(dst) > PERMANENCE_ROUTES.index(src)
]
UP_EDGES = [
    (src, dst)
    for src in PERMANENCE_ROUTES
    for dst in LADDER
    if PERMANENCE_ROUTES.index(dst) < PERMANENCE_ROUTES.index(src)
]


@pytest.mark.parametrize(("source", "target"), DOWN_EDGES)
def test_moving_down_each_rung_with_the_rungs_passed_over_ruled_out(
    child, social_worker, source, target
):
    rule_out(child, *rungs_above(source))
    plan = PlanFactory(child=child, route=source, created_by=social_worker)
    rule_out(child, *[r for r in rungs_above(target) if r not in rungs_above(source)])
    result = services.plan_route_change(
        plan=plan, by=social_worker, route=target, reason="Assessments concluded"
    )
    assert result.pk == plan.pk and result.route == target


@pytest.mark.parametrize(("source", "target"), UP_EDGES)
def test_moving_back_up_each_rung_reopens_the_option(child, social_worker, source, target):
    rule_out(child, *rungs_above(source))
    plan = PlanFactory(child=child, route=source, created_by=social_worker)
    result = services.plan_route_change(
        plan=plan, by=social_worker, route=target, reason="Mother has completed treatment"
    )
    assert result.route == target
    # The rung is open again: its ruling-out no longer stands.
    assert target not in services.ruled_out_rungs(child)


@pytest.mark.parametrize("source", PERMANENCE_ROUTES)
def test_a_sixteen_year_old_moves_onto_a_pathway_plan(team, social_worker, source):
    from tests.factories.permanence import ChildFactory, _years_ago

    young_person = ChildFactory(team=team, date_of_birth=_years_ago(16))
    rule_out(young_person, *rungs_above(source))
    plan = PlanFactory(child=young_person, route=source, created_by=social_worker)
    result = services.plan_route_change(
        plan=plan, by=social_worker, route=Route.PATHWAY_PLAN, reason="Turned 16"
    )
    assert result.route == Route.PATHWAY_PLAN


# -- the model's own graph: forbidden route edges never happen whatever the caller ----------


@pytest.mark.parametrize("source", [Route.RETURN_HOME, Route.PATHWAY_PLAN])
def test_no_move_up_from_the_top_rung_or_a_pathway_plan(child, social_worker, source):
    plan = PlanFactory(child=child, route=source, created_by=social_worker)
    with pytest.raises(TransitionNotAllowed):
        plan.move_up(to=Route.RETURN_HOME)
    assert plan.route == source


@pytest.mark.parametrize("source", [Route.RESIDENTIAL, Route.PATHWAY_PLAN])
def test_no_move_down_from_off_the_ladder(child, social_worker, source):
    plan = PlanFactory(child=child, route=source, created_by=social_worker)
    with pytest.raises(TransitionNotAllowed):
        plan.move_down(to=Route.ADOPTION)
    assert plan.route == source


def test_move_down_to_a_higher_rung_is_refused_by_the_graph(child, social_worker):
    plan = PlanFactory(child=child, route=Route.ADOPTION, created_by=social_worker)
    with pytest.raises(Exception, match="not in list of allowed states"):
        plan.move_down(to=Route.RETURN_HOME)
    assert plan.route == Route.ADOPTION


def test_state_fields_cannot_be_set_directly(child, social_worker):
    plan = PlanFactory(child=child, created_by=social_worker)
    with pytest.raises(AttributeError):
        plan.status = Status.RATIFIED
    with pytest.raises(AttributeError):
        plan.route = Route.ADOPTION
