"""The Permanency Planning Meeting: booked from the PPN1, its fixed agenda, attendance by role
and joint actions (seed 002 §8-11)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Meeting
from forums.models.meetings import PPM_AGENDA
from forums.services import ActionInput
from permanence.meeting_booking import book_meeting

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
AGENDA = {code: f"On {code}." for code in PPM_AGENDA}


def _book(child, by, **kwargs):
    return book_meeting(
        code="permanency-planning", child=child, by=by, scheduled_for=TODAY(), **kwargs
    )


def test_booking_invites_everyone_002_names_by_role(forum_child, social_worker):
    meeting = _book(forum_child, social_worker)
    assert meeting.meeting_type.kind == "permanency_planning"
    assert meeting.invited_labels == [
        "The child's social worker",
        "Independent reviewing officer",
        "Social work team manager",
        "Nominated manager from the fostering team",
        "Nominated manager from the adoption team",
        "Nominated home finder",
    ]


def test_the_home_finder_cannot_be_left_out(forum_child, social_worker):
    with pytest.raises(ValidationError) as exc:
        _book(forum_child, social_worker, invited_roles=["social_worker", "team_manager"])
    assert "Also invite: nominated manager from the fostering team" in " ".join(
        exc.value.message_dict["invited_roles"]
    )
    assert not Meeting.objects.exists()


def test_each_agenda_item_and_who_attended_are_recorded(forum_child, social_worker, team_manager):
    meeting = _book(forum_child, social_worker)
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            meeting=meeting,
            by=social_worker,
            held_on=TODAY(),
            decisions="Agreed.",
            matters={**AGENDA, "ppm_family_finding": ""},
        )
    errors = exc.value.message_dict
    assert errors["matter_ppm_family_finding"] == [
        "Enter what the meeting said on family finding and matching"
    ]
    assert errors["attended_roles"] == ["Select who attended the meeting"]
    meeting = services.meeting_record(
        meeting=meeting,
        by=social_worker,
        held_on=TODAY(),
        decisions="Family finding to start.",
        matters=AGENDA,
        attended_roles=["social_worker", "home_finder"],
        actions=[
            ActionInput(
                "Write the child's profile",
                social_worker,
                TODAY() + dt.timedelta(days=14),
                joint_owner=team_manager,
            )
        ],
    )
    assert meeting.attended_labels == ["The child's social worker", "Nominated home finder"]
    assert meeting.matters.count() == len(PPM_AGENDA)
    assert meeting.actions.get().joint_owner == team_manager
    # Monthly: the next one is due a month later (002 §8).
    assert meeting.next_due_on is not None


def test_the_page_shows_the_agenda_and_the_joint_action(
    client, forum_child, social_worker, team_manager
):
    meeting = _book(forum_child, social_worker)
    client.force_login(social_worker)
    record = reverse("forums:meeting-record", args=[meeting.pk])
    page = client.get(record).content.decode()
    assert "Family finding and matching" in page and "Jointly with (optional)" in page
    data = {
        "held_on_0": TODAY().day,
        "held_on_1": TODAY().month,
        "held_on_2": TODAY().year,
        "decisions": "Agreed.",
        **{f"matter_{code}": text for code, text in AGENDA.items()},
        "attended_roles": ["social_worker", "adoption_manager"],
        "action_1_what": "Profile",
        "action_1_owner": social_worker.pk,
        "action_1_joint": team_manager.pk,
        "action_1_due_on_0": TODAY().day,
        "action_1_due_on_1": TODAY().month,
        "action_1_due_on_2": TODAY().year,
    }
    page = client.post(record, data, follow=True).content.decode()
    assert "Nominated manager from the adoption team" in page
    assert f"{social_worker} with {team_manager}" in page
