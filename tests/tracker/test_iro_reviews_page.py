"""The IRO manager's page at a large authority: the IROs in pages of 50 by surname, and on every
page the children with no IRO and the whole service's totals."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from permanence.models import Child
from permanence.roles import Role
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tracker.dashboard.services import tracker_rows_refresh
from tracker.dashboard.views import IroReviewsView
from tracker.deadlines.facts import ChildScope
from tracker.models import TrackerRow

pytestmark = pytest.mark.django_db

PER_PAGE = IroReviewsView.iros_page_size


@pytest.fixture
def many_iros(service, team, social_worker):
    """One IRO more than a page holds, each with one looked-after child, and one looked-after
    child with no IRO."""
    today = timezone.localdate()
    iros = [
        UserFactory(
            username=f"iro{n:03}",
            first_name="Iro",
            last_name=f"Surname{n:03}",
            team=None,
            service=service,
            role=Role.IRO,
        )
        for n in range(PER_PAGE + 1)
    ]
    for n, iro in enumerate([*iros, None]):
        child = ChildFactory(
            team=team, social_worker=social_worker, iro=iro, first_name="Kid", last_name=f"K{n}"
        )
        EpisodeFactory(child=child, decom=today - dt.timedelta(days=30))
    tracker_rows_refresh(scope=ChildScope(pks=tuple(Child.objects.values_list("pk", flat=True))))
    return iros


def _iro_names(html: str) -> list[str]:
    return re.findall(r"Iro (Surname\d{3})<span", html)


def _line(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_a_page_holds_fifty_iros_by_surname_and_the_next_page_the_rest(
    client, iro_manager, many_iros
):
    client.force_login(iro_manager)
    first = client.get(reverse("tracker:iro-reviews")).content.decode()
    assert _iro_names(first) == [f"Surname{n:03}" for n in range(PER_PAGE)]
    assert 'href="?iros=2#by-iro"' in first
    second = client.get(reverse("tracker:iro-reviews"), {"iros": 2}).content.decode()
    assert _iro_names(second) == [f"Surname{PER_PAGE:03}"]
    assert 'href="?iros=1#by-iro"' in second


@pytest.mark.parametrize("iros_page", [1, 2])
def test_every_page_shows_the_children_with_no_iro_and_the_whole_services_totals(
    client, iro_manager, many_iros, iros_page
):
    client.force_login(iro_manager)
    html = client.get(reverse("tracker:iro-reviews"), {"iros": iros_page}).content.decode()
    cells = re.compile(r'numeric">(\d+)</td>')
    # The first of each line's counts is its looked-after children.
    assert cells.findall(_line(html, "No IRO allocated"))[0] == "1"
    assert cells.findall(_line(html, "All looked-after children"))[0] == str(PER_PAGE + 2)


def test_a_page_of_iros_keeps_the_page_of_waiting_children_and_the_other_way_round(
    client, iro_manager, many_iros
):
    client.force_login(iro_manager)
    # Every child's second review overdue and no plan ratified: 52 waiting, three pages of 25.
    TrackerRow.objects.update(second_review_due=timezone.localdate() - dt.timedelta(days=1))
    html = client.get(reverse("tracker:iro-reviews"), {"iros": 2, "page": 2}).content.decode()
    assert 'href="?page=2&amp;iros=1#by-iro"' in html
    assert 'href="?iros=2&amp;page=3#awaiting"' in html
    assert 'href="?iros=2&amp;page=1#awaiting"' in html
