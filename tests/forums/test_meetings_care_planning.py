"""Care planning meetings: chair, invitees, the eight matters, carried actions, early family
finding and the plan's rating (seed 004)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Meeting, MeetingAction, MeetingMatter
from forums.models.meetings import CPM_MATTERS
from forums.services import ActionInput
from permanence.roles import Role
from tests.factories.forums import meeting_type
from tests.factories.permanence import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
INVITED = ["social_worker", "iro", "legal", "adoption"]
MATTERS = {code: f"On {code}: discussed." for code in CPM_MATTERS}


def _schedule(child, by, chair, **kwargs):
    kwargs.setdefault("invited_roles", INVITED)
    return services.meeting_schedule(
        meeting_type=meeting_type("care-planning"),
        child=child,
        by=by,
        scheduled_for=kwargs.pop("scheduled_for", TODAY()),
        chair=chair,
        **kwargs,
    )


def _record(meeting, by, **kwargs):
    kwargs.setdefault("held_on", meeting.scheduled_for)
    kwargs.setdefault("decisions", "Agreed.")
    kwargs.setdefault("matters", MATTERS)
    kwargs.setdefault("early_family_finding", Meeting.EarlyFamilyFinding.APPLY_ADOPTION)
    return services.meeting_record(meeting=meeting, by=by, **kwargs)


def _errors(exc) -> dict:
    return {field: " ".join(messages) for field, messages in exc.value.message_dict.items()}


def test_scheduled_with_its_chair_and_invitees_by_role(forum_child, social_worker, team_manager):
    meeting = _schedule(forum_child, social_worker, team_manager)
    assert meeting.chair == team_manager
    assert meeting.invited_labels == [
        "The child's social worker",
        "Independent reviewing officer",
        "Adoption service",
        "Legal services",
    ]


def test_the_chair_must_be_the_childs_team_manager(
    forum_child, social_worker, head_of_service, other_team
):
    with pytest.raises(ValidationError) as exc:
        _schedule(forum_child, social_worker, None)
    assert _errors(exc)["chair"] == "Select the team manager who will chair the meeting"
    with pytest.raises(ValidationError) as exc:
        _schedule(forum_child, social_worker, head_of_service)
    assert _errors(exc)["chair"] == "The chair must be a team manager"
    elsewhere = UserFactory(username="tm_other", team=other_team, role=Role.TEAM_MANAGER)
    with pytest.raises(ValidationError) as exc:
        _schedule(forum_child, social_worker, elsewhere)
    assert _errors(exc)["chair"] == "The chair must be the team manager of the child's team"
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("invited", "message"),
    [
        (["iro", "legal", "fostering"], "Also invite: the child's social worker"),
        (["social_worker", "iro", "fostering"], "Also invite: legal services"),
        (["social_worker", "iro", "legal"], "Invite the fostering or the adoption service"),
    ],
)
def test_the_invitees_the_procedure_names_are_required(
    forum_child, social_worker, team_manager, invited, message
):
    with pytest.raises(ValidationError) as exc:
        _schedule(forum_child, social_worker, team_manager, invited_roles=invited)
    assert message in _errors(exc)["invited_roles"]


def test_each_of_the_eight_matters_is_recorded(forum_child, social_worker, team_manager):
    meeting = _record(_schedule(forum_child, social_worker, team_manager), team_manager)
    assert [m.matter for m in sorted(meeting.matters.all(), key=lambda m: m.position)] == list(
        CPM_MATTERS
    )
    assert meeting.early_family_finding == "apply_adoption"


def test_a_missing_matter_is_named_and_nothing_is_saved(forum_child, social_worker, team_manager):
    meeting = _schedule(forum_child, social_worker, team_manager)
    matters = {**MATTERS, "parents_informed": "  "}
    with pytest.raises(ValidationError) as exc:
        _record(meeting, team_manager, matters=matters, early_family_finding="")
    errors = _errors(exc)
    assert errors["matter_parents_informed"] == (
        "Enter what the meeting said on how the parents will be kept informed"
    )
    assert errors["early_family_finding"] == (
        "Select the meeting's decision on early family finding"
    )
    assert set(errors) == {"matter_parents_informed", "early_family_finding"}
    meeting.refresh_from_db()
    assert not meeting.is_held and not MeetingMatter.objects.exists()


def test_not_applying_for_early_family_finding_needs_a_reason(
    forum_child, social_worker, team_manager
):
    meeting = _schedule(forum_child, social_worker, team_manager)
    with pytest.raises(ValidationError) as exc:
        _record(meeting, team_manager, early_family_finding="not_now")
    assert "early_family_finding_reason" in _errors(exc)
    meeting = _record(
        meeting,
        team_manager,
        early_family_finding="not_now",
        early_family_finding_reason="Rehabilitation home is being tested first.",
    )
    assert meeting.early_family_finding_reason == "Rehabilitation home is being tested first."


def test_a_red_rating_at_a_care_planning_meeting_is_kept(forum_child, social_worker, team_manager):
    """Today's bug: the rating given at a care planning meeting was thrown away."""
    meeting = _schedule(forum_child, social_worker, team_manager)
    with pytest.raises(ValidationError) as exc:
        _record(meeting, team_manager, rag_rating="red")
    assert _errors(exc)["rag_reason"] == "Enter the reason for the RAG rating"
    meeting = _record(
        meeting, team_manager, rag_rating="red", rag_reason="Parenting assessment late."
    )
    meeting.refresh_from_db()
    assert (meeting.rag_rating, meeting.rag_reason) == ("red", "Parenting assessment late.")


