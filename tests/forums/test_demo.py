"""The forums' part of the demo authority: every state on show, and loading it twice changes
nothing."""

from collections import Counter

import pytest
from django.core.management import call_command

from forums.models import (
    Booking,
    Disruption,
    ForumSession,
    Meeting,
    Part1Status,
    Part2,
    part1_status,
)
from permanence.models import PotentialMatch

pytestmark = pytest.mark.django_db


def counts():
    return {
        "sessions": ForumSession.objects.count(),
        "bookings": Booking.objects.count(),
        "meetings": Meeting.objects.count(),
        "disruptions": Disruption.objects.count(),
        "booking_history": Booking.history.count(),
        "meeting_history": Meeting.history.count(),
    }


def test_seed_demo_twice_changes_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first


def test_the_demo_shows_every_forum_state(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)
    assert ForumSession.objects.count() == 3
    assert Part2.objects.filter(sent_at__isnull=False).exists()
    statuses = {part1_status(b) for b in Booking.objects.live().select_related("session")}
    assert {Part1Status.SUBMITTED, Part1Status.SUBMITTED_LATE, Part1Status.MISSING} <= statuses
    assert Booking.objects.filter(status=Booking.Status.REQUESTED).exists()
    kinds = set(Meeting.objects.values_list("meeting_type__code", flat=True))
    assert kinds == {
        "legal-gateway",
        "early-permanence",
        "permanency-planning",
        "care-planning",
        "permanence-panel",
        "matching-panel",
        "matching-meeting",
        "adoption-panel",
    }
    assert Disruption.objects.count() == 1
    # Family finding at every stage: a matching meeting, a match at panel, one approved.
    stages = Counter(
        PotentialMatch.objects.filter(meetings__isnull=False)
        .distinct()
        .values_list("decision", flat=True)
    )
    assert stages == {"": 2, PotentialMatch.Decision.APPROVED: 1}
    assert (
        PotentialMatch.objects.filter(
            panel_recommendation=PotentialMatch.Recommendation.RECOMMENDED, meetings__isnull=False
        )
        .distinct()
        .count()
        == 2
    )
    # Part 2's tasks became actions on the children's plans.
    assert all(t.plan_action_id for p in Part2.objects.all() for t in p.tasks.all())
