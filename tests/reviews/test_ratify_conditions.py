"""Ratifying at a review follows the plan's ratify transition (002 §6-7, 004): when the plan does
not yet record what the checklist asks, the review pages say so in the transition's words, the
IRO's "ratify" is refused with those words and nothing is saved, and "not ratified, further
review" can still be recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from permanence.models import Plan
from permanence.models.plans import Route, Status
from reviews import services
from reviews.models import RatificationCheck
from tests.factories.plans import ALL_TICKED, PlanFactory, rule_out
from tests.reviews.conftest import TODAY, days_ago

pytestmark = pytest.mark.django_db

NOT_YET = "The plan cannot be ratified yet"


def record(child, by, held_on):
    return services.review_record(child=child, by=by, held_on=held_on, participation="PN1")


@pytest.fixture
def second_review(child, iro):
    record(child, iro, days_ago(170))
    return record(child, iro, days_ago(5))


def _presented(child, **overrides):
    return PlanFactory(
        child=child,
        status=Status.PRESENTED,
        created_by=child.social_worker,
        ready=True,
        **overrides,
    )


def test_a_ready_plan_shows_no_warning_and_is_ratified(client, second_review, iro):
    plan = _presented(second_review.child)
    client.force_login(iro)
    page = client.get(second_review.get_absolute_url()).content.decode()
    assert NOT_YET not in page
    assert "Complete the ratification checklist" in page
    services.review_ratification_record(
        review=second_review, by=iro, ratify=True, checklist=ALL_TICKED
    )
    assert Plan.objects.get(pk=plan.pk).status == Status.RATIFIED


def test_the_review_and_checklist_pages_say_what_the_plan_still_needs(client, second_review, iro):
    _presented(second_review.child, resources="", plan_review_on=None)
    client.force_login(iro)
    for url in (
        second_review.get_absolute_url(),
        reverse("reviews:review-ratify", args=[second_review.pk]),
    ):
        page = client.get(url).content.decode()
        assert NOT_YET in page
        assert "The plan does not record the resources it needs yet" in page
        assert "The plan has no date set for reviewing it yet" in page
    # The IRO can still record the outcome: not ratified, with a further review.
    assert (
        "Complete the ratification checklist"
        in client.get(second_review.get_absolute_url()).content.decode()
    )


def test_ratifying_is_refused_in_the_conditions_words_and_nothing_is_saved(second_review, iro):
    plan = _presented(second_review.child, contingency_route="")
    with pytest.raises(ValidationError) as exc:
        services.review_ratification_record(
            review=second_review, by=iro, ratify=True, checklist=ALL_TICKED
        )
    assert exc.value.message_dict == {
        "contingency_in_place": ["The plan has no contingency route yet"]
    }
    assert Plan.objects.get(pk=plan.pk).status == Status.PRESENTED
    assert not RatificationCheck.objects.exists()


def test_the_ladder_not_passed_is_refused_on_the_checklist_page(client, second_review, iro):
    child = second_review.child
    rule_out(child, Route.RETURN_HOME)
    plan = _presented(child, route=Route.SGO_CAO, contingency_route=Route.LONG_TERM_FOSTERING)
    words = (
        "Before the plan can be SGO or CAO, record why each option to be ruled out first was "
        "considered and ruled out: connected person (has not been ruled out)"
    )
    client.force_login(iro)
    url = reverse("reviews:review-ratify", args=[second_review.pk])
    data = dict.fromkeys(ALL_TICKED, "on") | {"decision": "ratify"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == Status.PRESENTED
    assert not RatificationCheck.objects.exists()


def test_not_ratified_is_still_recorded_when_the_plan_is_not_ready(second_review, iro):
    plan = _presented(second_review.child, timescales="")
    check = services.review_ratification_record(
        review=second_review,
        by=iro,
        ratify=False,
        checklist=dict(ALL_TICKED, timescales_clear=False),
        missing="Timescales to be agreed at the care planning meeting",
        further_review_on=TODAY + dt.timedelta(days=28),
    )
    assert check.outcome == RatificationCheck.Outcome.NOT_RATIFIED
    assert Plan.objects.get(pk=plan.pk).status == Status.PRESENTED
