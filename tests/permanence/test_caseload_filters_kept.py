"""The caseload's filter lists (teams, social workers) are kept for a minute per person, as the
tracker's are (issue 19): a new worker is offered once the minute has passed, and what the list
shows is read afresh on every page."""

import time

import pytest
from django.urls import reverse

from permanence import selectors
from permanence.roles import Role
from tests.factories.permanence import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("permanence:child-list")).content.decode()


def test_a_new_social_worker_is_offered_once_the_lists_are_a_minute_old(
    client, team, team_manager, monkeypatch
):
    monkeypatch.setattr(selectors, "FILTER_OPTIONS_SECONDS", 1)
    ChildFactory(team=team, first_name="Amelia")
    assert "Newly Joined" not in _page(client, team_manager)
    UserFactory(first_name="Newly", last_name="Joined", team=team, role=Role.SOCIAL_WORKER)
    assert "Newly Joined" not in _page(client, team_manager)
    time.sleep(1.1)
    assert "Newly Joined" in _page(client, team_manager)


def test_the_children_shown_are_read_afresh_while_the_lists_are_kept(client, team, team_manager):
    ChildFactory(team=team, first_name="Amelia")
    assert "Amelia" in _page(client, team_manager)
    ChildFactory(team=team, first_name="Zachariah")
    assert "Zachariah" in _page(client, team_manager)


def test_each_person_has_their_own_lists(client, team, other_team, social_worker):
    other = UserFactory(
        first_name="Olwen", last_name="South", team=other_team, role=Role.SOCIAL_WORKER
    )
    ChildFactory(team=team, first_name="Amelia")
    ChildFactory(team=other_team, first_name="Bryn")
    assert "North team" in _page(client, social_worker)
    page = _page(client, other)
    assert "North team" not in page and "South team" in page
