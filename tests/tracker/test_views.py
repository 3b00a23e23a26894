"""The deadlines page and the child's deadlines section: read from the stored rows, only for
children the user may see."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.models import Deadline

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def swept(make_child, only_rules, system, other_team, team_manager):
    only_rules("first_review", "iro_allocated", "second_review")
    mine = make_child(D(2026, 1, 5), first_name="Ava", last_name="Stone")
    theirs = ChildFactory(team=other_team, first_name="Zed", last_name="Other")
    EpisodeFactory(child=theirs, decom=D(2026, 1, 5))
    services.deadlines_sweep(by=system, now=at(D(2026, 2, 3)))
    return mine, theirs


def test_page_starts_with_the_overdue_ones_of_my_children(swept, client, social_worker):
    client.force_login(social_worker)
    page = client.get("/tracker/deadlines/").content.decode()
    assert "Ava Stone" in page
    assert "Zed Other" not in page
    assert "First looked-after review" in page
    assert "Overdue" in page
    assert "Download these as CSV" in page


def test_every_status_can_be_listed(swept, client, social_worker):
    client.force_login(social_worker)
    page = client.get("/tracker/deadlines/?status=").content.decode()
    assert "Not yet applicable" in page
    assert "Second looked-after review" in page


def test_page_reads_stored_rows_in_a_fixed_number_of_queries(
    swept, client, social_worker, django_assert_max_num_queries, make_child, system
):
    client.force_login(social_worker)
    client.get("/tracker/deadlines/")
    for _ in range(10):
        make_child(D(2026, 1, 5))
    services.deadlines_sweep(by=system, now=at(D(2026, 2, 3)))
    with django_assert_max_num_queries(14):
        client.get("/tracker/deadlines/?status=")


def test_childs_page_shows_their_deadlines(swept, client, social_worker):
    mine, _ = swept
    client.force_login(social_worker)
    page = client.get(mine.get_absolute_url()).content.decode()
    assert 'id="deadlines"' in page
    assert "20 working days after becoming looked after" in page
    assert "Waiting for the first review" in page


def test_deadlines_are_in_the_navigation(swept, client, social_worker):
    client.force_login(social_worker)
    page = client.get("/tracker/deadlines/").content.decode()
    assert 'href="/tracker/deadlines/"' in page


def test_someone_without_a_role_is_refused(client, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x-password-123")
    client.force_login(nobody)
    assert client.get("/tracker/deadlines/").status_code == 403
    assert client.get("/tracker/deadlines/export.csv").status_code == 403


def test_signed_out_goes_to_sign_in(client):
    response = client.get("/tracker/deadlines/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_list_says_how_many_deadlines_each_filter_finds(
    swept, client, social_worker, make_child, system
):
    for _ in range(20):
        make_child(D(2026, 1, 5))
    services.deadlines_sweep(by=system, now=at(D(2026, 2, 3)))
    mine = Deadline.objects.filter(current=True, child__team=social_worker.team)
    client.force_login(social_worker)
    for query, listed in [
        ("", mine.filter(status="overdue")),
        ("?status=", mine),
        ("?status=overdue", mine.filter(status="overdue")),
        ("?status=&rule=first_review", mine.filter(rule__code="first_review")),
        (f"?status=&team={social_worker.team_id}", mine),
    ]:
        n = listed.count()
        pages = "" if n <= 50 else ", page 1 of 2"
        page = client.get(f"/tracker/deadlines/{query}").content.decode()
        assert f"{n} deadlines{pages}</caption>" in page, query
    assert mine.count() > 50
