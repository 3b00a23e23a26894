"""Factories for the IRO's records."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from reviews.models import IroAllocation, Review, SgoReferral
from tests.factories.permanence import ChildFactory, UserFactory


class IroAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IroAllocation

    child = factory.SubFactory(ChildFactory)
    iro = factory.SubFactory(UserFactory)
    allocated_on = factory.LazyFunction(timezone.localdate)
    allocated_by = factory.SubFactory(UserFactory)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review held; pass held_on=None for one booked."""

    class Meta:
        model = Review

    child = factory.SubFactory(ChildFactory)
    period_started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=150))
    sequence = 1
    due_on = factory.LazyAttribute(lambda r: r.period_started_on + dt.timedelta(days=28))
    held_on = factory.LazyAttribute(lambda r: r.due_on)
    participation = "PN1"
    created_by = factory.SubFactory(UserFactory)


class SgoReferralFactory(factory.django.DjangoModelFactory):
    """An SGO referral sent the day after a review recommending special guardianship (003)."""

    class Meta:
        model = SgoReferral

    review = factory.SubFactory(ReviewFactory, recommends_sgo=True)
    child = factory.SelfAttribute("review.child")
    sent_on = factory.LazyAttribute(lambda r: r.review.held_on + dt.timedelta(days=1))
    sent_to = "Karen Lewis"
    proposed_guardians = "Margaret and Peter Hughes"
    relationship = "Maternal grandparents"
    sent_by = factory.SubFactory(UserFactory)
