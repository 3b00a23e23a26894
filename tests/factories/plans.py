"""Factories and fixtures for the permanence plan. A plan may be made at any status: the protected
state fields can be given once, when the plan is built, which is what a factory does."""

from __future__ import annotations

import datetime as dt

import factory
import pytest
from django.db.models import Q
from django.utils import timezone

from permanence import access
from permanence.models import OptionConsidered, Plan, PlanAction
from permanence.models.plans import Route, Status
from permanence.roles import Role
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory


def _in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


class PlanFactory(factory.django.DjangoModelFactory):
    """A draft plan to return home; `ready=True` fills in what ratification needs."""

    class Meta:
        model = Plan
        skip_postgeneration_save = True

    child = factory.SubFactory(ChildFactory)
    route = Route.RETURN_HOME
    status = Status.DRAFT
    created_by = factory.SubFactory(UserFactory)
    summary = "Return home to mother with support."

    class Params:
        ready = factory.Trait(
            contingency_route=Route.CONNECTED_PERSON,
            timescales="Parenting assessment within 12 weeks.",
            resources="Family support worker three times a week.",
            plan_review_on=factory.LazyFunction(lambda: _in_days(90)),
            action=factory.RelatedFactory(
                "tests.factories.plans.PlanActionFactory", factory_related_name="plan"
            ),
        )


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanAction

    plan = factory.SubFactory(PlanFactory)
    what = "Complete the parenting assessment"
    owner = factory.SubFactory(UserFactory)
    due_on = factory.LazyFunction(lambda: _in_days(30))
    created_by = factory.SelfAttribute("owner")


class OptionConsideredFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OptionConsidered

    child = factory.SubFactory(ChildFactory)
    rung = Route.RETURN_HOME
    considered_on = factory.LazyFunction(lambda: _in_days(-10))
    why_ruled_out = "The parenting assessment was negative."
    considered_by = "Legal Gateway Panel"
    recorded_by = factory.SubFactory(UserFactory)


def rule_out(child, *rungs, by=None) -> None:
    """Record each rung as considered and ruled out for the child."""
    for rung in rungs:
        kwargs = {"recorded_by": by} if by else {}
        OptionConsideredFactory(child=child, rung=rung, **kwargs)


ALL_TICKED = {
    "plan_drawn_up": True,
    "actions_clear": True,
    "timescales_clear": True,
    "resources_available": True,
    "contingency_in_place": True,
    "review_dates_set": True,
}


# -- fixtures shared by the plan's and the reviews' tests (import them by name) ---------------


@pytest.fixture
def child(team, social_worker, iro):
    child = ChildFactory(team=team, social_worker=social_worker, iro=iro, first_name="Ava")
    EpisodeFactory(child=child, decom=timezone.localdate() - dt.timedelta(days=150))
    return child


@pytest.fixture
def other_iro(service):
    return UserFactory(username="iro_other", team=None, service=service, role=Role.IRO)


@pytest.fixture
def central_staff_see_the_service():
    """CPS duty and forum chairs see the service's children, as forum bookings will let them."""

    def as_q(user):
        if user.has_role(Role.CPS_DUTY, Role.FORUM_CHAIR) and user.oversight_service_id:
            return Q(team__service_id=user.oversight_service_id)
        return None

    def allows(user, child):
        return bool(
            user.has_role(Role.CPS_DUTY, Role.FORUM_CHAIR)
            and user.oversight_service_id == child.team.service_id
        )

    grant = access.Grant(as_q=as_q, allows=allows)
    access.register_grant(grant)
    yield grant
    access._grants.remove(grant)
