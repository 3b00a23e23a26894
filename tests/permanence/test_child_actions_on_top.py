"""The child's page puts what the reader may do at the top, before the long sections (issue 16:
book a forum, record a meeting, view the plan were 2,700 pixels down)."""

from __future__ import annotations

import pytest

from permanence.models.plans import Status
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db

# (the words of the action, the permission that offers it)
ACTIONS = [
    ("Book a forum slot", "forums.add_booking"),
    ("Add a meeting", "forums.add_meeting"),
    ("Record a placement disruption", "forums.add_disruption"),
    ("Book a review", "reviews.add_review"),
    ("Record a review", "reviews.add_review"),
    ("Allocate an IRO", "reviews.add_iroallocation"),
]


@pytest.fixture
def child(team, social_worker, iro):
    child = ChildFactory(team=team, social_worker=social_worker, iro=iro)
    EpisodeFactory(child=child)
    return child


def _page(client, user, child) -> str:
    client.force_login(user)
    response = client.get(child.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["social_worker", "team_manager", "iro", "head_of_service"])
def test_the_actions_come_before_the_first_section(client, request, child, who):
    user = request.getfixturevalue(who)
    PlanFactory(child=child, status=Status.DRAFT)
    page = _page(client, user, child)
    actions_at = page.index('id="child-actions"')
    first_section = page.index('<h2 class="govuk-heading-m"')
    assert actions_at < first_section
    top = page[actions_at:first_section]
    assert "View the plan" in top
    for words, permission in ACTIONS:
        if user.has_perm(permission, child):
            assert words in top, words
            # Offered once, at the top, not again under the section it belongs to.
            assert page.count(f">{words}<") == 1, words
        else:
            assert f">{words}<" not in page, words


def test_a_child_with_no_plan_offers_to_draft_one_at_the_top(client, child, social_worker):
    page = _page(client, social_worker, child)
    top = page[page.index('id="child-actions"') : page.index('<h2 class="govuk-heading-m"')]
    assert ">Draft a plan<" in top
