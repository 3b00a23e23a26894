"""Every route the seeds name (001): the child told how to complain and how to get an advocate,
dated; support offered when a placement is at risk, before it disrupts; a placement outside the
authority's area only with its reason in the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from permanence.family import services
from permanence.models import Plan
from permanence.plans import services as plan_services
from tests.factories.permanence import ChildFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def child(team, social_worker, iro):
    return ChildFactory(team=team, social_worker=social_worker, iro=iro, first_name="Eve")


def test_a_placement_out_of_area_without_its_reason_is_refused_and_nothing_changes(
    child, social_worker
):
    plan = PlanFactory(child=child, created_by=social_worker)
    with pytest.raises(ValidationError) as exc:
        plan_services.plan_update(
            plan=plan, by=social_worker, placed_out_of_area=True, out_of_area_reason=" "
        )
    assert (
        "Record why the child is placed outside the authority's area"
        in (exc.value.message_dict["out_of_area_reason"][0])
    )
    assert not Plan.objects.get(pk=plan.pk).placed_out_of_area


def test_the_reason_is_on_the_plan_page(client, child, social_worker):
    plan = PlanFactory(child=child, created_by=social_worker)
    plan_services.plan_update(
        plan=plan,
        by=social_worker,
        placed_out_of_area=True,
        out_of_area_reason="Specialist therapeutic placement not available locally.",
    )
    client.force_login(social_worker)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Specialist therapeutic placement not available locally." in page


def test_support_for_a_placement_at_risk_is_recorded_and_shown(client, child, social_worker):
    services.placement_support_record(
        child=child,
        by=social_worker,
        risk_noted_on=TODAY - dt.timedelta(days=3),
        risk="Carers struggling with night waking.",
        support="Respite one weekend a month and a support worker.",
        offered_on=TODAY - dt.timedelta(days=1),
    )
    client.force_login(social_worker)
    page = client.get(child.get_absolute_url()).content.decode()
    assert "Respite one weekend a month" in page


def test_support_offered_before_the_risk_was_seen_is_refused(child, social_worker):
    with pytest.raises(ValidationError) as exc:
        services.placement_support_record(
            child=child,
            by=social_worker,
            risk_noted_on=TODAY,
            risk="Risk",
            support="Support",
            offered_on=TODAY - dt.timedelta(days=1),
        )
    assert "before the risk was identified" in exc.value.message_dict["offered_on"][0]


def test_the_child_told_how_to_complain_is_dated_on_the_page(client, child, social_worker):
    from permanence.services import child_update

    child_update(
        child=child,
        by=social_worker,
        told_how_to_complain_on=TODAY,
        told_about_advocacy_on=TODAY,
    )
    client.force_login(social_worker)
    page = client.get(child.get_absolute_url()).content.decode()
    assert f"{TODAY:%-d %B %Y}" in page
    assert "Told how to get an advocate" in page


def test_a_date_told_in_the_future_is_refused(child, social_worker):
    from permanence.services import child_update

    with pytest.raises(ValidationError) as exc:
        child_update(
            child=child, by=social_worker, told_how_to_complain_on=TODAY + dt.timedelta(days=2)
        )
    assert "cannot be in the future" in exc.value.message_dict["told_how_to_complain_on"][0]


def test_identity_and_needs_are_on_the_plan_and_at_the_matching_panel(client, child, social_worker):
    from permanence.services import child_update
    from tests.factories.forums import MeetingFactory, meeting_type

    child_update(
        child=child,
        by=social_worker,
        religion="Muslim",
        first_language="Polish",
        needs_interpreter=True,
        disability="Hearing impairment",
    )
    plan = PlanFactory(child=child, created_by=social_worker)
    plan_services.plan_update(
        plan=plan, by=social_worker, identity_and_needs="Carers who speak Polish sought."
    )
    matching = MeetingFactory(
        child=child, created_by=social_worker, meeting_type=meeting_type("matching-panel")
    )
    client.force_login(social_worker)
    plan_page = client.get(plan.get_absolute_url()).content.decode()
    assert "Polish (needs an interpreter)" in plan_page
    assert "Carers who speak Polish sought." in plan_page
    match_page = client.get(reverse("forums:meeting-detail", args=[matching.pk])).content.decode()
    assert "for the match" in match_page
    assert "Hearing impairment" in match_page
