"""The other panels and meetings (SPEC §4; seeds 000, 002, 003, 004)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forums import services
from forums.models import Meeting, MeetingAction, MeetingAssessment, MeetingType
from forums.models.meetings import CPM_MATTERS
from forums.services import ActionInput, AssessmentInput
from permanence import dates
from permanence.models.plans import Route, Status
from tests.factories.finding import give_evidence
from tests.factories.forums import MeetingFactory, meeting_type
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_the_fixture_loads_every_meeting_type():
    codes = set(MeetingType.objects.values_list("code", flat=True))
    assert codes == {
        "legal-gateway",
        "early-permanence",
        "permanency-planning",
        "care-planning",
        "permanence-panel",
        "matching-panel",
        "matching-meeting",
        "adoption-panel",
        "fostering-panel",
        "unborn-tracker",
        "raa-panel",
    }
    gateway = meeting_type("legal-gateway")
    assert str(gateway.repeat) == "12 weeks"
    assert str(meeting_type("care-planning").repeat) == "6 weeks"
    assert str(meeting_type("permanency-planning").repeat) == "1 month"
    assert str(meeting_type("permanence-panel").repeat) == "4 weeks"
    assert meeting_type("matching-panel").repeat is None


GATEWAY_PAPERS = ["cultural_genogram", "chronology", "referral_form", "assessment"]


def _schedule(code, child, by, **kwargs):
    if code == "legal-gateway":
        kwargs.setdefault("initial_plan", "Return home, with adoption as the contingency.")
        kwargs.setdefault("papers", GATEWAY_PAPERS)
    return services.meeting_schedule(
        meeting_type=meeting_type(code),
        child=child,
        by=by,
        scheduled_for=kwargs.pop("scheduled_for", TODAY()),
        **kwargs,
    )


def _record(meeting, by, **kwargs):
    if meeting.kind == MeetingType.Kind.LEGAL_GATEWAY:
        kwargs.setdefault("plan_ratified", True)
    if meeting.kind == MeetingType.Kind.EARLY_PERMANENCE:
        kwargs.setdefault("ffa_considered", True)
    kwargs.setdefault("held_on", meeting.scheduled_for)
    kwargs.setdefault("decisions", "Agreed.")
    return services.meeting_record(meeting=meeting, by=by, **kwargs)


def test_a_care_planning_meeting_comes_back_in_six_weeks(forum_child, social_worker, team_manager):
    meeting = _schedule(
        "care-planning",
        forum_child,
        social_worker,
        staff_attendees=[team_manager],
        chair=team_manager,
        invited_roles=["social_worker", "iro", "legal", "fostering"],
    )
    assert list(meeting.staff_attendees.all()) == [team_manager]
    meeting = _record(
        meeting,
        social_worker,
        actions=[ActionInput("Contact the guardian", team_manager, TODAY() + dt.timedelta(days=7))],
        matters=dict.fromkeys(CPM_MATTERS, "Discussed."),
        early_family_finding="apply_adoption",
    )
    assert meeting.held_on == TODAY()
    assert meeting.next_due_on == dates.add_weeks(TODAY(), 6)
    assert MeetingAction.objects.get(meeting=meeting).owner == team_manager
    assert meeting.history.filter(history_change_reason="Decisions recorded").exists()


@pytest.mark.parametrize(
    ("decision", "legal_status", "weeks"),
    [
        (Meeting.GatewayDecision.PRE_PROCEEDINGS, "C1", 12),
        (Meeting.GatewayDecision.NEITHER, "V2", 12),  # section 20 comes back too
        (Meeting.GatewayDecision.NEITHER, "C1", None),
        (Meeting.GatewayDecision.CARE_PROCEEDINGS, "C1", None),  # tracked by Permanence Panel
    ],
)
def test_legal_gateway_re_review_every_12_weeks_for_pre_proceedings_and_section_20(
    team, social_worker, decision, legal_status, weeks
):
    child = ChildFactory(team=team)
    EpisodeFactory(child=child, legal_status=legal_status)
    meeting = _record(
        _schedule("legal-gateway", child, social_worker),
        social_worker,
        gateway_decision=decision,
        assessments=[
            AssessmentInput(
                MeetingAssessment.Kind.PARENTING,
                TODAY() + dt.timedelta(weeks=12),
                owner=social_worker,
            )
        ],
    )
    expected = dates.add_weeks(TODAY(), weeks) if weeks else None
    assert meeting.next_due_on == expected
    assert meeting.assessments.get().kind == MeetingAssessment.Kind.PARENTING


def test_care_proceedings_show_the_4_and_14_week_permanence_panels(forum_child, social_worker):
    meeting = _record(
        _schedule("legal-gateway", forum_child, social_worker),
        social_worker,
        gateway_decision=Meeting.GatewayDecision.CARE_PROCEEDINGS,
    )
    assert meeting.proceedings_check_ins == [
        dates.add_weeks(TODAY(), 4),
        dates.add_weeks(TODAY(), 14),
    ]


def test_legal_gateway_needs_its_decision(forum_child, social_worker):
    meeting = _schedule("legal-gateway", forum_child, social_worker)
    with pytest.raises(ValidationError) as exc:
        _record(meeting, social_worker)
    assert "gateway_decision" in exc.value.message_dict
    assert Meeting.objects.get(pk=meeting.pk).held_on is None


@pytest.mark.parametrize(("rag", "back_in_weeks"), [("red", 4), ("amber", None), ("green", None)])
def test_permanence_panel_sets_the_rag_and_a_red_plan_comes_back_in_4_weeks(
    forum_child, head_of_service, rag, back_in_weeks
):
    meeting = _record(
        _schedule("permanence-panel", forum_child, head_of_service),
        head_of_service,
        rag_rating=rag,
        rag_reason="Assessments late",
    )
    assert meeting.rag_rating == rag
    assert meeting.rag_reason == "Assessments late"
    expected = dates.add_weeks(TODAY(), back_in_weeks) if back_in_weeks else None
    assert meeting.next_due_on == expected


def test_permanence_panel_rag_needs_a_reason(forum_child, head_of_service):
    with pytest.raises(ValidationError) as exc:
        _record(
            _schedule("permanence-panel", forum_child, head_of_service),
            head_of_service,
            rag_rating="red",
            rag_reason=" ",
        )
    assert exc.value.message_dict["rag_reason"] == ["Enter the reason for the RAG rating"]


def test_early_permanence_panel_triggers_the_first_ppm_in_6_weeks(forum_child, social_worker):
    meeting = _record(_schedule("early-permanence", forum_child, social_worker), social_worker)
    assert meeting.next_due_on == dates.add_weeks(TODAY(), 6)


def test_a_meeting_cannot_be_recorded_as_held_in_the_future(forum_child, social_worker):
    meeting = _schedule(
        "permanency-planning",
        forum_child,
        social_worker,
        scheduled_for=TODAY() + dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError) as exc:
        _record(meeting, social_worker)
    assert "held_on" in exc.value.message_dict


def test_a_user_who_cannot_see_the_child_cannot_add_a_meeting(forum_child, other_social_worker):
    with pytest.raises(PermissionDenied):
        _schedule("permanency-planning", forum_child, other_social_worker)


def test_actions_are_ticked_off(forum_child, social_worker):
    meeting = _record(
        _schedule("early-permanence", forum_child, social_worker),
        social_worker,
        actions=[ActionInput("Book the FGC", social_worker, TODAY())],
    )
    action = meeting.actions.get()
    services.meeting_action_complete(action=action, by=social_worker, done_on=TODAY())
    assert MeetingAction.objects.get(pk=action.pk).done_on == TODAY()
    with pytest.raises(ValidationError):
        services.meeting_action_complete(action=action, by=social_worker, done_on=TODAY())


# -- the matching panel (seed 000) --------------------------------------------------------------


def _report():
    return SimpleUploadedFile("matching.pdf", b"%PDF-1.4 report", content_type="application/pdf")


def _list_match(child, by, *, form_f, cpr, report=True, panel=None):
    return _schedule(
        "matching-panel",
        child,
        by,
        scheduled_for=panel or TODAY() + dt.timedelta(days=14),
        match_carers="Mr and Mrs Example",
        form_f_updated_on=form_f,
        cpr_updated_on=cpr,
        matching_report=_report() if report else None,
    )


def test_a_match_with_current_papers_is_listed(forum_child, social_worker, media_root):
    meeting = _list_match(
        forum_child,
        social_worker,
        form_f=dates.add_months(TODAY(), -11),
        cpr=dates.add_months(TODAY(), -5),
    )
    assert meeting.matching_report.name.endswith(".pdf")
    assert forum_child.last_name not in meeting.matching_report.name
    assert meeting.form_f_updated_on == dates.add_months(TODAY(), -11)


def test_a_stale_form_f_is_refused_saying_so(forum_child, social_worker, media_root):
    panel = TODAY() + dt.timedelta(days=14)
    with pytest.raises(ValidationError) as exc:
        _list_match(
            forum_child,
            social_worker,
            form_f=dates.add_months(panel, -12),
            cpr=dates.add_months(TODAY(), -1),
            panel=panel,
        )
    errors = exc.value.message_dict
    assert list(errors) == ["form_f_updated_on"]
    assert errors["form_f_updated_on"][0].startswith("Form F is out of date")
    assert not Meeting.objects.exists()


def test_a_stale_cpr_is_refused_saying_so(forum_child, social_worker, media_root):
    panel = TODAY() + dt.timedelta(days=14)
    with pytest.raises(ValidationError) as exc:
        _list_match(
            forum_child,
            social_worker,
            form_f=dates.add_months(TODAY(), -1),
            cpr=dates.add_months(panel, -6),
            panel=panel,
        )
    assert exc.value.message_dict["cpr_updated_on"][0].startswith(
        "The Child Permanence Report is out of date"
    )


def test_a_match_without_a_matching_report_is_refused(forum_child, social_worker, media_root):
    with pytest.raises(ValidationError) as exc:
        _list_match(
            forum_child,
            social_worker,
            form_f=dates.add_months(TODAY(), -1),
            cpr=dates.add_months(TODAY(), -1),
            report=False,
        )
    assert "Attach the matching report" in exc.value.message_dict["matching_report"][0]


def test_every_missing_paper_is_named_at_once(forum_child, social_worker, media_root):
    with pytest.raises(ValidationError) as exc:
        _list_match(forum_child, social_worker, form_f=None, cpr=None, report=False)
    assert set(exc.value.message_dict) == {
        "form_f_updated_on",
        "cpr_updated_on",
        "matching_report",
    }


def test_the_matching_panel_records_its_recommendation(forum_child, social_worker, media_root):
    meeting = _list_match(
        forum_child,
        social_worker,
        form_f=dates.add_months(TODAY(), -1),
        cpr=dates.add_months(TODAY(), -1),
        panel=TODAY(),
    )
    with pytest.raises(ValidationError):
        _record(meeting, social_worker)
    meeting = _record(meeting, social_worker, match_recommendation="recommended")
    assert meeting.get_match_recommendation_display() == "Match recommended"
    assert meeting.next_due_on is None


def test_meeting_factory_builds_a_scheduled_meeting():
    meeting = MeetingFactory()
    assert not meeting.is_held


def test_a_recommended_match_offers_to_record_permanence_achieved(
    client, forum_child, social_worker, media_root
):
    plan = PlanFactory(
        child=forum_child, route=Route.LONG_TERM_FOSTERING, status=Status.IN_IMPLEMENTATION
    )
    # Permanence is recorded as achieved only from its evidence: the approved, ratified match
    # and the placement.
    give_evidence(plan, by=social_worker)
    listed = _list_match(
        forum_child,
        social_worker,
        form_f=dates.add_months(TODAY(), -1),
        cpr=dates.add_months(TODAY(), -1),
        panel=TODAY(),
    )
    client.force_login(social_worker)
    page = client.get(listed.get_absolute_url()).content.decode()
    assert "Record that permanence was achieved" not in page  # not recommended yet

    meeting = _record(listed, social_worker, match_recommendation="recommended")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Once the agency decision maker has approved it" in page
    assert f'href="/plans/{plan.pk}/achieve/"' in page
    # The panel only recommends: the plan moves when someone records it, not before.
    plan.refresh_from_db()
    assert plan.status == Status.IN_IMPLEMENTATION


def test_a_match_not_recommended_offers_nothing(client, forum_child, social_worker, media_root):
    PlanFactory(child=forum_child, route=Route.LONG_TERM_FOSTERING, status=Status.IN_IMPLEMENTATION)
    meeting = _record(
        _list_match(
            forum_child,
            social_worker,
            form_f=dates.add_months(TODAY(), -1),
            cpr=dates.add_months(TODAY(), -1),
            panel=TODAY(),
        ),
        social_worker,
        match_recommendation="not_recommended",
    )
    client.force_login(social_worker)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Record that permanence was achieved" not in page
