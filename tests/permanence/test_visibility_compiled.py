"""Who may see which child is compiled once for every reader with the same roles, with each
reader's own numbers put in at each read (issue 19): nobody is ever shown another reader's
children, however the readers follow one another."""

from unittest import mock

import pytest

from permanence import access
from permanence.roles import Role
from permanence.selectors import children_for_user
from tests.factories.permanence import ChildFactory, ServiceFactory, TeamFactory, UserFactory
from tests.factories.plans import PlanActionFactory

pytestmark = pytest.mark.django_db


def _seen(user) -> set:
    return set(children_for_user(user=user))


def test_two_social_workers_in_turn_each_see_their_own_team(team, other_team):
    north, south = ChildFactory(team=team), ChildFactory(team=other_team)
    first = UserFactory(team=team, role=Role.SOCIAL_WORKER)
    second = UserFactory(team=other_team, role=Role.SOCIAL_WORKER)
    for _ in range(2):
        assert _seen(first) == {north}
        assert _seen(second) == {south}


def test_two_iros_in_turn_each_see_the_children_allocated_to_them(team, service):
    first = UserFactory(team=None, service=service, role=Role.IRO)
    second = UserFactory(team=None, service=service, role=Role.IRO)
    mine, theirs = ChildFactory(team=team, iro=first), ChildFactory(team=team, iro=second)
    assert _seen(first) == {mine}
    assert _seen(second) == {theirs}
    assert _seen(first) == {mine}


def test_heads_of_two_services_each_see_their_own_service(team):
    elsewhere = TeamFactory(service=ServiceFactory(name="Another service"))
    here, there = ChildFactory(team=team), ChildFactory(team=elsewhere)
    first = UserFactory(team=None, service=team.service, role=Role.HEAD_OF_SERVICE)
    second = UserFactory(team=None, service=elsewhere.service, role=Role.HEAD_OF_SERVICE)
    assert _seen(first) == {here}
    assert _seen(second) == {there}


def test_an_action_on_a_plan_opens_that_child_to_its_owner_only(team, other_team):
    given = UserFactory(team=team, role=Role.SOCIAL_WORKER)
    colleague = UserFactory(team=team, role=Role.SOCIAL_WORKER)
    outside = ChildFactory(team=other_team)
    PlanActionFactory(plan__child=outside, owner=given)
    assert outside in _seen(given)
    assert outside not in _seen(colleague)


def test_a_reader_moved_to_another_team_sees_the_new_teams_children(team, other_team):
    north, south = ChildFactory(team=team), ChildFactory(team=other_team)
    worker = UserFactory(team=team, role=Role.SOCIAL_WORKER)
    assert _seen(worker) == {north}
    worker.team = other_team
    worker.save()
    assert _seen(worker) == {south}


def test_a_new_role_widens_what_the_reader_sees_at_once(team, other_team):
    north, south = ChildFactory(team=team), ChildFactory(team=other_team)
    worker = UserFactory(team=team, role=Role.SOCIAL_WORKER)
    assert _seen(worker) == {north}
    worker.groups.add(*UserFactory(team=None, role=Role.TEAM_MANAGER).groups.all())
    del worker._roles_cache
    assert _seen(worker) == {north, south}


def test_readers_of_one_kind_share_one_compiled_statement(team, other_team):
    readers = [UserFactory(team=t, role=Role.SOCIAL_WORKER) for t in (team, other_team, team)]
    access._compiled_visibility.clear()
    with mock.patch.object(
        access, "_compile_visibility", wraps=access._compile_visibility
    ) as compile_:
        for reader in readers:
            _seen(reader)
    assert compile_.call_count == 1


def test_readers_of_one_kind_in_turn_open_only_their_own_childs_page(client, team, other_team):
    north, south = ChildFactory(team=team), ChildFactory(team=other_team)
    first = UserFactory(team=team, role=Role.SOCIAL_WORKER)
    second = UserFactory(team=other_team, role=Role.SOCIAL_WORKER)
    for _ in range(2):
        for reader, own, other in ((first, north, south), (second, south, north)):
            client.force_login(reader)
            assert client.get(own.get_absolute_url()).status_code == 200
            assert client.get(other.get_absolute_url()).status_code == 404
