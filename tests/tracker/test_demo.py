"""The demo authority's tracker: went live six months ago, so nothing it shows is a panel or
meeting that fell due years before anyone could record it."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tracker.demo import RECORDED_SINCE_GO_LIVE, go_live
from tracker.models import Deadline, DeadlineRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)
    # Deadlines follow on commit; the test's transaction never commits, so sweep as beat would.
    call_command("sweep_deadlines", verbosity=0)


def test_demo_rules_are_tracked_from_go_live_and_a_second_load_keeps_an_admins_date(demo):
    since = go_live(timezone.localdate())
    rules = DeadlineRule.objects.filter(code__in=RECORDED_SINCE_GO_LIVE)
    assert {r.applies_from for r in rules} == {since}
    rule = rules.get(code="care_planning_meeting")
    rule.applies_from = since.replace(year=since.year - 1)
    rule.save()
    call_command("seed_demo", verbosity=0)
    rule.refresh_from_db()
    assert rule.applies_from == since.replace(year=since.year - 1)


def test_demo_tracker_shows_no_deadline_counted_from_before_go_live(demo):
    since = go_live(timezone.localdate())
    assert Deadline.objects.filter(rule__code__in=RECORDED_SINCE_GO_LIVE).count() > 30
    stale = Deadline.objects.filter(
        rule__code__in=RECORDED_SINCE_GO_LIVE, anchor_on__lt=since
    ).values_list("child__child_id", "rule__code", "anchor_on")
    assert list(stale) == []
    # Yet the tracker still has something to raise: a few children have missed them.
    overdue = Deadline.objects.filter(
        rule__code__in=RECORDED_SINCE_GO_LIVE, status="overdue", current=True
    )
    assert 0 < overdue.count() < 20
