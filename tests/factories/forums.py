"""Factories and fixtures for the permanency forum, its bookings and the other meetings.

A booking may be built at any status: the protected state field can be given once, when the
booking is built, which is what a factory does.
"""

from __future__ import annotations

import datetime as dt

import factory
import pytest
from django.utils import timezone

from forums.models import (
    Booking,
    Disruption,
    ForumSession,
    Meeting,
    MeetingType,
    Part1,
    Part2,
    Part2Task,
    Pathway,
)
from permanence import dates
from permanence.models.plans import Route
from permanence.roles import Role
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory


def working_days_ahead(n: int) -> dt.date:
    return dates.add_working_days(timezone.localdate(), n)


class ForumSessionFactory(factory.django.DjangoModelFactory):
    """A session ten working days ahead, so that Part 1 is not yet due."""

    class Meta:
        model = ForumSession

    forum_date = factory.LazyFunction(lambda: working_days_ahead(10))
    start_time = dt.time(10, 0)
    slot_minutes = 30
    venue = "Shirehall, Room 2"
    chair = factory.SubFactory(UserFactory, team=None, role=Role.FORUM_CHAIR)
    slot_count = 4


def _next_slot(booking) -> int:
    taken = set(
        Booking.objects.live().filter(session=booking.session).values_list("slot_number", flat=True)
    )
    return next(n for n in range(1, 100) if n not in taken)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    session = factory.SubFactory(ForumSessionFactory)
    child = factory.SubFactory(ChildFactory)
    slot_number = factory.LazyAttribute(_next_slot)
    pathway = Pathway.BEFORE_SECOND_REVIEW
    status = Booking.Status.REQUESTED
    requested_by = factory.SubFactory(UserFactory, role=Role.SOCIAL_WORKER)


PART1_COMPLETE = {
    "reason_for_referral": "Parenting assessment negative.",
    "child_situation": "Settled in foster care.",
    "family_explored": "Grandmother assessed; not viable.",
    "child_consulted": "not_appropriate",
    "child_views": "Too young.",
    "parents_consulted": "yes",
    "parents_views": "Mother disagrees with the plan.",
    "others_consulted": "yes",
    "others_views": "Carers support the plan.",
    "options_considered": "Return home and connected person ruled out.",
    "proposed_route": Route.ADOPTION,
    "contingency_route": Route.LONG_TERM_FOSTERING,
}


class Part1Factory(factory.django.DjangoModelFactory):
    """A complete Part 1, as a draft (give `submitted_at` to make it submitted)."""

    class Meta:
        model = Part1

    booking = factory.SubFactory(BookingFactory, status=Booking.Status.CONFIRMED)
    reason_for_referral = PART1_COMPLETE["reason_for_referral"]
    child_situation = PART1_COMPLETE["child_situation"]
    family_explored = PART1_COMPLETE["family_explored"]
    child_consulted = PART1_COMPLETE["child_consulted"]
    child_views = PART1_COMPLETE["child_views"]
    parents_consulted = PART1_COMPLETE["parents_consulted"]
    parents_views = PART1_COMPLETE["parents_views"]
    others_consulted = PART1_COMPLETE["others_consulted"]
    others_views = PART1_COMPLETE["others_views"]
    options_considered = PART1_COMPLETE["options_considered"]
    proposed_route = PART1_COMPLETE["proposed_route"]
    contingency_route = PART1_COMPLETE["contingency_route"]


class Part2Factory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part2

    booking = factory.SubFactory(BookingFactory, status=Booking.Status.PRESENTED)
    advice = "Pursue adoption; contingency long-term fostering."
    advised_route = Route.ADOPTION
    advised_contingency_route = Route.LONG_TERM_FOSTERING


class Part2TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Part2Task

    part2 = factory.SubFactory(Part2Factory)
    what = "Complete the Child Permanence Report"
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


def meeting_type(code: str) -> MeetingType:
    """The meeting types come from fixtures/meeting_types.json, loaded by a migration."""
    return MeetingType.objects.get(code=code)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    meeting_type = factory.LazyFunction(lambda: meeting_type("care-planning"))
    child = factory.SubFactory(ChildFactory)
    scheduled_for = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    created_by = factory.SubFactory(UserFactory, role=Role.SOCIAL_WORKER)


class DisruptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disruption

    child = factory.SubFactory(ChildFactory)
    disrupted_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    carer_name = "Ms Carer"
    details = "The placement broke down."
    carer_review_due_on = factory.LazyAttribute(lambda d: dates.add_weeks(d.disrupted_on, 2))
    fee_paid_until = factory.LazyAttribute(lambda d: dates.add_weeks(d.disrupted_on, 2))
    recorded_by = factory.SubFactory(UserFactory, role=Role.SOCIAL_WORKER)


# -- fixtures (import them by name into a test module) -----------------------------------------


@pytest.fixture
def forum_child(team, social_worker, iro):
    """A looked-after child in ordinary foster care, with a worker and an IRO."""
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Ava", last_name="Stone"
    )
    EpisodeFactory(child=child, decom=timezone.localdate() - dt.timedelta(days=120), place="U6")
    return child


@pytest.fixture
def session(chair):
    return ForumSessionFactory(chair=chair)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
