"""The tracker dashboard shows each child's sibling group: how many brothers and sisters, and
whether they are placed together or apart after a recorded assessment (001 §2.1, issue 15). The
stored row follows every change to the group; the CSV carries it as its last column; no sibling
is named, so nobody learns of a child they may not open."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from permanence.family import services as family
from permanence.models import SiblingAssessment
from permanence.services import system_user
from tests.factories.permanence import (
    ChildFactory,
    EpisodeFactory,
    ServiceFactory,
    TeamFactory,
)
from tracker import services
from tracker.dashboard.models import siblings_summary
from tracker.dashboard.selectors import EXPORT_HEADER
from tracker.models import TrackerRow

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DASHBOARD = "/tracker/dashboard/"


@pytest.fixture
def kids(team, social_worker, iro):
    out = []
    for first in ("Amy", "Ben", "Cal"):
        child = ChildFactory(
            team=team, social_worker=social_worker, iro=iro, first_name=first, last_name="Shaw"
        )
        EpisodeFactory(child=child, decom=TODAY - dt.timedelta(days=40))
        out.append(child)
    return out


def refreshed(capture, fn, **kwargs):
    """Run a service and the tracker refresh it asks for when it commits."""
    with capture(execute=True):
        return fn(**kwargs)


def row(child) -> TrackerRow:
    return TrackerRow.objects.get(child=child)


@pytest.mark.parametrize(
    ("count", "placement", "assessed", "text"),
    [
        (0, "", None, ""),
        (1, "together", None, "With 1 brother or sister, placed together"),
        (2, "together", None, "With 2 brothers or sisters, placed together"),
        (
            2,
            "apart",
            dt.date(2026, 3, 4),
            "With 2 brothers or sisters, placed apart: sibling assessment recorded 4 March 2026",
        ),
    ],
)
def test_the_summary_in_words(count, placement, assessed, text):
    assert siblings_summary(count, placement, assessed) == text


def test_the_row_follows_the_group_as_it_is_made_changed_and_assessed(
    kids, social_worker, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    amy, ben, cal = kids
    group = refreshed(
        capture,
        family.sibling_group_create,
        child=amy,
        by=social_worker,
        name="Shaw children",
        members=[amy, ben],
    )
    assert (row(amy).sibling_count, row(amy).sibling_placement) == (1, "together")
    assert row(cal).sibling_count == 0

    # Cal joins: Amy and Ben, who are not saved themselves, now count two siblings too.
    refreshed(
        capture,
        family.sibling_group_change,
        group=group,
        by=social_worker,
        child=amy,
        name="Shaw children",
        members=[amy, ben, cal],
    )
    assert [row(c).sibling_count for c in kids] == [2, 2, 2]

    assessed_on = TODAY - dt.timedelta(days=3)
    refreshed(
        capture,
        family.sibling_assessment_record,
        group=group,
        child=amy,
        by=social_worker,
        completed_on=assessed_on,
        completed_by="Jo Green, independent social worker",
        recommendation=SiblingAssessment.Recommendation.APART,
        summary="Cal's needs are best met apart.",
        apart=[cal],
    )
    ben_row = row(ben)
    assert (ben_row.sibling_placement, ben_row.sibling_assessed_on) == ("apart", assessed_on)
    assert "placed apart: sibling assessment recorded" in ben_row.siblings_summary

    # Cal leaves: the two who stay count one sibling; Cal none.
    refreshed(
        capture,
        family.sibling_group_change,
        group=group,
        by=social_worker,
        child=amy,
        name="Shaw children",
        members=[amy, ben],
    )
    assert [row(c).sibling_count for c in kids] == [1, 1, 0]
    assert row(cal).siblings_summary == ""


def test_the_dashboard_and_csv_show_the_group_without_naming_siblings_out_of_reach(
    client, kids, social_worker, head_of_service, django_capture_on_commit_callbacks
):
    amy, ben, _ = kids
    # A brother in another service's team: counted, never named.
    far = ChildFactory(
        team=TeamFactory(name="Far team", service=ServiceFactory(name="Another service")),
        first_name="Zak",
        last_name="Farr",
    )
    refreshed(
        django_capture_on_commit_callbacks,
        family.sibling_group_create,
        child=amy,
        by=social_worker,
        name="Shaw children",
        members=[amy, ben, far],
    )
    services.deadlines_sweep(by=system_user())
    client.force_login(head_of_service)
    html = client.get(DASHBOARD).content.decode()
    assert "With 2 brothers or sisters, placed together" in html
    assert "Zak" not in html and "Farr" not in html

    response = client.get(f"{DASHBOARD}export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == list(EXPORT_HEADER)
    assert rows[0][-1] == "sibling_group" and rows[0][-2] == "rag"  # appended, others kept
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Amy"][-1] == "With 2 brothers or sisters, placed together"
    assert by_name["Cal"][-1] == ""
    assert "Zak" not in by_name
