"""Disruption of a long-term placement (seed 000)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forums import services
from forums.models import Disruption
from permanence import dates
from permanence.models import Plan
from permanence.models.plans import Route, Status
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _record(child, by, days_ago=2):
    return services.disruption_record(
        child=child,
        by=by,
        disrupted_on=TODAY() - dt.timedelta(days=days_ago),
        carer_name="Ms Carer",
        details="Placement broke down.",
    )


@pytest.fixture
def long_term_plan(forum_child, social_worker):
    return PlanFactory(
        child=forum_child,
        route=Route.LONG_TERM_FOSTERING,
        status=Status.ACHIEVED,
        ratified_on=TODAY() - dt.timedelta(days=200),
        created_by=social_worker,
    )


def test_recording_a_disruption_marks_the_plan_disrupted(
    forum_child, social_worker, long_term_plan
):
    disruption = _record(forum_child, social_worker)
    assert disruption.plan_disrupted.pk == long_term_plan.pk
    plan = Plan.objects.get(pk=long_term_plan.pk)
    assert plan.status == Status.DISRUPTED
    assert plan.disrupted_on == disruption.disrupted_on


def test_the_carer_review_is_due_in_2_weeks_and_the_fee_continues_2_weeks(
    forum_child, social_worker
):
    disruption = _record(forum_child, social_worker, days_ago=3)
    assert disruption.carer_review_due_on == dates.add_weeks(disruption.disrupted_on, 2)
    assert disruption.fee_paid_until == dates.add_weeks(disruption.disrupted_on, 2)
    assert disruption.plan_disrupted is None  # no ratified plan to mark


def test_the_fee_extends_once_by_2_weeks(forum_child, social_worker, team_manager):
    disruption = _record(forum_child, social_worker)
    first_end = disruption.fee_paid_until
    disruption = services.disruption_fee_extend(
        disruption=disruption, by=team_manager, reason="Review delayed by illness"
    )
    assert disruption.fee_paid_until == dates.add_weeks(first_end, 2)
    assert disruption.fee_extended_by == team_manager
    with pytest.raises(ValidationError) as exc:
        services.disruption_fee_extend(disruption=disruption, by=team_manager, reason="Again")
    assert "cannot be extended again" in exc.value.message_dict["reason"][0]
    assert Disruption.objects.get(pk=disruption.pk).fee_paid_until == dates.add_weeks(first_end, 2)


@pytest.mark.parametrize(
    ("outcome", "fee_stops"),
    [
        (Disruption.Outcome.CONTINUES, False),
        (Disruption.Outcome.RESIGNS, True),
        (Disruption.Outcome.DEREGISTRATION, True),
    ],
)
def test_the_review_outcome_is_recorded(forum_child, social_worker, outcome, fee_stops):
    disruption = _record(forum_child, social_worker, days_ago=5)
    disruption = services.disruption_outcome_record(
        disruption=disruption, by=social_worker, carer_review_held_on=TODAY(), outcome=outcome
    )
    assert disruption.outcome == outcome
    assert disruption.carer_review_held_on == TODAY()
    assert (disruption.fee_paid_until == TODAY()) is fee_stops
    with pytest.raises(ValidationError):
        services.disruption_outcome_record(
            disruption=disruption, by=social_worker, carer_review_held_on=TODAY(), outcome=outcome
        )


def test_a_review_before_the_disruption_is_refused(forum_child, social_worker):
    disruption = _record(forum_child, social_worker, days_ago=2)
    with pytest.raises(ValidationError) as exc:
        services.disruption_outcome_record(
            disruption=disruption,
            by=social_worker,
            carer_review_held_on=TODAY() - dt.timedelta(days=10),
            outcome=Disruption.Outcome.RESIGNS,
        )
    assert "carer_review_held_on" in exc.value.message_dict


def test_a_future_disruption_is_refused(forum_child, social_worker):
    with pytest.raises(ValidationError) as exc:
        _record(forum_child, social_worker, days_ago=-1)
    assert "disrupted_on" in exc.value.message_dict


def test_only_the_childs_team_records_a_disruption(forum_child, other_social_worker, iro):
    for user in (other_social_worker, iro):
        with pytest.raises(PermissionDenied):
            _record(forum_child, user)
