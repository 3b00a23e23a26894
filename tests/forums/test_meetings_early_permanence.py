"""Early permanence and unborn children (seeds 001 §3.8, 003, 004): the Achieving Early
Permanence Panel's papers by their deadline, a record that fostering for adoption was considered
or why not, and the unborn tracker and regional adoption agency panel with their items."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Meeting, MeetingType
from forums.models.meetings import AGENDAS
from permanence.services import system_user
from permanence.timescales import due as timescale_due
from tests.factories.forums import meeting_type
from tracker import services as tracker_services
from tracker.models import Deadline

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _schedule(code, child, by, day=None):
    return services.meeting_schedule(
        meeting_type=meeting_type(code), child=child, by=by, scheduled_for=day or TODAY()
    )


def test_the_new_meeting_types_are_loaded():
    assert meeting_type("unborn-tracker").kind == MeetingType.Kind.UNBORN_TRACKER
    assert meeting_type("raa-panel").kind == MeetingType.Kind.RAA_PANEL
    assert meeting_type("early-permanence").kind == MeetingType.Kind.EARLY_PERMANENCE


def test_fostering_for_adoption_considered_or_why_not(forum_child, social_worker):
    meeting = _schedule("early-permanence", forum_child, social_worker)
    record = {"meeting": meeting, "by": social_worker, "held_on": TODAY(), "decisions": "Agreed."}
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(**record)
    assert exc.value.message_dict["ffa_considered"] == [
        "Select whether fostering for adoption was considered"
    ]
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(**record, ffa_considered=False)
    assert exc.value.message_dict["ffa_reason"] == [
        "Enter why fostering for adoption was not considered"
    ]
    meeting = services.meeting_record(
        **record, ffa_considered=False, ffa_reason="The baby's grandmother is being assessed."
    )
    assert (meeting.ffa_considered, meeting.ffa_reason) == (
        False,
        "The baby's grandmother is being assessed.",
    )


@pytest.mark.parametrize(
    ("code", "items"),
    [
        (
            "unborn-tracker",
            [
                "Whether the baby needs safeguarding (accommodation) at birth",
                "Fostering for adoption",
                "Connected carers identified and their viability assessments",
                "A Regulation 24 placement considered",
            ],
        ),
        (
            "raa-panel",
            [
                "Placement orders and the adoption plan's progress",
                "Fostering-for-adoption placements",
            ],
        ),
    ],
)
def test_each_item_of_the_unborn_tracker_and_the_raa_panel(forum_child, social_worker, code, items):
    meeting = _schedule(code, forum_child, social_worker)
    codes = AGENDAS[meeting.kind]
    extra = {"ffa_considered": True} if code == "unborn-tracker" else {}
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(
            meeting=meeting, by=social_worker, held_on=TODAY(), decisions="Seen.", **extra
        )
    assert len([k for k in exc.value.message_dict if k.startswith("matter_")]) == len(items)
    meeting = services.meeting_record(
        meeting=meeting,
        by=social_worker,
        held_on=TODAY(),
        decisions="Seen.",
        matters=dict.fromkeys(codes, "Discussed."),
        **extra,
    )
    assert [m.get_matter_display() for m in meeting.matters.order_by("pk")] == items


def test_papers_sent_meet_the_panels_deadline(client, forum_child, social_worker):
    panel = TODAY() + dt.timedelta(days=14)
    meeting = _schedule("early-permanence", forum_child, social_worker, panel)
    due = timescale_due("aep_papers", panel)
    client.force_login(social_worker)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"Due by 5pm on {due.on:%A %-d %B %Y}" in page
    client.post(reverse("forums:meeting-papers-sent", args=[meeting.pk]))
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.papers_sent_by == social_worker
    with pytest.raises(ValidationError, match="were sent on"):
        services.meeting_papers_send(meeting=meeting, by=social_worker)
    tracker_services.deadlines_sweep(by=system_user())
    row = Deadline.objects.get(child=forum_child, rule__code="aep_papers", current=True)
    assert (row.due, row.met_on) == (due.on, TODAY())


# -- the permanence coordinator's list of panel actions (seed 004) -----------------------------


def test_the_coordinators_list_shows_panel_actions_of_visible_children_only(
    client, forum_child, social_worker, head_of_service, other_social_worker, other_team
):
    from forums.services import ActionInput
    from tests.factories.permanence import ChildFactory

    elsewhere = ChildFactory(team=other_team, social_worker=other_social_worker, last_name="Far")
    for child, by in ((forum_child, head_of_service), (elsewhere, other_social_worker)):
        meeting = _schedule("permanence-panel", child, by, TODAY() - dt.timedelta(days=7))
        services.meeting_record(
            meeting=meeting,
            by=by,
            held_on=meeting.scheduled_for,
            decisions="Reviewed.",
            rag_rating="amber",
            rag_reason="Late.",
            actions=[ActionInput(f"Chase for {child.last_name}", by, TODAY() - dt.timedelta(1))],
        )
    client.force_login(social_worker)
    page = client.get(reverse("forums:panel-action-list")).content.decode()
    assert f"Chase for {forum_child.last_name}" in page and "Overdue" in page
    assert "Chase for Far" not in page
