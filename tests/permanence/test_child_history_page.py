"""The child's page shows the latest recorded changes and says how many there are in all; every
change is one link away, on a page of its own, for whoever may open the child."""

import pytest
from django.urls import reverse

from permanence.selectors import HISTORY_ON_CHILD_PAGE
from permanence.services import child_update
from tests.factories.permanence import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_child(team, social_worker, team_manager):
    child = ChildFactory(team=team, social_worker=social_worker, last_name="Stone")
    for n in range(30):
        child_update(child=child, by=team_manager, reason=f"Change {n:02d}", last_name=f"Stone{n}")
    return child


def test_the_child_page_shows_the_latest_changes_and_how_many_there_are(
    client, busy_child, social_worker
):
    client.force_login(social_worker)
    page = client.get(reverse("permanence:child-detail", args=[busy_child.pk])).content.decode()
    total = busy_child.history.count()
    assert f"The latest {HISTORY_ON_CHILD_PAGE} of {total} recorded changes" in page
    assert "Change 29" in page and "Stone28 → Stone29" in page
    oldest_shown = 30 - HISTORY_ON_CHILD_PAGE
    assert f"Change {oldest_shown:02d}" in page
    # The oldest change shown says what it changed: the one before it was read to compare with.
    assert f"Stone{oldest_shown - 1} → Stone{oldest_shown}" in page
    assert f"Change {oldest_shown - 1:02d}" not in page
    assert reverse("permanence:child-history", args=[busy_child.pk]) in page


def test_every_change_is_on_the_history_page(client, busy_child, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("permanence:child-history", args=[busy_child.pk])).content.decode()
    assert "Change 00" in page and "Change 29" in page
    assert "Stone0 → Stone1" in page
    assert f"{busy_child.history.count()} recorded changes" in page


def test_a_short_history_is_shown_whole_without_the_link(client, team, social_worker):
    child = ChildFactory(team=team, social_worker=social_worker)
    client.force_login(social_worker)
    page = client.get(reverse("permanence:child-detail", args=[child.pk])).content.decode()
    assert "recorded changes" not in page
    assert reverse("permanence:child-history", args=[child.pk]) not in page


def test_nobody_reads_the_history_of_a_child_they_may_not_open(
    client, busy_child, other_social_worker
):
    client.force_login(other_social_worker)
    url = reverse("permanence:child-history", args=[busy_child.pk])
    assert client.get(url).status_code == 404
