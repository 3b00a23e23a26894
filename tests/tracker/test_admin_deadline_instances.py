"""The Deadlines admin list holds every instance of a deadline; the administrator narrows it to
the current ones (those the tracker works to now) with the "current" filter, and sees each
instance's number and how it turned out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.permanence import ChildFactory
from tracker.models import Deadline, DeadlineRule

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def instances():
    child = ChildFactory()
    rule = DeadlineRule.objects.get(code="later_review")
    common = {"child": child, "rule": rule, "updated_at": timezone.now()}
    past = Deadline.objects.create(
        **common,
        instance=1,
        current=False,
        due=D(2026, 3, 2),
        met_on=D(2026, 3, 9),
        status=Deadline.Status.MET,
        outcome=Deadline.Outcome.LATE,
        days_late=7,
    )
    now = Deadline.objects.create(
        **common, instance=2, current=True, due=D(2026, 9, 9), status=Deadline.Status.UPCOMING
    )
    return past, now


def link(deadline) -> str:
    return f"/admin/tracker/deadline/{deadline.pk}/change/"


def test_the_current_filter_leaves_only_the_instance_the_tracker_works_to(admin_client, instances):
    past, now = instances
    everything = admin_client.get("/admin/tracker/deadline/").text
    assert link(past) in everything and link(now) in everything
    current = admin_client.get("/admin/tracker/deadline/?current__exact=1").text
    assert link(now) in current and link(past) not in current
    earlier = admin_client.get("/admin/tracker/deadline/?current__exact=0").text
    assert link(past) in earlier and link(now) not in earlier


def test_a_past_instance_says_how_it_turned_out_and_names_no_child(admin_client, instances):
    past, _ = instances
    page = admin_client.get(link(past)).text
    assert "Met late" in page
    assert past.child.child_id not in page
    assert past.child.first_name not in page
