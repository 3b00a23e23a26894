"""The child register's services: validation, history and who may write."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from permanence import services
from permanence.models import Child, Episode
from tests.factories.permanence import ChildFactory, EpisodeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def child_fields(team, **overrides):
    fields = {
        "child_id": "A123",
        "first_name": "Ava",
        "last_name": "Jones",
        "date_of_birth": dt.date(2019, 5, 4),
        "sex": Child.Sex.FEMALE,
        "ethnicity": "WBRI",
        "team": team,
        "court_stage": Child.CourtStage.NONE,
    }
    fields.update(overrides)
    return fields


def test_child_create_records_who_in_history(social_worker, team):
    child = services.child_create(by=social_worker, **child_fields(team))
    record = child.history.get()
    assert record.history_user == social_worker
    assert record.history_change_reason == "Child recorded"


def test_unborn_child_needs_only_an_expected_date(social_worker, team):
    child = services.child_create(
        by=social_worker,
        **child_fields(
            team,
            date_of_birth=None,
            expected_date_of_birth=TODAY + dt.timedelta(days=40),
            sex="",
            ethnicity="",
        ),
    )
    assert child.is_unborn


def test_birth_date_in_future_is_refused_with_a_message_for_the_field(social_worker, team):
    with pytest.raises(ValidationError) as exc:
        services.child_create(
            by=social_worker, **child_fields(team, date_of_birth=TODAY + dt.timedelta(days=1))
        )
    assert "in the past" in exc.value.message_dict["date_of_birth"][0]
    assert not Child.objects.exists()


def test_duplicate_child_id_is_refused(social_worker, team):
    services.child_create(by=social_worker, **child_fields(team))
    with pytest.raises(ValidationError) as exc:
        services.child_create(by=social_worker, **child_fields(team, first_name="Other"))
    assert "child_id" in exc.value.message_dict
    assert Child.objects.get().first_name == "Ava"


def test_unknown_ethnicity_code_is_refused(social_worker, team):
    with pytest.raises(ValidationError) as exc:
        services.child_create(by=social_worker, **child_fields(team, ethnicity="XXXX"))
    assert "not an SSDA903 ethnicity code" in exc.value.message_dict["ethnicity"][0]


def test_child_update_keeps_the_old_value_in_history(social_worker, team):
    child = services.child_create(by=social_worker, **child_fields(team))
    services.child_update(child=child, by=social_worker, last_name="Smith")
    old, new = child.history.order_by("history_date")
    assert (old.last_name, new.last_name) == ("Jones", "Smith")
    assert new.history_user == social_worker


def test_worker_cannot_change_another_teams_child(other_social_worker, team):
    child = ChildFactory(team=team)
    with pytest.raises(PermissionDenied):
        services.child_update(child=child, by=other_social_worker, last_name="X")
    child.refresh_from_db()
    assert child.last_name != "X"


def test_iro_cannot_record_a_child(iro, team):
    with pytest.raises(PermissionDenied):
        services.child_create(by=iro, **child_fields(team))


def test_new_episode_ends_the_open_one_on_the_same_day(social_worker, team):
    child = ChildFactory(team=team)
    first = EpisodeFactory(child=child, decom=TODAY - dt.timedelta(days=100))
    second = services.episode_record(
        child=child,
        by=social_worker,
        decom=TODAY - dt.timedelta(days=10),
        rne="L",
        legal_status="C2",
        place="U6",
    )
    first.refresh_from_db()
    assert first.dec == second.decom
    assert first.rec == "X1"
    assert first.history.latest().history_user == social_worker
    assert list(child.episodes.open()) == [second]


def test_episode_before_birth_is_refused(social_worker, team):
    child = ChildFactory(team=team, date_of_birth=TODAY - dt.timedelta(days=300))
    with pytest.raises(ValidationError) as exc:
        services.episode_record(
            child=child,
            by=social_worker,
            decom=TODAY - dt.timedelta(days=400),
            rne="S",
            legal_status="V2",
            place="U6",
        )
    assert "before the child's date of birth" in exc.value.message_dict["decom"][0]
    assert not Episode.objects.exists()


def test_episode_overlapping_an_earlier_one_is_refused(social_worker, team):
    child = ChildFactory(team=team)
    EpisodeFactory(
        child=child,
        decom=TODAY - dt.timedelta(days=200),
        dec=TODAY - dt.timedelta(days=100),
        rec="E13",
    )
    with pytest.raises(ValidationError) as exc:
        services.episode_record(
            child=child,
            by=social_worker,
            decom=TODAY - dt.timedelta(days=150),
            rne="S",
            legal_status="V2",
            place="U6",
        )
    assert "overlaps the episode that started" in exc.value.message_dict["decom"][0]


def test_unknown_placement_code_is_refused(social_worker, team):
    child = ChildFactory(team=team)
    with pytest.raises(ValidationError) as exc:
        services.episode_record(
            child=child, by=social_worker, decom=TODAY, rne="S", legal_status="V2", place="Q9"
        )
    assert "not an SSDA903 placement type code" in exc.value.message_dict["place"][0]


def test_a_new_period_of_care_must_start_with_reason_s(social_worker, team):
    child = ChildFactory(team=team)
    with pytest.raises(ValidationError) as exc:
        services.episode_record(
            child=child, by=social_worker, decom=TODAY, rne="P", legal_status="V2", place="U6"
        )
    assert "reason S" in exc.value.message_dict["rne"][0]


def test_episode_end_records_the_reason(social_worker, team):
    child = ChildFactory(team=team)
    episode = EpisodeFactory(child=child)
    services.episode_end(episode=episode, by=social_worker, dec=TODAY, rec="E4A")
    episode.refresh_from_db()
    assert (episode.dec, episode.rec) == (TODAY, "E4A")


def test_child_aged_16_needs_a_pathway_plan(team):
    child = ChildFactory(team=team, date_of_birth=dt.date(2010, 11, 23))
    assert child.needs_pathway_plan(dt.date(2026, 11, 23))
    assert not child.needs_pathway_plan(dt.date(2026, 11, 22))


def test_a_placement_move_needs_the_reason_for_the_change(social_worker, team):
    child = ChildFactory(team=team)
    first = EpisodeFactory(child=child, decom=TODAY - dt.timedelta(days=100))
    fields = {
        "decom": TODAY - dt.timedelta(days=5),
        "rne": "P",
        "legal_status": "C1",
        "place": "U4",
        "cin": "N1",
    }
    with pytest.raises(ValidationError) as exc:
        services.episode_record(child=child, by=social_worker, **fields)
    assert "reason the placement changed" in exc.value.message_dict["reason_place_change"][0]
    first.refresh_from_db()
    assert first.dec is None  # the current episode is untouched

    services.episode_record(child=child, by=social_worker, reason_place_change="CARPL", **fields)
    first.refresh_from_db()
    assert (first.dec, first.rec, first.reason_place_change) == (fields["decom"], "X1", "CARPL")
