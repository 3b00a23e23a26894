"""The IRO's tests: a child looked after for 200 days, with a worker, a team and an IRO."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import plans as shared
from tests.factories.permanence import ChildFactory, EpisodeFactory

TODAY = timezone.localdate()
LOOKED_AFTER = TODAY - dt.timedelta(days=200)

other_iro = shared.other_iro


@pytest.fixture
def child(team, social_worker, iro):
    child = ChildFactory(team=team, social_worker=social_worker, iro=iro, first_name="Ava")
    EpisodeFactory(child=child, decom=LOOKED_AFTER)
    return child


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)
