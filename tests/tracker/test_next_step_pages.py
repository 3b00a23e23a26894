"""The caseload, the tracker and the child's page say what the child needs next and why it is red,
in one vocabulary with the deadlines (issue 16, items 2 and 3), without a query per child."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from permanence.models.plans import Status
from tests.factories.plans import PlanFactory
from tests.factories.reviews import ReviewFactory
from tracker import services

pytestmark = pytest.mark.django_db


def _held_second_review_without_ratifying(make_child, system, only_rules, **names):
    """The case that used to read "Second review: met" beside "No ratified plan: the second
    review was due": the review was held, the plan is only presented."""
    only_rules("first_review", "second_review")
    today = timezone.localdate()
    since = today - dt.timedelta(days=150)
    child = make_child(since, **names)
    ReviewFactory(
        child=child, period_started_on=since, sequence=1, held_on=since + dt.timedelta(days=20)
    )
    held = today - dt.timedelta(days=10)
    ReviewFactory(child=child, period_started_on=since, sequence=2, held_on=held)
    PlanFactory(child=child, status=Status.PRESENTED)
    services.deadlines_refresh(child_ids=[child.pk], by=system)
    return child, held


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_the_child_page_no_longer_contradicts_itself(
    client, make_child, system, social_worker, only_rules
):
    child, held = _held_second_review_without_ratifying(make_child, system, only_rules)
    client.force_login(social_worker)
    page = client.get(child.get_absolute_url()).content.decode()
    # The review's deadline: met, under a name that says it is met by holding the review.
    assert "Second looked-after review" in page
    assert "Met" in page
    assert "Second review (plan ratified)" not in page
    # The plan rule in its own words, as a sentence.
    assert f"Red because the plan was not ratified at the second review on {_long(held)}" in page
    assert "Have the plan ratified at a further review" in page
    # Never the old words that said the review was still due.
    assert "No ratified plan: the second review was due" not in page
    assert "and no plan is ratified" not in page


def test_the_caseload_and_the_tracker_say_the_next_step(
    client, make_child, system, social_worker, team_manager, only_rules
):
    child, held = _held_second_review_without_ratifying(make_child, system, only_rules)
    sentence = f"Red because the plan was not ratified at the second review on {_long(held)}"
    client.force_login(social_worker)
    caseload = client.get(reverse("permanence:child-list")).content.decode()
    assert "Next step" in caseload
    assert "Have the plan ratified at a further review" in caseload
    assert sentence in caseload
    client.force_login(team_manager)
    tracker = client.get(reverse("tracker:dashboard")).content.decode()
    assert "Have the plan ratified at a further review" in tracker
    assert sentence in tracker


def test_a_draft_plan_asks_for_a_forum_before_the_second_review(
    client, make_child, system, social_worker, only_rules
):
    only_rules("first_review", "second_review")
    today = timezone.localdate()
    since = today - dt.timedelta(days=30)
    child = make_child(since)
    ReviewFactory(child=child, period_started_on=since, sequence=1, held_on=today)
    PlanFactory(child=child, status=Status.DRAFT)
    services.deadlines_refresh(child_ids=[child.pk], by=system)
    client.force_login(social_worker)
    caseload = client.get(reverse("permanence:child-list")).content.decode()
    assert "Book a forum: the plan must be ready for the second review on" in caseload


def _caseload_queries(client, user) -> int:
    url = reverse("permanence:child-list")
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_caseload_reads_the_next_steps_in_one_query(client, make_child, system, social_worker):
    since = timezone.localdate() - dt.timedelta(days=60)
    children = [make_child(since) for _ in range(2)]
    services.deadlines_refresh(child_ids=[c.pk for c in children], by=system)
    few = _caseload_queries(client, social_worker)
    more = [make_child(since) for _ in range(10)]
    services.deadlines_refresh(child_ids=[c.pk for c in more], by=system)
    assert _caseload_queries(client, social_worker) == few
