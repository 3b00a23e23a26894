"""The return's social worker episodes come from each child's own allocation history (issue 18):
every change of social worker is an episode, after what the imported return said before the
service held the child's allocations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from permanence.models import Child
from permanence.roles import Role
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tracker.ssda903 import writer
from tracker.ssda903.models import ReturnRow
from tracker.ssda903.tables import SW_EPISODES, CollectionYear

pytestmark = pytest.mark.django_db

YEAR = CollectionYear(2026)  # 2025-26


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def allocate(child: Child, *changes: tuple[dt.date, object]) -> None:
    """Allocate the child's social workers on these days, as its history records them."""
    history = Child.history.model.objects
    created = history.filter(id=child.pk).earliest("history_id")
    # Before the first allocation, no one.
    history.filter(history_id=created.history_id).update(
        history_date=at(changes[0][0] - dt.timedelta(days=1))
    )
    for day, worker in changes:
        child.social_worker = worker
        child.save()
        latest = history.filter(id=child.pk).latest("history_id")
        history.filter(history_id=latest.history_id).update(history_date=at(day))


@pytest.fixture
def workers(team):
    return [UserFactory(username=f"swk{n}", team=team, role=Role.SOCIAL_WORKER) for n in range(3)]


def sw_rows(year=YEAR) -> list[tuple[str, str, str, str, str]]:
    tables = writer.build_tables(year=year)
    return [
        (r["CHILD"], r["SW_ID"], r["SW_DECOM"], r["SW_DEC"], r["SW_REASON"])
        for r in tables.get(SW_EPISODES, [])
    ]


def sw(user) -> str:
    return f"SW{user.pk:06d}"


def test_each_change_of_social_worker_in_the_year_is_an_episode(team, workers):
    a, b, c = workers
    child = ChildFactory(child_id="SWC1", team=team, date_of_birth=dt.date(2015, 1, 1))
    EpisodeFactory(child=child, decom=dt.date(2025, 5, 1))
    allocate(
        child,
        (dt.date(2025, 5, 1), a),
        (dt.date(2025, 9, 1), b),
        (dt.date(2025, 9, 1), c),  # corrected the same day: c from 1 September
        (dt.date(2026, 6, 1), a),  # after the year end: not in 2025-26's return
    )

    assert sw_rows() == [
        ("SWC1", sw(a), "01/05/2025", "01/09/2025", "FCONTA"),
        ("SWC1", sw(c), "01/09/2025", "", "OTHERS"),
    ]


def test_the_imported_return_says_who_it_was_before_the_service_held_the_allocations(team, workers):
    a, b, _ = workers
    child = ChildFactory(child_id="SWC2", team=team, date_of_birth=dt.date(2015, 1, 1))
    EpisodeFactory(child=child, decom=dt.date(2020, 5, 1))
    for decom, dec, sw_id in (
        ("01/04/2025", "01/07/2025", "SW777001"),
        ("01/07/2025", "", "SW777002"),
    ):
        ReturnRow.objects.create(
            child=child,
            table="SWEpisodes",
            year=YEAR.end_year,
            key=f"{decom}|{sw_id}",
            values={"SW_ID": sw_id, "SW_DECOM": decom, "SW_DEC": dec, "SW_REASON": "MANAGE"},
        )
    # The service went live on 1 November 2025 and allocated b; the return's own open episode
    # ends that day.
    allocate(child, (dt.date(2025, 11, 1), b))

    assert sw_rows() == [
        ("SWC2", "SW777001", "01/04/2025", "01/07/2025", "MANAGE"),
        ("SWC2", "SW777002", "01/07/2025", "01/11/2025", "MANAGE"),
        ("SWC2", sw(b), "01/11/2025", "", "OTHERS"),
    ]


def test_no_social_worker_episodes_before_2023_24(team, workers):
    child = ChildFactory(child_id="SWC3", team=team, date_of_birth=dt.date(2015, 1, 1))
    EpisodeFactory(child=child, decom=dt.date(2022, 5, 1))
    allocate(child, (dt.date(2022, 5, 1), workers[0]))

    assert sw_rows(CollectionYear(2023)) == []
    assert sw_rows(CollectionYear(2024)) == [("SWC3", sw(workers[0]), "01/05/2022", "", "FCONTA")]