def test_actions_come_back_to_the_next_meeting_until_done(forum_child, social_worker, team_manager):
    first_day = TODAY() - dt.timedelta(days=42)
    first = _schedule(forum_child, social_worker, team_manager, scheduled_for=first_day)
    first = _record(
        first,
        team_manager,
        actions=[
            ActionInput("Book the FGC", social_worker, first_day + dt.timedelta(days=7)),
            ActionInput("Viability of the aunt", social_worker, first_day + dt.timedelta(days=14)),
        ],
    )
    second = _schedule(forum_child, social_worker, team_manager)
    carried = list(services.carried_actions(second))
    assert [a.what for a in carried] == ["Book the FGC", "Viability of the aunt"]
    _record(second, team_manager, carried_done=[carried[0]])
    fgc, viability = MeetingAction.objects.filter(meeting=first).order_by("due_on")
    assert fgc.done_on == TODAY() and viability.done_on is None
    third = _schedule(forum_child, social_worker, team_manager, scheduled_for=TODAY())
    assert [a.what for a in services.carried_actions(third)] == ["Viability of the aunt"]


def test_an_action_from_another_child_cannot_be_ticked_off(
    forum_child, social_worker, team_manager
):
    other = _schedule(forum_child, social_worker, team_manager)
    meeting = _schedule(forum_child, social_worker, team_manager)
    unrelated = MeetingAction.objects.create(
        meeting=other, what="Unrelated", owner=social_worker, due_on=TODAY()
    )
    with pytest.raises(ValidationError):
        _record(meeting, team_manager, carried_done=[unrelated])
    assert MeetingAction.objects.get(pk=unrelated.pk).done_on is None


# -- through the pages -----------------------------------------------------------------------


def _date(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_the_pages_schedule_and_record_a_red_care_planning_meeting(
    client, forum_child, social_worker, team_manager
):
    client.force_login(team_manager)
    care = meeting_type("care-planning")
    url = reverse("forums:meeting-create") + f"?child={forum_child.pk}&type={care.pk}"
    page = client.get(url).content.decode()
    assert "social worker chairs the meeting" in page
    response = client.post(url, {**_date("scheduled_for", TODAY()), "invited_roles": ["iro"]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select the team manager who will chair the meeting" in page
    response = client.post(
        url,
        {**_date("scheduled_for", TODAY()), "chair": team_manager.pk, "invited_roles": INVITED},
    )
    meeting = Meeting.objects.get(child=forum_child)
    assert response["Location"] == meeting.get_absolute_url()
    record = reverse("forums:meeting-record", args=[meeting.pk])
    data = {
        **_date("held_on", TODAY()),
        "decisions": "Plan at risk.",
        **{f"matter_{code}": text for code, text in MATTERS.items()},
        "early_family_finding": "apply_fostering",
        "rag_rating": "red",
    }
    response = client.post(record, data)
    assert response.status_code == 400
    assert "Enter the reason for the RAG rating" in response.content.decode()
    response = client.post(record, {**data, "rag_reason": "Assessments late."}, follow=True)
    page = response.content.decode()
    assert "The plan is rated red: it goes to Permanence Panel every 4 weeks." in page
    assert "How the parents will be kept informed" in page
    assert "Apply for early family finding for permanent fostering" in page
    assert Meeting.objects.get(pk=meeting.pk).rag_rating == "red"
