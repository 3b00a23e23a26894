"""The weekly Permanence Panel sitting (seed 004): CPS duty arranges a sitting whose agenda holds
each child whose red plan is due back at panel and each case a team manager escalated; each
child's RAG rating and reason are recorded on the agenda item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import PanelEscalation, PanelSitting
from forums.models.meetings import CPM_MATTERS
from permanence.models import Notification
from permanence.roles import Role
from tests.factories.forums import meeting_type
from tests.factories.permanence import ServiceFactory, TeamFactory, UserFactory
from tests.tracker import conftest as tracker_fixtures
from tracker import services as tracker

pytestmark = pytest.mark.django_db

# The tracker's fixtures: a looked-after child, the rules switched on, the system user.
make_child = tracker_fixtures.make_child
only_rules = tracker_fixtures.only_rules
system = tracker_fixtures.system
at = tracker_fixtures.at

TODAY = timezone.localdate()
MATTERS = dict.fromkeys(CPM_MATTERS, "Discussed.")


def _rated_red(child, by, day):
    meeting = services.meeting_schedule(
        meeting_type=meeting_type("care-planning"),
        child=child,
        by=by,
        scheduled_for=day,
        chair=by,
        invited_roles=["social_worker", "iro", "legal", "fostering"],
    )
    services.meeting_record(
        meeting=meeting,
        by=by,
        held_on=day,
        decisions="Recorded.",
        matters=MATTERS,
        early_family_finding="not_now",
        early_family_finding_reason="Return home still being tested.",
        rag_rating="red",
        rag_reason="Parenting assessment late.",
    )


def _arrange(client, cps_duty, chair, day):
    client.force_login(cps_duty)
    return client.post(
        reverse("forums:panel-sitting-create"),
        {
            "sits_on_0": day.day,
            "sits_on_1": day.month,
            "sits_on_2": day.year,
            "chair": chair.pk,
            "core_members": ["head_of_service", "coordinator", "legal"],
        },
    )


def test_the_agenda_holds_the_red_plans_due_by_the_sitting_team_by_team(
    client, make_child, only_rules, system, team_manager, cps_duty, head_of_service
):
    only_rules("red_plan_panel")
    due_now = make_child(TODAY - dt.timedelta(days=200), first_name="Mia")
    not_yet = make_child(TODAY - dt.timedelta(days=200), first_name="Noor")
    _rated_red(due_now, team_manager, TODAY - dt.timedelta(days=26))
    _rated_red(not_yet, team_manager, TODAY - dt.timedelta(days=2))
    tracker.deadlines_sweep(by=system, now=at(TODAY, 6))

    response = _arrange(client, cps_duty, head_of_service, TODAY + dt.timedelta(days=3))

    sitting = PanelSitting.objects.get()
    assert response.status_code == 302
    assert response.url == sitting.get_absolute_url()
    assert [m.child for m in sitting.agenda.all()] == [due_now]
    page = client.get(sitting.get_absolute_url()).content.decode()
    assert "Mia" in page and "Noor" not in page
    assert "Red plan due back at panel" in page
    assert "Legal services" in page and "Permanence coordinator" in page


def test_the_rating_recorded_on_the_agenda_item_shows_on_the_sitting(
    client, make_child, only_rules, system, team_manager, cps_duty, head_of_service
):
    only_rules("red_plan_panel")
    child = make_child(TODAY - dt.timedelta(days=200))
    _rated_red(child, team_manager, TODAY - dt.timedelta(days=28))
    tracker.deadlines_sweep(by=system, now=at(TODAY, 6))
    _arrange(client, cps_duty, head_of_service, TODAY)
    item = PanelSitting.objects.get().agenda.get()
    services.meeting_record(
        meeting=item,
        by=cps_duty,
        held_on=TODAY,
        decisions="Viability assessments to be chased.",
        rag_rating="amber",
        rag_reason="Assessment now booked.",
    )
    page = client.get(item.sitting.get_absolute_url()).content.decode()
    assert "Amber" in page and "Assessment now booked." in page


def test_an_escalated_case_goes_on_the_next_sitting_only(
    client, forum_child, team_manager, cps_duty, head_of_service, django_capture_on_commit_callbacks
):
    client.force_login(team_manager)
    url = reverse("forums:panel-escalation-create", args=[forum_child.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"group_manager": "Gill Mason", "reason": "Court expert report delayed."}
        )
    # The permanence coordinator is told.
    told = Notification.objects.get(recipient=cps_duty)
    assert "escalated to the next Permanence Panel" in told.subject
    assert response.status_code == 302
    escalation = PanelEscalation.objects.get()
    assert (escalation.child, escalation.raised_by, escalation.sitting) == (
        forum_child,
        team_manager,
        None,
    )
    # The coordinator sees the case waiting for the next sitting.
    client.force_login(cps_duty)
    assert (
        "Court expert report delayed."
        in client.get(reverse("forums:panel-sitting-list")).content.decode()
    )

    _arrange(client, cps_duty, head_of_service, TODAY + dt.timedelta(days=7))
    first = PanelSitting.objects.get()
    assert [m.child for m in first.agenda.all()] == [forum_child]
    escalation.refresh_from_db()
    assert escalation.sitting == first
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Escalated by the team manager: Court expert report delayed." in page

    _arrange(client, cps_duty, head_of_service, TODAY + dt.timedelta(days=14))
    second = PanelSitting.objects.exclude(pk=first.pk).get()
    assert not second.agenda.exists()


def test_escalation_without_a_reason_or_group_manager_is_refused_beside_the_fields(
    client, forum_child, team_manager
):
    client.force_login(team_manager)
    url = reverse("forums:panel-escalation-create", args=[forum_child.pk])
    response = client.post(url, {"group_manager": "  ", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter the name of the group manager you escalated the case to" in page
    assert "Enter the complicating factors that are delaying permanence" in page
    assert not PanelEscalation.objects.exists()


def test_only_a_manager_of_the_childs_service_escalates(client, forum_child, social_worker):
    url = reverse("forums:panel-escalation-create", args=[forum_child.pk])
    client.force_login(social_worker)
    assert client.get(url).status_code == 403
    elsewhere = TeamFactory(name="East", service=ServiceFactory(name="Elsewhere"))
    client.force_login(UserFactory(team=elsewhere, role=Role.TEAM_MANAGER))
    assert client.get(url).status_code == 404


def test_a_sitting_in_the_past_or_chaired_by_no_head_of_service_is_refused(
    client, cps_duty, head_of_service, team_manager
):
    response = _arrange(client, cps_duty, head_of_service, TODAY - dt.timedelta(days=1))
    assert response.status_code == 400
    assert not PanelSitting.objects.exists()
    response = _arrange(client, cps_duty, team_manager, TODAY)
    assert response.status_code == 400
    assert "Select the head of service chairing the panel" in response.content.decode() or (
        "Select a valid choice" in response.content.decode()
    )
    assert not PanelSitting.objects.exists()


def test_only_cps_duty_arranges_a_sitting(client, team_manager):
    client.force_login(team_manager)
    assert client.get(reverse("forums:panel-sitting-create")).status_code == 403
    assert client.get(reverse("forums:panel-sitting-list")).status_code == 200
