"""Query counts of the journeys' pages, pinned flat as the data grows (issue 19, item 2).

Each page is read twice with a little data and then with much more: the second read must not
cost a query more than the first, and neither more than the page's pin. The first request of a
session fills the caches a running server keeps (session, permissions), as in production.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from permanence import dates
from permanence.models import User
from permanence.roles import Role
from permanence.services import child_update, system_user
from tests.factories.forums import BookingFactory, ForumSessionFactory, Part1Factory
from tests.factories.permanence import (
    ChildFactory,
    EpisodeFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)
from tests.querycount import page_queries
from tracker import bench, services

pytestmark = pytest.mark.django_db


# -- a child's page: one query per kind of history, never one per recorded change -------------

CHILD_PAGE_QUERIES = 20


def test_a_childs_page_costs_the_same_with_ten_times_the_changes(
    client, team, social_worker, team_manager
):
    child = ChildFactory(team=team, social_worker=social_worker, last_name="Stone")
    EpisodeFactory(child=child, legal_status="C2")
    url = reverse("permanence:child-detail", args=[child.pk])
    for n in range(3):
        child_update(child=child, by=team_manager, reason=f"Change {n}", last_name=f"Stone{n}")
    few, _ = page_queries(client, social_worker, url)
    for n in range(3, 30):
        child_update(child=child, by=team_manager, reason=f"Change {n}", last_name=f"Stone{n}")
    many, page = page_queries(client, social_worker, url)
    assert "Change 29" in page and "Stone28" in page
    assert "C2: Full care order" in page  # the codes' meanings, read in one query
    assert many == few <= CHILD_PAGE_QUERIES


# -- a manager's children list -------------------------------------------------------------------

CHILDREN_LIST_QUERIES = 15


def _children(team, worker, n, prefix):
    for k in range(n):
        child = ChildFactory(team=team, social_worker=worker, last_name=f"{prefix}{k:03d}")
        EpisodeFactory(child=child, legal_status="C2")


@pytest.mark.parametrize("reader", ["head_of_service", "team_manager", "social_worker"])
def test_the_children_list_costs_the_same_for_ten_times_the_children(
    client, request, reader, team, other_team, social_worker, other_social_worker
):
    user = request.getfixturevalue(reader)
    url = reverse("permanence:child-list")
    _children(team, social_worker, 3, "Fewchild")
    few, _ = page_queries(client, user, url)
    _children(team, social_worker, 15, "Manychild")
    _children(other_team, other_social_worker, 15, "Othermany")
    many, page = page_queries(client, user, url)
    assert "Fewchild000" in page
    assert many == few <= CHILDREN_LIST_QUERIES


def test_the_filters_offer_only_the_teams_and_workers_of_the_readers_service(
    client, team, social_worker, head_of_service
):
    far_team = TeamFactory(name="Farthest Outpost Team", service=ServiceFactory(name="Far away"))
    UserFactory(team=far_team, first_name="Zebedee", last_name="Faraway", role=Role.SOCIAL_WORKER)
    ChildFactory(team=far_team, last_name="Outsider")
    _children(team, social_worker, 1, "Insider")
    client.force_login(head_of_service)
    page = client.get(reverse("permanence:child-list")).content.decode()
    assert f'<option value="{team.pk}">{team.name}</option>' in page
    assert f'<option value="{social_worker.pk}">{social_worker}</option>' in page
    assert "Farthest Outpost Team" not in page
    assert "Zebedee Faraway" not in page


def test_filtering_by_a_worker_lists_their_children_and_keeps_the_choice(
    client, team, other_team, social_worker, other_social_worker, head_of_service
):
    _children(team, social_worker, 1, "Mineonly")
    _children(other_team, other_social_worker, 1, "Theirsonly")
    client.force_login(head_of_service)
    url = reverse("permanence:child-list")
    page = client.get(url, {"worker": other_social_worker.pk}).content.decode()
    assert "Theirsonly000" in page and "Mineonly000" not in page
    assert f'<option value="{other_social_worker.pk}" selected>' in page
    page = client.get(url, {"team": team.pk, "legal_status": "C2"}).content.decode()
    assert "Mineonly000" in page and "Theirsonly000" not in page


def test_a_worker_outside_the_readers_service_is_refused_not_listed(
    client, team, social_worker, head_of_service
):
    far_team = TeamFactory(name="Farthest Outpost Team", service=ServiceFactory(name="Far away"))
    stranger = UserFactory(team=far_team, role=Role.SOCIAL_WORKER)
    _children(team, social_worker, 1, "Insider")
    client.force_login(head_of_service)
    page = client.get(reverse("permanence:child-list"), {"worker": stranger.pk})
    assert page.status_code == 200
    assert "Choose a social worker from the list" in page.content.decode()


# -- the tracker's pages, the measures, the deadlines and a caseload, on the synthetic service --

JOURNEY_QUERIES = 15
TRACKER = "/tracker/dashboard/"


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("bench_hos", TRACKER),
        ("bench_hos", f"{TRACKER}?rag=red&route=adoption&sort=deadline"),
        ("bench_hos", f"{TRACKER}?sort=-deadline"),
        # A later page; with these few children the paginator shows its last, as a user's
        # bookmarked page 50 would once the service has shrunk.
        ("bench_hos", f"{TRACKER}?page=3"),
        ("bench_hos", f"{TRACKER}?page=50"),
        ("bench_hos", "/tracker/deadlines/"),
        ("bench_hos", "/tracker/deadlines/?status="),
        ("bench_sw0", "/tracker/deadlines/"),
        ("bench_sw0", "/tracker/caseload/"),
        ("bench_sw0", "/children/"),
        ("bench_tm0", "/children/"),
    ],
)
def test_a_journeys_page_costs_the_same_for_six_times_the_children(client, who, url):
    by = system_user()
    bench.build(12, by=by)
    services.deadlines_sweep(by=by)
    user = User.objects.get(username=who)
    few, _ = page_queries(client, user, url)
    bench.build(60, by=by)
    services.deadlines_sweep(by=by)
    many, _ = page_queries(client, user, url)
    assert many == few <= JOURNEY_QUERIES


# -- the forum desk, the chair's agenda and the IRO's reviews ------------------------------------

FORUM_QUERIES = 15


@pytest.mark.parametrize("who", ["chair", "cps_duty"])
@pytest.mark.parametrize("page", ["forums:home", "agenda"])
def test_the_forum_pages_cost_the_same_for_six_times_the_bookings(
    client, request, who, page, chair, team, social_worker
):
    user = request.getfixturevalue(who)
    session = ForumSessionFactory(
        chair=chair, forum_date=dates.add_working_days(timezone.localdate(), 1), slot_count=10
    )
    url = reverse("forums:session-agenda", args=[session.pk]) if page == "agenda" else reverse(page)

    def add(n):
        for _ in range(n):
            child = ChildFactory(team=team, social_worker=social_worker, last_name="Booked")
            booking = BookingFactory(
                session=session, child=child, requested_by=social_worker, status="confirmed"
            )
            Part1Factory(booking=booking)

    add(1)
    few, _ = page_queries(client, user, url)
    add(6)
    many, _ = page_queries(client, user, url)
    assert many == few <= FORUM_QUERIES


IRO_QUERIES = 15


def test_the_iros_reviews_cost_the_same_for_six_times_the_children(client, team, iro):
    url = reverse("reviews:iro-dashboard")
    for n in range(2):
        ChildFactory(team=team, iro=iro, first_name=f"Few{n}")
        EpisodeFactory(child=ChildFactory(team=team, iro=iro), decom=timezone.localdate())
    few, _ = page_queries(client, iro, url)
    for _ in range(12):
        EpisodeFactory(child=ChildFactory(team=team, iro=iro), decom=timezone.localdate())
    many, _ = page_queries(client, iro, url)
    assert many == few <= IRO_QUERIES


def test_the_deadlines_page_offers_only_the_teams_of_the_readers_children(
    client, team, social_worker, head_of_service
):
    TeamFactory(name="Farthest Outpost Team", service=ServiceFactory(name="Far away"))
    _children(team, social_worker, 1, "Insider")
    client.force_login(head_of_service)
    page = client.get(reverse("tracker:deadline-list")).content.decode()
    assert f'<option value="{team.pk}">{team.name}</option>' in page
    assert "Farthest Outpost Team" not in page
