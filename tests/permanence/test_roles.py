"""The adoption manager, the fostering services manager and the IRO manager track every plan of
the service they oversee together (002 §12): they read the children, the plans and the tracker,
and change nothing on a child's record. Every page against every role is walked in
tests/test_scope_every_page.py; this file pins what each of these roles is for."""

from __future__ import annotations

import pytest
from django.urls import reverse

from permanence.access import user_can_edit_child, user_can_see_child
from permanence.roles import TRACKING_ROLES, Role
from tests.factories.permanence import ChildFactory, ServiceFactory, TeamFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db

TRACKERS = ["adoption_manager", "fostering_manager", "iro_manager"]


@pytest.fixture
def children(team, social_worker, service):
    other_team_same_service = TeamFactory(service=service)
    elsewhere = TeamFactory(service=ServiceFactory(name="Elsewhere"))
    return {
        "mine": ChildFactory(team=team, social_worker=social_worker, last_name="Inteam"),
        "service": ChildFactory(team=other_team_same_service, last_name="Inservice"),
        "elsewhere": ChildFactory(team=elsewhere, last_name="Farside"),
    }


def test_the_three_roles_exist_with_their_names():
    assert {Role(r).label for r in TRACKING_ROLES} == {
        "Adoption manager",
        "Fostering services manager",
        "IRO manager",
    }


@pytest.mark.parametrize("role", TRACKERS)
def test_each_sees_every_child_of_their_service_and_changes_none(request, role, children):
    user = request.getfixturevalue(role)
    assert user_can_see_child(user, children["mine"])
    assert user_can_see_child(user, children["service"])
    assert not user_can_see_child(user, children["elsewhere"])
    assert not user_can_edit_child(user, children["mine"])
    assert not user.has_perm("permanence.change_child", children["mine"])
    assert not user.has_perm("permanence.add_plan", children["mine"])
    assert not user.has_perm("permanence.ratify_plan")


@pytest.mark.parametrize("role", TRACKERS)
def test_each_starts_with_the_tracker_and_reads_every_plan(client, request, role, children):
    user = request.getfixturevalue(role)
    for child in children.values():
        PlanFactory(child=child)
    client.force_login(user)
    nav = client.get(reverse("tracker:dashboard"))
    assert nav.status_code == 200
    assert 'href="/tracker/dashboard/"' in nav.content.decode()
    assert client.get(reverse("tracker:measures")).status_code == 200
    plans = client.get(reverse("permanence:plan-list")).content.decode()
    assert "Inteam" in plans and "Inservice" in plans
    assert "Farside" not in plans
    caseload = client.get(reverse("permanence:child-list")).content.decode()
    assert "Inservice" in caseload and "Farside" not in caseload


@pytest.mark.parametrize("role", TRACKERS)
def test_each_is_refused_the_pages_that_change_a_record(client, request, role, children):
    user = request.getfixturevalue(role)
    child = children["mine"]
    client.force_login(user)
    for name in (
        "permanence:child-update",
        "permanence:contact-create",
        "permanence:sibling-group-create",
        "permanence:plan-create",
    ):
        assert client.get(reverse(name, args=[child.pk])).status_code == 403, name
    page = client.get(child.get_absolute_url()).content.decode()
    assert "Record a contact arrangement" not in page
    assert "Change details" not in page
