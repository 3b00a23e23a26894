"""Who sees which child (SPEC §1): the list and the single record agree, and others get 404."""

import pytest
from django.urls import reverse

from permanence.selectors import children_for_user
from tests.factories.permanence import ChildFactory, ServiceFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def children(team, other_team, iro):
    other_service_team = TeamFactory(service=ServiceFactory(name="Another service"))
    return {
        "mine": ChildFactory(team=team),
        "other_team": ChildFactory(team=other_team, iro=iro),
        "other_service": ChildFactory(team=other_service_team),
    }


def test_social_worker_sees_their_teams_caseload_only(social_worker, children):
    assert list(children_for_user(user=social_worker)) == [children["mine"]]


def test_iro_sees_only_children_allocated_to_them(iro, children):
    assert list(children_for_user(user=iro)) == [children["other_team"]]


def test_manager_sees_their_whole_service(head_of_service, team_manager, children):
    expected = {children["mine"], children["other_team"]}
    assert set(children_for_user(user=head_of_service)) == expected
    assert set(children_for_user(user=team_manager)) == expected


def test_roles_without_a_relationship_see_nobody(cps_duty, chair, administrator, children):
    for user in (cps_duty, chair, administrator):
        assert not children_for_user(user=user).exists()


def test_opening_another_teams_child_is_404(client, social_worker, children):
    client.force_login(social_worker)
    response = client.get(reverse("permanence:child-detail", args=[children["other_team"].pk]))
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_opening_own_teams_child_shows_it(client, social_worker, children):
    client.force_login(social_worker)
    response = client.get(reverse("permanence:child-detail", args=[children["mine"].pk]))
    assert response.status_code == 200
    assert children["mine"].full_name.encode() in response.content


def test_iro_may_see_but_not_edit(client, iro, children):
    client.force_login(iro)
    child = children["other_team"]
    assert client.get(reverse("permanence:child-detail", args=[child.pk])).status_code == 200
    response = client.get(reverse("permanence:child-update", args=[child.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("permanence:child-list"),
        reverse("permanence:child-create"),
        "/children/1/",
        "/children/1/edit/",
        "/children/1/episodes/new/",
    ],
)
def test_every_page_needs_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_permission_predicates_match_the_selector(
    social_worker, iro, head_of_service, cps_duty, children
):
    for user in (social_worker, iro, head_of_service, cps_duty):
        visible = set(children_for_user(user=user))
        for child in children.values():
            assert user.has_perm("permanence.view_child", child) == (child in visible)
