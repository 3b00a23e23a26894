"""Each authority's own ladder (002 §6, 001 §3.9): which options must be ruled out, with the
reason recorded, before each route is the administrator's setting. By default it is the state
machine's order; 002's rule (adoption ruled out before long-term fostering) is one tick away.
The plan's services, the ratification checklist, the plan page and Part 1 read the same setting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from permanence.models import LadderRule, Plan
from permanence.models.plans import (
    LADDER,
    PERMANENCE_ROUTES,
    Route,
    Status,
    options_to_rule_out,
    rungs_above,
)
from permanence.plans import services
from permanence.plans.services import OptionInput
from tests.factories import plans as shared
from tests.factories.plans import ALL_TICKED, PlanFactory, rule_out

pytestmark = pytest.mark.django_db

child = shared.child
LAST_WEEK = timezone.localdate() - dt.timedelta(days=7)
ABOVE_FOSTERING = (Route.RETURN_HOME, Route.CONNECTED_PERSON, Route.SGO_CAO)


def use_002s_rule() -> None:
    """The one setting: tick adoption before long-term fostering."""
    rule = LadderRule.objects.get(route=Route.LONG_TERM_FOSTERING)
    rule.rule_out_adoption = True
    rule.full_clean()
    rule.save()


def test_the_default_setting_is_the_state_machines_order():
    assert LadderRule.objects.count() == len(PERMANENCE_ROUTES)
    for route in PERMANENCE_ROUTES:
        assert options_to_rule_out(route) == rungs_above(route), route


def test_without_a_row_the_state_machines_order_applies():
    LadderRule.objects.filter(route=Route.ADOPTION).delete()
    assert options_to_rule_out(Route.ADOPTION) == list(LADDER[:4])


def test_by_default_long_term_fostering_needs_only_the_rungs_above(child, social_worker):
    plan = services.plan_create(
        child=child,
        by=social_worker,
        route=Route.LONG_TERM_FOSTERING,
        options=[OptionInput(r, LAST_WEEK, "Not viable", "Panel") for r in ABOVE_FOSTERING],
    )
    assert plan.route == Route.LONG_TERM_FOSTERING


def test_with_002s_rule_long_term_fostering_is_refused_until_adoption_is_ruled_out(
    child, social_worker
):
    use_002s_rule()
    rule_out(child, *ABOVE_FOSTERING)
    with pytest.raises(ValidationError) as exc:
        services.plan_create(child=child, by=social_worker, route=Route.LONG_TERM_FOSTERING)
    errors = exc.value.message_dict
    assert errors["route"] == [
        "Before the plan can be long-term fostering, record why each option to be ruled out "
        "first was considered and ruled out: adoption (has not been ruled out)"
    ]
    assert errors["ruled_out_adoption"] == ["Enter why adoption was ruled out"]
    assert not Plan.objects.exists()
    plan = services.plan_create(
        child=child,
        by=social_worker,
        route=Route.LONG_TERM_FOSTERING,
        options=[OptionInput(Route.ADOPTION, LAST_WEEK, "Older child, wants to stay", "CPM")],
    )
    assert plan.route == Route.LONG_TERM_FOSTERING


def test_the_ratification_checklist_reads_the_same_setting(child, iro):
    rule_out(child, *ABOVE_FOSTERING)
    plan = PlanFactory(
        child=child,
        route=Route.LONG_TERM_FOSTERING,
        status=Status.PRESENTED,
        ready=True,
        contingency_route=Route.RESIDENTIAL,
    )
    use_002s_rule()
    with pytest.raises(ValidationError) as exc:
        services.plan_ratify(plan=plan, by=iro, reason="Second review", checklist=ALL_TICKED)
    assert "adoption (has not been ruled out)" in exc.value.message_dict["route"][0]
    plan.refresh_from_db()
    assert plan.status == Status.PRESENTED


def test_a_route_cannot_need_itself_ruled_out():
    rule = LadderRule.objects.get(route=Route.ADOPTION)
    rule.rule_out_adoption = True
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert exc.value.message_dict["rule_out_adoption"] == [
        "A route cannot need itself ruled out first"
    ]


def test_the_administrator_changes_the_setting_in_the_admin(client, administrator):
    rule = LadderRule.objects.get(route=Route.LONG_TERM_FOSTERING)
    client.force_login(administrator)
    url = reverse("admin:permanence_ladderrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    data = {f"rule_out_{r}": "on" for r in (*ABOVE_FOSTERING, Route.ADOPTION)}
    response = client.post(url, data)
    assert response.status_code == 302
    assert options_to_rule_out(Route.LONG_TERM_FOSTERING) == [*ABOVE_FOSTERING, Route.ADOPTION]
    assert rule.history.first().history_user == administrator


def test_a_social_worker_cannot_change_the_setting(client, social_worker):
    rule = LadderRule.objects.get(route=Route.LONG_TERM_FOSTERING)
    client.force_login(social_worker)
    url = reverse("admin:permanence_ladderrule_change", args=[rule.pk])
    assert client.get(url).status_code in (302, 403)


def test_the_plan_page_and_part1_show_what_the_setting_still_asks(child, social_worker, client):
    from tests.factories.forums import Part1Factory

    rule_out(child, *ABOVE_FOSTERING)
    plan = PlanFactory(child=child, route=Route.LONG_TERM_FOSTERING, created_by=social_worker)
    part1 = Part1Factory(booking__child=child, proposed_route=Route.LONG_TERM_FOSTERING)
    client.force_login(social_worker)
    pages = [plan.get_absolute_url(), reverse("forums:part1-detail", args=[part1.booking.pk])]
    for url in pages:
        body = client.get(url).content.decode()
        assert "has been ruled out on the record" in body, url
    use_002s_rule()
    for url in pages:
        body = client.get(url).content.decode()
        assert "these must be ruled out, with the reason recorded: adoption" in body, url


def test_the_setting_is_read_in_one_query(django_assert_num_queries):
    from permanence.models.plans import ladder_setting

    with django_assert_num_queries(1):
        setting = ladder_setting()
    assert setting[Route.RESIDENTIAL] == list(LADDER)
