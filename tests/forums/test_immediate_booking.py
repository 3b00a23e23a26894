"""The forum's first two pathways (seed 000): a mother's request that her unborn child be
adopted, or a clear need for permanence outside the birth family before the first review, call
for a forum slot at once. The child's page and the booking page say so, and the booking is taken
however early it is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Pathway
from permanence.models.plans import Route
from tests.factories.forums import ForumSessionFactory
from tests.factories.permanence import ChildFactory
from tests.factories.plans import PlanFactory
from tests.factories.reviews import ReviewFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BOOK_NOW = "book a permanency forum slot now"


def _pages(client, user, child) -> tuple[str, str]:
    client.force_login(user)
    page = client.get(reverse("permanence:child-detail", args=[child.pk])).content.decode()
    booking = client.get(reverse("forums:booking-create"), {"child": child.pk})
    return page, booking.content.decode()


@pytest.fixture
def unborn(team, social_worker, iro):
    child = ChildFactory(
        team=team,
        social_worker=social_worker,
        iro=iro,
        date_of_birth=None,
        expected_date_of_birth=TODAY + dt.timedelta(days=70),
        first_name="Baby",
    )
    PlanFactory(child=child, route=Route.ADOPTION, created_by=social_worker)
    return child


def test_an_unborn_child_to_be_adopted_is_booked_at_once_and_not_refused_as_early(
    client, unborn, social_worker, chair
):
    page, booking_page = _pages(client, social_worker, unborn)
    assert "Baby is not yet born and the plan is adoption" in page
    assert BOOK_NOW in booking_page

    session = ForumSessionFactory(chair=chair)
    booking = services.booking_request(
        session=session, child=unborn, by=social_worker, pathway=Pathway.UNBORN_ADOPTION_REQUEST
    )
    assert booking.pk and booking.after_second_review_on is None
    page, _ = _pages(client, social_worker, unborn)
    assert BOOK_NOW not in page


def test_a_plan_outside_the_family_before_the_first_review_prompts_a_booking(
    client, forum_child, social_worker, iro
):
    plan = PlanFactory(child=forum_child, route=Route.LONG_TERM_FOSTERING, created_by=social_worker)
    page, booking_page = _pages(client, social_worker, forum_child)
    assert "long-term fostering, outside the birth family" in page
    assert BOOK_NOW in booking_page

    # Once the first review is held, the forum is booked before the second review as usual.
    ReviewFactory(
        child=forum_child,
        period_started_on=TODAY - dt.timedelta(days=120),
        due_on=TODAY - dt.timedelta(days=100),
        held_on=TODAY - dt.timedelta(days=100),
        created_by=iro,
    )
    page, booking_page = _pages(client, social_worker, forum_child)
    assert BOOK_NOW not in page and BOOK_NOW not in booking_page
    assert plan.route == Route.LONG_TERM_FOSTERING


def test_a_plan_within_the_family_prompts_nothing(client, forum_child, social_worker):
    PlanFactory(child=forum_child, route=Route.RETURN_HOME, created_by=social_worker)
    page, booking_page = _pages(client, social_worker, forum_child)
    assert BOOK_NOW not in page and BOOK_NOW not in booking_page
