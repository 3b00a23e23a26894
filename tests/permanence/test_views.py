"""The child register's pages: the caseload, bad input beside the field, nothing saved lost."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from permanence.models import Child, Episode
from tests.factories.permanence import ChildFactory, EpisodeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def date_parts(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def child_post(team, **overrides):
    data = {
        "child_id": "NEW1",
        "first_name": "Leo",
        "last_name": "Hart",
        **date_parts("date_of_birth", dt.date(2018, 2, 3)),
        "sex": "M",
        "ethnicity": "WBRI",
        "team": team.pk,
        "court_stage": "none",
    }
    data.update(overrides)
    return data


def test_caseload_search_by_name_and_id(client, social_worker, team):
    ChildFactory(team=team, first_name="Amelia", last_name="Stone", child_id="X1")
    ChildFactory(team=team, first_name="Oscar", last_name="Reed", child_id="X2")
    client.force_login(social_worker)
    by_name = client.get(reverse("permanence:child-list"), {"q": "amel"})
    assert b"Amelia Stone" in by_name.content and b"Oscar Reed" not in by_name.content
    by_id = client.get(reverse("permanence:child-list"), {"q": "x2"})
    assert b"Oscar Reed" in by_id.content and b"Amelia Stone" not in by_id.content


def test_caseload_filters_by_legal_status(client, social_worker, team):
    EpisodeFactory(child=ChildFactory(team=team, first_name="Ivy"), legal_status="C2")
    EpisodeFactory(child=ChildFactory(team=team, first_name="Kai"), legal_status="V2")
    client.force_login(social_worker)
    response = client.get(reverse("permanence:child-list"), {"legal_status": "V2"})
    assert b"Kai" in response.content and b"Ivy" not in response.content


def test_add_a_child_through_the_form(client, social_worker, team):
    client.force_login(social_worker)
    response = client.post(reverse("permanence:child-create"), child_post(team))
    child = Child.objects.get(child_id="NEW1")
    assert response.status_code == 302 and response["Location"] == child.get_absolute_url()
    assert child.history.get().history_user == social_worker


def test_future_birth_date_shows_a_message_beside_the_field_and_keeps_the_answers(
    client, social_worker, team
):
    client.force_login(social_worker)
    future = TODAY + dt.timedelta(days=5)
    response = client.post(
        reverse("permanence:child-create"),
        child_post(team, **date_parts("date_of_birth", future)),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Date of birth must be today or in the past" in html
    assert 'class="govuk-error-message"' in html
    assert 'value="Hart"' in html  # what was typed is still there
    assert not Child.objects.exists()


def test_impossible_date_is_a_real_date_message(client, social_worker, team):
    client.force_login(social_worker)
    response = client.post(
        reverse("permanence:child-create"),
        child_post(team, date_of_birth_0=31, date_of_birth_1=2, date_of_birth_2=2019),
    )
    assert "Date of birth must be a real date" in response.content.decode()


def test_duplicate_id_message_and_original_untouched(client, social_worker, team):
    existing = ChildFactory(team=team, child_id="DUP1", first_name="Original")
    client.force_login(social_worker)
    response = client.post(reverse("permanence:child-create"), child_post(team, child_id="DUP1"))
    assert response.status_code == 400
    assert "Child with this Child identifier already exists" in response.content.decode()
    existing.refresh_from_db()
    assert existing.first_name == "Original"


def test_unknown_code_is_refused_beside_the_field(client, social_worker, team):
    child = ChildFactory(team=team)
    client.force_login(social_worker)
    response = client.post(
        reverse("permanence:episode-create", args=[child.pk]),
        {
            **date_parts("decom", TODAY),
            "rne": "S",
            "legal_status": "ZZ",
            "place": "U6",
            "cin": "N1",
        },
    )
    assert response.status_code == 400
    assert "is not an SSDA903 legal status code" in response.content.decode()
    assert not Episode.objects.exists()


def test_overlapping_episode_is_refused_and_existing_kept(client, social_worker, team):
    child = ChildFactory(team=team)
    kept = EpisodeFactory(
        child=child,
        decom=TODAY - dt.timedelta(days=90),
        dec=TODAY - dt.timedelta(days=30),
        rec="E4A",
    )
    client.force_login(social_worker)
    response = client.post(
        reverse("permanence:episode-create", args=[child.pk]),
        {
            **date_parts("decom", TODAY - dt.timedelta(days=60)),
            "rne": "S",
            "legal_status": "V2",
            "place": "U6",
            "cin": "N1",
        },
    )
    assert "overlaps the episode that started" in response.content.decode()
    assert list(child.episodes.all()) == [kept]


def test_child_page_shows_history_with_who_changed_what(client, social_worker, team):
    client.force_login(social_worker)
    client.post(reverse("permanence:child-create"), child_post(team))
    child = Child.objects.get(child_id="NEW1")
    client.post(
        reverse("permanence:child-update", args=[child.pk]), child_post(team, last_name="Stone")
    )
    html = client.get(child.get_absolute_url()).content.decode()
    assert "Last name: Hart → Stone" in html
    assert str(social_worker) in html


def test_sixteen_year_old_is_marked_pathway_plan(client, social_worker, team):
    child = ChildFactory(team=team, date_of_birth=TODAY.replace(year=TODAY.year - 16))
    client.force_login(social_worker)
    html = client.get(child.get_absolute_url()).content.decode()
    assert "Pathway plan" in html


def test_sign_in_page_uses_the_gds_error_summary(client, social_worker):
    response = client.post(reverse("login"), {"username": "sw", "password": "wrong"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a correct username and password" in html
