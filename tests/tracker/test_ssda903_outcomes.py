"""Measures count permanence reached outside the service's plans (issue 18): a child onboarded
from the SSDA903 returns whose care ended in adoption or a special guardianship or child
arrangements order has permanence achieved on that day."""

import datetime as dt

import pytest

from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.tracker.conftest import at
from tracker.dashboard.services import tracker_rows_refresh
from tracker.deadlines.facts import ChildScope
from tracker.models import TrackerRow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rec", "achieved"),
    [
        ("E11", True),  # adopted
        ("E45", True),  # special guardianship order to former foster carers
        ("E48", True),  # child arrangements order to others
        ("E4A", False),  # returned home: not permanence by an order
        ("E13", False),  # left care to live with parents, not by a plan
    ],
)
def test_an_episode_ending_in_permanence_counts_as_permanence_achieved(team, rec, achieved):
    child = ChildFactory(team=team)
    EpisodeFactory(
        child=child, decom=dt.date(2024, 1, 8), rne="S", dec=dt.date(2025, 5, 6), rec=rec
    )

    tracker_rows_refresh(scope=ChildScope(pks=(child.pk,)), now=at(dt.date(2025, 9, 1)))

    row = TrackerRow.objects.get(child=child)
    assert row.achieved_on == (dt.date(2025, 5, 6) if achieved else None)
