"""The tracker dashboard: every child's line for a manager's service, a worker's own caseload,
filters, sorting, pages, bad input, the CSV, and a fixed number of queries (SPEC §6, issue 6)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from permanence.models import User
from permanence.models.plans import Route, Status
from permanence.roles import Role
from permanence.services import system_user
from tests.factories.forums import BookingFactory, ForumSessionFactory
from tests.factories.permanence import (
    ChildFactory,
    EpisodeFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)
from tests.factories.plans import PlanFactory
from tests.factories.reviews import IroAllocationFactory
from tracker import bench, services
from tracker.dashboard import selectors

pytestmark = pytest.mark.django_db

D = dt.date
DASHBOARD = "/tracker/dashboard/"
MINE = "/tracker/caseload/"


def _looked_after(team, worker, iro, *, first, last, days_ago, allocated=True):
    child = ChildFactory(team=team, social_worker=worker, iro=iro, first_name=first, last_name=last)
    since = timezone.localdate() - dt.timedelta(days=days_ago)
    EpisodeFactory(child=child, decom=since)
    if allocated:
        IroAllocationFactory(child=child, iro=iro, allocated_on=since)
    return child


@pytest.fixture
def authority(team, other_team, social_worker, other_social_worker, iro, service):
    """Three children in the service: one red (no IRO allocated in time), one in another team
    with an adoption plan, one not looked after; and one in another service."""
    red = _looked_after(
        team, social_worker, iro, first="Ava", last="Stone", days_ago=30, allocated=False
    )
    theirs = _looked_after(
        other_team, other_social_worker, iro, first="Ben", last="Hart", days_ago=3
    )
    PlanFactory(
        child=theirs,
        route=Route.ADOPTION,
        status=Status.DRAFT,
        contingency_route=Route.LONG_TERM_FOSTERING,
    )
    home = ChildFactory(team=team, social_worker=social_worker, first_name="Cleo", last_name="Dunn")
    elsewhere = TeamFactory(name="Far team", service=ServiceFactory(name="Another service"))
    outsider = ChildFactory(team=elsewhere, first_name="Zed", last_name="Other")
    EpisodeFactory(child=outsider)
    services.deadlines_sweep(by=system_user())
    return {"red": red, "theirs": theirs, "home": home, "outsider": outsider}


def page(client, user, url=DASHBOARD):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_manager_sees_every_child_of_the_service(client, authority, head_of_service):
    html = page(client, head_of_service)
    for name in ("Ava Stone", "Ben Hart", "Cleo Dunn"):
        assert name in html
    assert "Zed Other" not in html
    assert "3 children." in html
    # The line: team, worker, legal status and weeks, route, status, contingency, next deadline.
    assert "North team" in html and "South team" in html
    assert "long-term fostering" in html and "Adoption" in html and "Draft" in html
    assert "Not looked after now" in html
    assert "IRO allocated" in html and "Overdue" in html
    assert f'href="/tracker/children/{authority["red"].pk}/chronology/"' in html


def test_most_urgent_first(client, authority, head_of_service):
    html = page(client, head_of_service)
    assert html.index("Ava Stone") < html.index("Ben Hart")


def test_team_manager_sees_the_service_too(client, authority, team_manager):
    html = page(client, team_manager)
    assert "Ben Hart" in html and "Zed Other" not in html


def test_social_worker_has_a_my_caseload_version(client, authority, social_worker):
    html = page(client, social_worker, MINE)
    assert "My caseload tracker" in html
    assert "Ava Stone" in html and "Cleo Dunn" in html
    assert "Ben Hart" not in html  # another worker's child


def test_iro_caseload_is_their_allocated_children(client, authority, iro):
    html = page(client, iro, MINE)
    assert "Ava Stone" in html and "Ben Hart" in html
    assert "Cleo Dunn" not in html


def test_navigation_offers_the_right_tracker(client, authority, head_of_service, social_worker):
    assert 'href="/tracker/dashboard/"' in page(client, head_of_service)
    html = page(client, social_worker, MINE)
    assert 'href="/tracker/caseload/"' in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("rag=red", ["Ava Stone"], ["Ben Hart", "Cleo Dunn"]),
        ("route=adoption", ["Ben Hart"], ["Ava Stone", "Cleo Dunn"]),
        ("route=none", ["Ava Stone", "Cleo Dunn"], ["Ben Hart"]),
        ("status=draft", ["Ben Hart"], ["Ava Stone"]),
        ("legal_status=C1", ["Ava Stone", "Ben Hart"], ["Cleo Dunn"]),
        ("legal_status=none", ["Cleo Dunn"], ["Ava Stone"]),
        ("court_stage=none", ["Ava Stone", "Ben Hart", "Cleo Dunn"], []),
    ],
)
def test_filters(client, authority, head_of_service, query, shown, hidden):
    html = page(client, head_of_service, f"{DASHBOARD}?{query}")
    for name in shown:
        assert name in html
    for name in hidden:
        assert name not in html


def test_filter_by_team_worker_and_iro(
    client, authority, head_of_service, team, other_social_worker, iro
):
    assert "Ben Hart" not in page(client, head_of_service, f"{DASHBOARD}?team={team.pk}")
    html = page(client, head_of_service, f"{DASHBOARD}?worker={other_social_worker.pk}")
    assert "Ben Hart" in html and "Ava Stone" not in html
    html = page(client, head_of_service, f"{DASHBOARD}?iro={iro.pk}")
    assert "Cleo Dunn" not in html and "Ava Stone" in html


def test_rag_summary_counts_and_links(client, authority, head_of_service):
    html = page(client, head_of_service)
    assert '<span class="app-rag-summary__count">1</span>' in html  # one red
    assert 'href="?rag=red"' in html


def test_sort_by_name(client, authority, head_of_service):
    html = page(client, head_of_service, f"{DASHBOARD}?sort=name")
    assert html.index("Cleo Dunn") < html.index("Ben Hart") < html.index("Ava Stone")  # by surname


def test_unknown_filter_values_are_left_out_with_a_note(client, authority, head_of_service):
    other = UserFactory(
        role=Role.SOCIAL_WORKER,
        team=TeamFactory(name="Elsewhere", service=ServiceFactory(name="Another service")),
    )
    html = page(
        client,
        head_of_service,
        f"{DASHBOARD}?rag=purple&team=99999&worker={other.pk}&route=flying&sort=shoe&iro=x",
    )
    assert "Some of the filters in the address could not be used" in html
    for label, value in [
        ("RAG", "purple"),
        ("Team", "99999"),
        ("Social worker", str(other.pk)),
        ("Route", "flying"),
        ("Sort by", "shoe"),
        ("IRO", "x"),
    ]:
        assert f"{label}: “{value}” is not one of the choices" in html
    assert "3 children." in html  # every filter left out


def test_a_page_past_the_end_shows_the_last_page(client, authority, head_of_service):
    html = page(client, head_of_service, f"{DASHBOARD}?page=999")
    assert "Ava Stone" in html
    assert page(client, head_of_service, f"{DASHBOARD}?page=abc")


def test_pages_of_25(client, head_of_service):
    bench.build(30, by=system_user())
    services.deadlines_sweep(by=system_user())
    hos = User.objects.get(username="bench_hos")
    html = page(client, hos, f"{DASHBOARD}?sort=child_id")
    assert "30 children: page 1 of 2." in html
    assert "BN000025" in html and "BN000026" not in html
    html = page(client, hos, f"{DASHBOARD}?sort=child_id&page=2")
    assert "BN000026" in html and "BN000025" not in html
    assert 'href="?sort=child_id&amp;page=1"' in html


def test_htmx_gets_only_the_dashboard_region(client, authority, head_of_service):
    client.force_login(head_of_service)
    response = client.get(f"{DASHBOARD}?rag=red", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="tracker-dashboard"')
    assert "<html" not in html
    assert 'hx-swap-oob="true"' in html and "1 child shown." in html


def test_without_a_role_the_dashboard_is_refused(client, authority, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x-password-123")
    client.force_login(nobody)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(f"{DASHBOARD}export.csv").status_code == 403


def test_forum_chair_sees_only_the_children_booked_to_them(client, authority, chair):
    """A relationship the row does not copy (a forum booking) is checked against the child."""
    BookingFactory(child=authority["theirs"], session=ForumSessionFactory(chair=chair))
    # Chairs have no tracker role by default; give this one the permission to look.
    group = Group.objects.get(name=Role.FORUM_CHAIR.label)
    group.permissions.add(Permission.objects.get(codename="view_trackerrow"))
    html = page(client, chair)
    assert "Ben Hart" in html and "Ava Stone" not in html


# -- the CSV ----------------------------------------------------------------------------------


def _csv(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_has_every_matching_row_with_the_filters(client, authority, head_of_service):
    rows = _csv(client, head_of_service, f"{DASHBOARD}export.csv")
    assert rows[0][:4] == ["child_id", "first_name", "last_name", "team"]
    assert sorted(r[2] for r in rows[1:]) == ["Dunn", "Hart", "Stone"]
    red = _csv(client, head_of_service, f"{DASHBOARD}export.csv?rag=red")
    assert [r[2] for r in red[1:]] == ["Stone"]
    stone = dict(zip(red[0], red[1], strict=True))
    assert stone["rag"] == "red" and stone["computed_rag"] == "red"
    assert stone["next_deadline"] == "IRO allocated"
    assert stone["legal_status"] == "C1" and stone["weeks_looked_after"] == "4"


def test_my_caseload_export(client, authority, social_worker):
    rows = _csv(client, social_worker, f"{MINE}export.csv")
    assert sorted(r[2] for r in rows[1:]) == ["Dunn", "Stone"]


def test_export_never_shows_children_of_another_service(client, authority, head_of_service):
    rows = _csv(client, head_of_service, f"{DASHBOARD}export.csv?team=99999")
    assert "Other" not in {r[2] for r in rows}


# -- query counts ---------------------------------------------------------------------------

MAX_QUERIES = 12


def _queries(client, user, url, *, lists_kept: bool = True) -> int:
    """The queries of a page as a running server serves it. `lists_kept=False`: the first page
    after a person's filter lists have expired, when they are worked out again."""
    client.force_login(user)
    client.get(url)  # the session and permissions as a running server would have them
    if not lists_kept:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        DASHBOARD,
        f"{DASHBOARD}?rag=red&sort=deadline",
        f"{DASHBOARD}?route=adoption&status=draft&legal_status=C2&court_stage=issued",
        f"{DASHBOARD}export.csv",
        MINE,
    ],
)
def test_query_count_is_the_same_for_10_and_200_children(client, url):
    by = system_user()
    bench.build(10, by=by)
    services.deadlines_sweep(by=by)
    hos = User.objects.get(username="bench_hos")
    hos.groups.add(*User.objects.get(username="bench_sw0").groups.all())  # for "mine"
    few = _queries(client, hos, url), _queries(client, hos, url, lists_kept=False)
    bench.build(190, by=by)
    services.deadlines_sweep(by=by)
    many = _queries(client, hos, url), _queries(client, hos, url, lists_kept=False)
    assert few == many
    assert max(many) <= MAX_QUERIES


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # Session, user, permissions (2), roles, the children seen through relationships the
        # row does not hold (an action owned, say), RAG counts, page, and the header's unread
        # notifications; the filter lists (teams, workers, IROs) are kept for a minute.
        ("head_of_service", 9),
        # The same: the manager's own team, which says the service they oversee, comes with the
        # signed-in user.
        ("team_manager", 9),
    ],
)
def test_dashboard_query_count_is_pinned(client, authority, request, who, expected):
    user = request.getfixturevalue(who)
    assert _queries(client, user, DASHBOARD) == expected
    # Once a minute: the teams, workers and IROs the filters offer, worked out again.
    assert _queries(client, user, DASHBOARD, lists_kept=False) == expected + 3


def test_a_new_social_worker_is_offered_once_the_filter_lists_are_a_minute_old(
    client, authority, head_of_service, team, monkeypatch
):
    monkeypatch.setattr(selectors, "FILTER_OPTIONS_SECONDS", 1)
    assert "Newly Joined" not in page(client, head_of_service)
    UserFactory(first_name="Newly", last_name="Joined", team=team, role=Role.SOCIAL_WORKER)
    # Kept for the minute (here a second): the lists are not worked out for every page...
    assert "Newly Joined" not in page(client, head_of_service)
    time.sleep(1.1)
    # ...and once it has passed, the new worker is offered.
    assert "Newly Joined" in page(client, head_of_service)
