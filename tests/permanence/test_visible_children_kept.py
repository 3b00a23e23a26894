"""The children a reader may see, as one statement compiled once per kind of reader
(permanence.access.visible_column_sql): two readers of the same kind each get their own
children, teams and plans, in the children list, its team filter and the plans list."""

import pytest

from permanence.plans.selectors import plans_for_user
from permanence.roles import Role
from permanence.selectors import _caseload_filter_options, caseload_for_user
from tests.factories.permanence import ChildFactory, ServiceFactory, TeamFactory, UserFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db


def test_two_heads_of_service_each_see_their_own_service_from_the_one_kept_statement():
    west, east = ServiceFactory(name="West"), ServiceFactory(name="East")
    west_team, east_team = TeamFactory(service=west), TeamFactory(service=east)
    heads = [
        UserFactory(team=None, service=service, role=Role.HEAD_OF_SERVICE)
        for service in (west, east)
    ]
    children = [ChildFactory(team=team) for team in (west_team, east_team)]
    plans = [PlanFactory(child=child) for child in children]
    for _ in range(2):
        for head, team, child, plan in zip(
            heads, (west_team, east_team), children, plans, strict=True
        ):
            assert list(caseload_for_user(user=head)) == [child]
            assert list(plans_for_user(user=head)) == [plan]
            teams, _people = _caseload_filter_options(user=head)
            assert teams == [(team.pk, team.name)]


def test_a_reader_who_has_left_sees_no_child():
    service = ServiceFactory()
    ChildFactory(team=TeamFactory(service=service))
    head = UserFactory(team=None, service=service, role=Role.HEAD_OF_SERVICE)
    assert caseload_for_user(user=head).count() == 1
    head.is_active = False
    assert caseload_for_user(user=head).count() == 0
