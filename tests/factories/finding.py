"""Factories for family finding: carer households, allocations, searches, potential matches,
orders and SGO assessments; and `give_evidence`, which records what a plan's route needs
before permanence can be marked achieved (issue 14)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from permanence.models import (
    CarerHousehold,
    FamilyFindingAllocation,
    FamilySearch,
    OrderRecord,
    PotentialMatch,
    SgoAssessment,
)
from permanence.models.plans import Route
from tests.factories.permanence import ServiceFactory, UserFactory
from tests.factories.plans import PlanFactory


def _days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


class CarerHouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarerHousehold

    name = factory.Sequence(lambda n: f"The Hale household {n}")
    kind = CarerHousehold.Kind.IN_HOUSE
    approved_on = factory.LazyFunction(lambda: _days_ago(400))
    form_f_on = factory.LazyFunction(lambda: _days_ago(100))
    supervising_social_worker = factory.SubFactory(UserFactory)
    contact_details = "14 Quarry Lane, 01743 000 111"
    service = factory.SubFactory(ServiceFactory)
    created_by = factory.SubFactory(UserFactory)


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyFindingAllocation

    plan = factory.SubFactory(PlanFactory)
    kind = FamilyFindingAllocation.Kind.FAMILY_FINDER
    worker = factory.SubFactory(UserFactory)
    allocated_on = factory.LazyFunction(lambda: _days_ago(5))
    by = factory.SubFactory(UserFactory)


class FamilySearchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilySearch

    plan = factory.SubFactory(PlanFactory)
    scope = FamilySearch.Scope.INTERNAL
    started_on = factory.LazyFunction(lambda: _days_ago(20))
    recorded_by = factory.SubFactory(UserFactory)


class PotentialMatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PotentialMatch

    plan = factory.SubFactory(PlanFactory)
    carer = factory.SubFactory(CarerHouseholdFactory)
    considered_on = factory.LazyFunction(lambda: _days_ago(30))
    recorded_by = factory.SubFactory(UserFactory)

    class Params:
        approved = factory.Trait(
            outcome=PotentialMatch.Outcome.MATCHED,
            panel_recommendation=PotentialMatch.Recommendation.RECOMMENDED,
            panel_on=factory.LazyFunction(lambda: _days_ago(12)),
            decision=PotentialMatch.Decision.APPROVED,
            decided_on=factory.LazyFunction(lambda: _days_ago(10)),
            decided_by="Agency decision maker",
        )


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderRecord

    plan = factory.SubFactory(PlanFactory)
    child = factory.SelfAttribute("plan.child")
    kind = OrderRecord.Kind.SGO
    status = OrderRecord.Status.MADE
    sought_because = "The carers will care for life; the child keeps links with the family."
    applicants = "Mr and Mrs Hale"
    applicant_basis = OrderRecord.Applicant.FOSTER_CARER_YEAR
    made_on = factory.LazyFunction(lambda: _days_ago(3))
    recorded_by = factory.SubFactory(UserFactory)


class SgoAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SgoAssessment

    plan = factory.SubFactory(PlanFactory)
    applicants = "Mr and Mrs Hale"
    assessor = factory.SubFactory(UserFactory)
    started_on = factory.LazyFunction(lambda: _days_ago(60))
    recorded_by = factory.SubFactory(UserFactory)


def give_evidence(plan, *, by=None) -> None:
    """Record what `plan`'s route needs to be achieved: an approved match and the placement
    (adoption with a placement order; long-term fostering ratified by the head of service), an
    order made, a return home completed."""
    by = by or plan.created_by
    if plan.route in (Route.ADOPTION, Route.LONG_TERM_FOSTERING):
        if plan.route == Route.ADOPTION:
            OrderFactory(
                plan=plan,
                kind=OrderRecord.Kind.PLACEMENT_ORDER,
                applicant_basis=OrderRecord.Applicant.LOCAL_AUTHORITY,
                applicants="The local authority",
                recorded_by=by,
            )
        hos = plan.route == Route.LONG_TERM_FOSTERING
        PotentialMatchFactory(
            plan=plan,
            approved=True,
            recorded_by=by,
            ratified_by_hos=by if hos else None,
            ratified_on=_days_ago(8) if hos else None,
            placed_on=_days_ago(5),
        )
        return
    kind = {
        Route.RETURN_HOME: OrderRecord.Kind.RETURN_HOME,
        Route.RESIDENTIAL: OrderRecord.Kind.RESIDENTIAL,
        Route.PATHWAY_PLAN: OrderRecord.Kind.PATHWAY_PLAN,
    }.get(plan.route, OrderRecord.Kind.SGO)
    OrderFactory(plan=plan, kind=kind, recorded_by=by)
