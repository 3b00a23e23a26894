"""Query counts of the journeys' pages, pinned flat as the data grows (issue 19, item 2).

Each page is read twice with a little data and then with much more: the second read must not
cost a query more than the first, and neither more than the page's pin. The first request of a
session fills the caches a running server keeps (session, permissions), as in production.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from permanence.services import child_update
from tests.factories.permanence import ChildFactory, EpisodeFactory

pytestmark = pytest.mark.django_db


def _queries(client, user, url) -> tuple[int, str]:
    client.force_login(user)
    client.get(url)  # the session and permissions, as a running server holds them
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


# -- a child's page: one query per kind of history, never one per recorded change -------------

CHILD_PAGE_QUERIES = 40


def test_a_childs_page_costs_the_same_with_ten_times_the_changes(
    client, team, social_worker, team_manager
):
    child = ChildFactory(team=team, social_worker=social_worker, last_name="Stone")
    EpisodeFactory(child=child)
    url = reverse("permanence:child-detail", args=[child.pk])
    for n in range(3):
        child_update(child=child, by=team_manager, reason=f"Change {n}", last_name=f"Stone{n}")
    few, _ = _queries(client, social_worker, url)
    for n in range(3, 30):
        child_update(child=child, by=team_manager, reason=f"Change {n}", last_name=f"Stone{n}")
    many, page = _queries(client, social_worker, url)
    assert "Change 29" in page and "Stone28" in page
    assert many == few <= CHILD_PAGE_QUERIES
