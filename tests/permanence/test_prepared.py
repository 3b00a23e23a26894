"""Statements about one record, compiled once per process (permanence/prepared.py): each call
gets its own record's rows, as Django would have read them, and a statement that depends on
anything besides its numbers is refused."""

import datetime as dt

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from permanence.models import Child, Episode
from permanence.prepared import prepared, prepared_within
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


# -- statements about a reader's rows (prepared_within) ------------------------------------------


@prepared_within
def _born_since_by_team(rows, row_ids, since):
    return (
        rows.filter(date_of_birth__gte=since)
        .order_by()
        .values("team_id")
        .annotate(n=Count("pk"))
        .order_by("team_id")
    )


@prepared_within
def _episodes_of_rows(rows, row_ids, since):
    return Episode.objects.filter(child_id__in=row_ids, decom__gte=since).order_by("decom", "pk")


def _fresh(build, rows, *keys, **fixed):
    return list(build.__wrapped__(rows, rows.order_by().values("pk"), *keys, **fixed))


@pytest.fixture
def three_teams():
    north, south, east = TeamFactory(), TeamFactory(), TeamFactory()
    today = timezone.localdate()
    children = [
        ChildFactory(team=team, date_of_birth=today - dt.timedelta(days=400 * age))
        for team in (north, south, east)
        for age in (1, 3, 6)
    ]
    for child in children:
        EpisodeFactory(child=child, decom=child.date_of_birth + dt.timedelta(days=30))
    return north, south, east, children


def test_rows_chosen_each_way_read_what_the_queryset_built_afresh_reads(three_teams):
    north, south, east, children = three_teams
    since = timezone.localdate() - dt.timedelta(days=1500)
    some_ids = [children[0].pk, children[4].pk, children[8].pk]
    choices = [
        Child.objects.filter(team=north),
        Child.objects.filter(Q(team=north) | Q(team=south)),
        Child.objects.filter(Q(team=north) | Q(pk__in=some_ids)),
        Child.objects.filter(pk__in=Episode.objects.filter(decom__gte=since).values("child_id")),
        Child.objects.filter(team__in=[north, east]).filter(date_of_birth__lte=since),
        Child.objects.exclude(team=south),
    ]
    for rows in choices:
        for day in (since, since - dt.timedelta(days=800), timezone.localdate()):
            assert _born_since_by_team(rows, day) == _fresh(_born_since_by_team, rows, day)
            assert _episodes_of_rows(rows, day) == _fresh(_episodes_of_rows, rows, day)
    # Told apart: the north team's children born in the last 1,500 days, not the others'.
    assert _born_since_by_team(choices[0], since) == [{"team_id": north.pk, "n": 2}]
    assert len(_episodes_of_rows(choices[2], since)) == 3  # two of north's, one of east's


def test_rows_chosen_through_a_join_or_matching_nothing_are_read_as_built(three_teams):
    north, _south, _east, _children = three_teams
    day = timezone.localdate() - dt.timedelta(days=5000)
    joined = Child.objects.filter(team__name=north.name)
    assert _born_since_by_team(joined, day) == [{"team_id": north.pk, "n": 3}]
    assert _born_since_by_team(Child.objects.none(), day) == []
    assert _episodes_of_rows(Child.objects.filter(pk__in=[]), day) == []


def test_the_rows_conditions_stand_only_in_the_statement_about_the_rows():
    @prepared_within
    def misplaced(rows, row_ids, since):
        return Episode.objects.filter(child_id__in=rows.values("pk"), decom__gte=since)

    with pytest.raises(RuntimeError, match="a subquery takes row_ids"):
        misplaced(Child.objects.filter(team=TeamFactory()), timezone.localdate())


def test_a_fixed_value_may_be_worked_into_others_and_is_compiled_for_each(three_teams):
    north, *_rest = three_teams

    @prepared_within
    def born_within(rows, row_ids, since, *, today):
        # Worked out from TODAY while building: right because TODAY is fixed, not a key.
        recent = today - dt.timedelta(days=500)
        return rows.filter(date_of_birth__gte=since).filter(date_of_birth__gte=recent)

    rows = Child.objects.filter(team=north)
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=9000)
    assert len(born_within(rows, long_ago, today=today)) == 1
    assert len(born_within(rows, long_ago, today=today + dt.timedelta(days=800))) == 0
    assert len(born_within(rows, long_ago, today=today - dt.timedelta(days=800))) == 2


def test_a_key_worked_into_another_value_is_refused():
    @prepared_within
    def leaky(rows, row_ids, since):
        return rows.filter(date_of_birth__gte=since - dt.timedelta(days=7))

    with pytest.raises(AssertionError, match="depends on something besides its keys"):
        leaky(Child.objects.filter(team=TeamFactory()), timezone.localdate())
