"""The IRO manager's page (002 §9, §12): each IRO's looked-after children with second reviews to
come and overdue and plans ratified or waiting, and the plans waiting for ratification, the
longest first; only for the IRO manager, only their service's children; where they start."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from permanence.models import Service
from permanence.roles import Role
from permanence.services import system_user
from tests.factories.permanence import (
    ChildFactory,
    EpisodeFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)
from tracker import bench, services
from tracker.models import TrackerRow

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
URL = "/tracker/iros/"


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def caseloads(team, social_worker, iro, service):
    """Five looked-after children: under the first IRO, a second review to come, one overdue,
    one held with the plan ratified, one held and waiting; under a second IRO, one with no
    review yet. One child not looked after, and one in another service."""
    second = UserFactory(
        username="iro2", first_name="Kim", last_name="Ash", team=None, service=service
    )
    second.groups.add(*iro.groups.all())

    def child(first, who=iro, in_care=True, in_team=team):
        made = ChildFactory(
            team=in_team, social_worker=social_worker, iro=who, first_name=first, last_name="Lee"
        )
        if in_care:
            EpisodeFactory(child=made, decom=days(-200))
        return made

    kids = {
        "coming": child("Coming"),
        "overdue": child("Overdue"),
        "ratified": child("Ratified"),
        "waiting": child("Waiting"),
        "new": child("Newly", who=second),
        "home": child("Home", in_care=False),
        "far": child(
            "Far",
            in_team=TeamFactory(name="Far team", service=ServiceFactory(name="Elsewhere")),
        ),
    }
    services.deadlines_sweep(by=system_user())
    # The second review and ratification as the engine would have stored them.
    stored = {
        "coming": {"second_review_due": days(10)},
        "overdue": {"second_review_due": days(-5)},
        "ratified": {
            "second_review_due": days(-40),
            "second_review_held_on": days(-41),
            "first_ratified_on": days(-30),
        },
        "waiting": {"second_review_due": days(-20), "second_review_held_on": days(-22)},
        "new": {"second_review_due": None, "second_review_held_on": None},
    }
    for key, values in stored.items():
        base = {"second_review_held_on": None, "first_ratified_on": None, **values}
        TrackerRow.objects.filter(child=kids[key]).update(**base)
    return kids, second


def test_each_iro_counted_and_the_waiting_plans_listed_longest_first(
    client, caseloads, iro_manager, iro
):
    kids, second = caseloads
    client.force_login(iro_manager)
    response = client.get(URL)
    assert response.status_code == 200
    lines = {line.name: line for line in response.context["lines"]}
    first = lines[f"{iro.first_name} {iro.last_name}"]
    assert (first.children, first.to_come, first.overdue, first.ratified, first.awaiting) == (
        4,
        1,
        1,
        1,
        2,
    )
    assert lines["Kim Ash"].children == 1 and lines["Kim Ash"].awaiting == 0
    waiting = [row.first_name for row in response.context["page"].object_list]
    assert waiting == ["Waiting", "Overdue"]  # second review due 20 days ago, then 5
    html = response.content.decode()
    assert f"{reverse('tracker:dashboard')}?iro={second.pk}" in html
    assert "Far" not in waiting and "Home" not in html and "Coming Lee" not in html


@pytest.mark.parametrize(
    "role", [Role.IRO, Role.HEAD_OF_SERVICE, Role.SOCIAL_WORKER, Role.ADOPTION_MANAGER]
)
def test_only_the_iro_manager_may_open_it(client, caseloads, service, role):
    client.force_login(UserFactory(team=None, service=service, role=role))
    assert client.get(URL).status_code == 403


def test_the_iro_manager_starts_there(client, iro_manager):
    client.force_login(iro_manager)
    response = client.get(reverse("home"))
    assert response["Location"] == URL
    assert b"IROs&#x27; reviews" in client.get(URL).content


def test_the_queries_do_not_grow_with_the_children(client):
    """Counts in one grouped query and one page of rows, however many children."""
    by = system_user()
    bench.build(10, by=by)
    services.deadlines_sweep(by=by)
    bench_service = Service.objects.get(name="Bench service")
    manager = UserFactory(team=None, service=bench_service, role=Role.IRO_MANAGER)
    TrackerRow.objects.update(second_review_held_on=TODAY, first_ratified_on=None)

    def queries() -> int:
        client.force_login(manager)
        client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200
        assert response.context["page"].paginator.count > 0  # not an empty page
        return len(captured)

    few = queries()
    bench.build(60, by=by)
    services.deadlines_sweep(by=by)
    TrackerRow.objects.update(second_review_held_on=TODAY, first_ratified_on=None)
    assert queries() == few


def test_an_iro_without_a_name_is_listed_by_username(client, caseloads, iro_manager):
    _, second = caseloads
    second.first_name = second.last_name = ""
    second.save()
    client.force_login(iro_manager)
    response = client.get(URL)
    assert response.status_code == 200
    assert "iro2" in [line.name for line in response.context["lines"]]


def test_the_managers_list_and_the_iros_list_are_named_for_what_they_hold(
    client, caseloads, iro_manager, iro
):
    """Two different lists (no plan ratified by the second review; plans presented to the IRO)
    once shared one heading and named different children: each now says what it holds."""
    from permanence.models.plans import Status
    from tests.factories.plans import PlanFactory

    kids, _ = caseloads
    PlanFactory(child=kids["coming"], status=Status.PRESENTED, presented_on=days(-3))
    client.force_login(iro_manager)
    html = client.get(URL).content.decode()
    assert 'id="awaiting">No plan ratified by the second review</h2>' in html
    client.force_login(iro)
    html = client.get(reverse("reviews:iro-dashboard")).content.decode()
    assert "Plans presented, for you to ratify at a review</h2>" in html
    assert "Coming Lee</a>: " in html
