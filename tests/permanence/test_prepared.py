"""Statements about one record, compiled once per process (permanence/prepared.py): each call
gets its own record's rows, as Django would have read them, and a statement that depends on
anything besides its numbers is refused."""

import datetime as dt

import pytest
from django.db.models import Count, F

from permanence.models import Child, Episode
from permanence.prepared import prepared
from tests.factories.permanence import ChildFactory, EpisodeFactory, TeamFactory

pytestmark = pytest.mark.django_db


@prepared
def _child_with_team(child_id):
    return (
        Child.objects.filter(pk=child_id)
        .select_related("team__service")
        .annotate(episode_count=Count("episodes"), team_label=F("team__name"))
    )


@prepared
def _episodes_of(child_id):
    return Episode.objects.filter(child_id=child_id).order_by("decom")


@prepared
def _names_in_team(team_id, child_id):
    return Child.objects.filter(team_id=team_id).exclude(pk=child_id).values_list("pk", flat=True)


def test_each_call_reads_its_own_record_with_its_relations_and_annotations():
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    ann, bo = ChildFactory(team=north), ChildFactory(team=south)
    EpisodeFactory(child=ann)
    for _ in range(2):
        [first] = _child_with_team(ann.pk)
        [second] = _child_with_team(bo.pk)
        assert (first, first.team.name, first.team_label, first.episode_count) == (
            ann,
            "North",
            "North",
            1,
        )
        assert (second, second.team.service, second.episode_count) == (bo, south.service, 0)
    assert _child_with_team(-5) == []


def test_dates_come_back_as_dates_in_order():
    ann = ChildFactory()
    later = EpisodeFactory(child=ann)
    assert _episodes_of(ann.pk) == [later]
    assert _episodes_of(ann.pk)[0].decom == later.decom


def test_several_numbers_each_go_to_their_own_place():
    team = TeamFactory()
    ann, bo, cy = ChildFactory(team=team), ChildFactory(team=team), ChildFactory(team=team)
    assert set(_names_in_team(team.pk, ann.pk)) == {bo.pk, cy.pk}
    assert set(_names_in_team(team.pk, bo.pk)) == {ann.pk, cy.pk}
    assert _names_in_team(TeamFactory().pk, ann.pk) == []


def test_a_statement_that_depends_on_more_than_its_numbers_is_refused():
    ann, bo = ChildFactory(), ChildFactory()
    chosen = {"pk": ann.pk}

    @prepared
    def leaky(team_id):
        # Reads a number from outside: the kept statement would keep the first one.
        return Child.objects.filter(team_id=team_id, pk=chosen["pk"])

    leaky(ann.team_id)
    chosen["pk"] = bo.pk
    with pytest.raises(AssertionError, match="depends on something besides its keys"):
        leaky(ann.team_id)


def test_a_statement_that_drops_its_number_is_refused():
    @prepared
    def everyone(child_id):
        return Child.objects.all()

    with pytest.raises(RuntimeError, match="lost a key"):
        everyone(1)


@prepared
def _episodes_from(child_id, since):
    return Episode.objects.filter(child_id=child_id, decom__gte=since).order_by("decom")


def test_a_date_key_goes_where_its_stand_in_went():
    ann = ChildFactory()
    episode = EpisodeFactory(child=ann)
    assert _episodes_from(ann.pk, episode.decom) == [episode]
    assert _episodes_from(ann.pk, episode.decom + dt.timedelta(days=1)) == []
    assert _episodes_from(ann.pk, episode.decom - dt.timedelta(days=1)) == [episode]
