"""The tracker's rows a person may see (tracker.dashboard.selectors.rows_visible_to): the same
children as the one access rule, asked for by the row's own columns so the page's sort walks an
index, with the few children seen through other relationships listed by id."""

import pytest

from permanence.access import child_visibility_q
from permanence.models import Child
from tests.factories.permanence import ChildFactory, ServiceFactory, TeamFactory
from tests.factories.plans import PlanActionFactory, PlanFactory
from tracker.dashboard.selectors import rows_visible_to
from tracker.dashboard.services import tracker_rows_refresh
from tracker.deadlines.facts import ChildScope

pytestmark = pytest.mark.django_db


@pytest.fixture
def children(team, other_team, social_worker, head_of_service):
    far_team = TeamFactory(name="Far team", service=ServiceFactory(name="Far service"))
    made = {
        "mine": ChildFactory(team=team, social_worker=social_worker),
        "service": ChildFactory(team=other_team),
        "far": ChildFactory(team=far_team),
        "far_with_action": ChildFactory(team=far_team),
    }
    tracker_rows_refresh(scope=ChildScope(pks=tuple(c.pk for c in made.values())))
    return made


def _seen(user) -> set[int]:
    return set(rows_visible_to(user).values_list("child_id", flat=True))


def test_the_rows_are_the_children_the_access_rule_lets_each_person_see(
    children, social_worker, head_of_service
):
    for user in (social_worker, head_of_service):
        rule = set(Child.objects.filter(child_visibility_q(user)).values_list("pk", flat=True))
        assert _seen(user) == rule
    assert _seen(head_of_service) == {children["mine"].pk, children["service"].pk}
    assert _seen(social_worker) == {children["mine"].pk}


def test_a_manager_given_an_action_on_a_child_elsewhere_sees_that_row_too(
    children, head_of_service
):
    plan = PlanFactory(child=children["far_with_action"])
    PlanActionFactory(plan=plan, owner=head_of_service)
    assert children["far_with_action"].pk in _seen(head_of_service)
    assert children["far"].pk not in _seen(head_of_service)


def test_a_managers_rows_are_asked_for_by_the_rows_own_service_column(children, head_of_service):
    sql = str(rows_visible_to(head_of_service).query)
    assert '"service_id" = ' in sql
    # No subquery over the children: the sort by urgency walks the row's own index.
    assert "permanence_child" not in sql


def test_readers_of_one_kind_each_see_their_own_rows_from_the_one_kept_plan(
    children, team, other_team, social_worker, other_social_worker
):
    """Two social workers: the plan of how their rows are chosen is worked out once, for the
    first; each still sees their own team's children and the child they hold an action on."""
    theirs = ChildFactory(team=other_team, social_worker=other_social_worker)
    PlanActionFactory(plan=PlanFactory(child=children["far"]), owner=social_worker)
    PlanActionFactory(
        plan=PlanFactory(child=children["far_with_action"]), owner=other_social_worker
    )
    tracker_rows_refresh(scope=ChildScope(pks=(theirs.pk,)))
    for _ in range(2):
        assert _seen(social_worker) == {children["mine"].pk, children["far"].pk}
        assert _seen(other_social_worker) == {
            children["service"].pk,
            theirs.pk,
            children["far_with_action"].pk,
        }
