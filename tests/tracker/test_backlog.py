"""The backlog at go-live (issues 16 and 18): deadlines already overdue when the service went live
tell nobody, and managers of the service work through them on one page."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core import mail

from permanence.models import Notification
from permanence.roles import Role
from tests.factories.permanence import ServiceFactory, UserFactory
from tests.factories.reviews import ReviewFactory
from tests.tracker.conftest import at
from tracker import services
from tracker.models import Alert, DeadlineRule
from tracker.ssda903.onboarding import FROM_THE_RETURN

pytestmark = pytest.mark.django_db

D = dt.date
OLD_SINCE = D(2026, 1, 5)  # first review due Monday 2 February 2026, before go-live
GO_LIVE = D(2026, 3, 2)
NEW_SINCE = D(2026, 2, 16)  # first review due Monday 16 March 2026, after go-live
URL = "/tracker/backlog/"


def sweep(system, day):
    return services.deadlines_sweep(by=system, now=at(day))


@pytest.fixture
def went_live(make_child, only_rules, system, iro, team_manager, head_of_service):
    """The service went live on GO_LIVE (as `manage.py onboard` records it) with a child whose
    first review was missed a month before, and a child who came into care since."""
    only_rules("first_review")
    DeadlineRule.objects.exclude(code__in=FROM_THE_RETURN).update(applies_from=GO_LIVE)
    old = make_child(OLD_SINCE, first_name="Olive", last_name="Backlog")
    new = make_child(NEW_SINCE, first_name="Nina", last_name="Current")
    return old, new


def test_first_sweep_after_go_live_tells_nobody_about_the_old_overdue_deadline(went_live, system):
    old, _ = went_live
    summary = sweep(system, D(2026, 3, 3))
    alert = Alert.objects.get(child=old)
    assert alert.backlog
    assert alert.level == "overdue"
    assert summary.notifications == 0
    assert not Notification.objects.exists()
    assert mail.outbox == []
    # Later sweeps keep the one alert and still tell nobody about it.
    sweep(system, D(2026, 3, 4))
    assert Alert.objects.filter(child=old).count() == 1
    assert not Notification.objects.exists()


def test_a_deadline_falling_due_after_go_live_is_told_as_usual(went_live, system, iro):
    old, new = went_live
    sweep(system, D(2026, 3, 3))
    sweep(system, D(2026, 3, 17))
    alert = Alert.objects.get(child=new)
    assert not alert.backlog
    told = set(Notification.objects.values_list("recipient__username", "subject"))
    assert (iro.username, f"The first looked-after review for {new.child_id} is overdue") in told
    assert not any(old.child_id in subject for _, subject in told)


def test_without_a_go_live_date_nothing_is_backlog(make_child, only_rules, system, iro):
    only_rules("first_review")
    child = make_child(OLD_SINCE)
    sweep(system, D(2026, 3, 3))
    assert not Alert.objects.get(child=child).backlog
    assert Notification.objects.filter(recipient=iro).exists()


@pytest.mark.parametrize(
    "role", ["head_of_service", "team_manager", "adoption_manager", "iro_manager"]
)
def test_managers_of_the_service_see_the_backlog(went_live, system, client, request, role):
    sweep(system, D(2026, 3, 17))
    client.force_login(request.getfixturevalue(role))
    page = client.get(URL).content.decode()
    assert "Backlog at go-live" in page
    assert "Olive Backlog" in page
    assert "2 Feb 2026" in page
    assert "Nina Current" not in page  # due after go-live: real, current work


def test_another_services_manager_sees_none_of_it(went_live, system, client):
    old, _ = went_live
    sweep(system, D(2026, 3, 3))
    elsewhere = ServiceFactory(name="Elsewhere")
    far = UserFactory(username="far", team=None, service=elsewhere, role=Role.HEAD_OF_SERVICE)
    client.force_login(far)
    page = client.get(URL).content.decode()
    assert "Olive Backlog" not in page
    assert client.get(f"{URL}export.csv").getvalue().decode().count("\n") == 1  # header only
    item = Alert.objects.get(child=old)
    assert client.post(f"{URL}{item.pk}/review/").status_code == 404
    item.refresh_from_db()
    assert item.reviewed_at is None


@pytest.mark.parametrize("role", ["social_worker", "iro", "cps_duty", "administrator"])
def test_staff_who_are_not_managers_are_refused(went_live, system, client, request, role):
    sweep(system, D(2026, 3, 3))
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}export.csv").status_code == 403


def test_dashboard_links_managers_to_the_backlog(went_live, client, head_of_service, social_worker):
    client.force_login(head_of_service)
    assert URL in client.get("/tracker/dashboard/").content.decode()
    client.force_login(social_worker)
    assert URL not in client.get("/tracker/dashboard/").content.decode()


def test_filter_by_team_and_rule(went_live, system, client, head_of_service, other_team):
    sweep(system, D(2026, 3, 3))
    client.force_login(head_of_service)
    assert "Olive Backlog" not in client.get(URL, {"team": other_team.pk}).content.decode()
    team_id = went_live[0].team_id
    assert "Olive Backlog" in client.get(URL, {"team": team_id}).content.decode()
    assert "Olive Backlog" not in client.get(URL, {"rule": "second_review"}).content.decode()
    assert "Olive Backlog" in client.get(URL, {"rule": "first_review"}).content.decode()


def test_a_bad_filter_gives_the_default_list_not_an_error(
    went_live, system, client, head_of_service
):
    sweep(system, D(2026, 3, 3))
    client.force_login(head_of_service)
    response = client.get(URL, {"team": "nonsense", "state": "<x>", "page": "zz"})
    assert response.status_code == 200
    assert "Olive Backlog" in response.content.decode()


def test_marking_an_item_reviewed_moves_it_to_the_reviewed_list(
    went_live, system, client, head_of_service
):
    old, _ = went_live
    sweep(system, D(2026, 3, 3))
    item = Alert.objects.get(child=old)
    client.force_login(head_of_service)
    response = client.post(f"{URL}{item.pk}/review/", {"query": "team=&rule=first_review"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?team=&rule=first_review"
    item.refresh_from_db()
    assert item.reviewed_by == head_of_service
    assert item.closed_at is None
    assert "Marked reviewed: First looked-after review for Olive Backlog" in (
        client.get(URL).content.decode()
    )
    assert "Olive Backlog" not in client.get(URL).content.decode()
    reviewed = client.get(URL, {"state": "reviewed"}).content.decode()
    assert "Olive Backlog" in reviewed
    assert f"Reviewed by {head_of_service}" in reviewed
    # Reviewing tells nobody, and the next sweep keeps it reviewed and open.
    sweep(system, D(2026, 3, 4))
    item.refresh_from_db()
    assert item.reviewed_at is not None and item.closed_at is None
    assert not Notification.objects.exists()


def test_recording_the_event_closes_the_item(
    went_live, system, client, head_of_service, django_capture_on_commit_callbacks
):
    old, _ = went_live
    sweep(system, D(2026, 3, 3))
    with django_capture_on_commit_callbacks(execute=True):
        ReviewFactory(child=old, period_started_on=OLD_SINCE, held_on=D(2026, 3, 5))
    item = Alert.objects.get(child=old)
    assert item.closed_at is not None
    assert item.close_reason == "met"
    client.force_login(head_of_service)
    assert "Olive Backlog" not in client.get(URL).content.decode()
    closed = client.get(URL, {"state": "closed"}).content.decode()
    assert "Olive Backlog" in closed
    assert "the event was recorded" in closed


def test_csv_lists_the_items_with_formulas_neutralised(
    make_child, went_live, system, client, head_of_service
):
    make_child(OLD_SINCE, first_name="=cmd", last_name="Smith")
    sweep(system, D(2026, 3, 3))
    client.force_login(head_of_service)
    response = client.get(f"{URL}export.csv", {"rule": "first_review"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert {row["due"] for row in rows} == {"2026-02-02"}
    assert sorted(row["child"] for row in rows) == ["'=cmd Smith", "Olive Backlog"]
    assert all(row["rule"] == "First looked-after review" for row in rows)


def test_staff_deadline_page_still_counts_the_backlog_as_overdue_but_marks_it(
    went_live, system, client, social_worker
):
    sweep(system, D(2026, 3, 17))
    client.force_login(social_worker)
    page = client.get("/tracker/deadlines/", {"status": "overdue"}).content.decode()
    assert "Olive Backlog" in page
    assert "Nina Current" in page
    assert page.count("Backlog at go-live: already overdue when the service went live") == 1
