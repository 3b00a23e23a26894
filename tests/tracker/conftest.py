"""Shared set-up for the tracker's tests: a looked-after child and the rules switched on."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from permanence.services import system_user
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tracker.models import DeadlineRule

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hour: int = 6, minute: int = 0) -> dt.datetime:
    """An aware moment in London, as beat would run."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def only_rules():
    """Switch every rule off but these, so a test sees only the deadlines it is about."""

    def switch(*codes: str) -> None:
        DeadlineRule.objects.exclude(code__in=codes).update(active=False)
        DeadlineRule.objects.filter(code__in=codes).update(active=True)

    return switch


@pytest.fixture
def system():
    return system_user()


@pytest.fixture
def make_child(team, social_worker, iro):
    """A child looked after since SINCE, with the team's worker and the IRO."""

    def make(since: dt.date, **fields):
        fields.setdefault("team", team)
        fields.setdefault("social_worker", social_worker)
        fields.setdefault("iro", iro)
        place = fields.pop("place", "U6")
        child = ChildFactory(**fields)
        EpisodeFactory(child=child, decom=since, place=place)
        return child

    return make
