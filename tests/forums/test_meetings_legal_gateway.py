"""Legal Gateway Panel: the referral's papers and initial plan, ratification on the plan's
history, assessments with owners, and the Stage 1 notice (seed 004)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Meeting, MeetingAssessment
from forums.services import AssessmentInput
from permanence.models import Notification
from permanence.models.plans import Route
from permanence.plans.selectors import plan_history
from tests.factories.forums import meeting_type
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
PAPERS = ["cultural_genogram", "chronology", "referral_form", "assessment"]
PLAN = "Return home under a supervision order; adoption as the contingency."


def _refer(child, by, **kwargs):
    kwargs.setdefault("initial_plan", PLAN)
    kwargs.setdefault("papers", PAPERS)
    return services.meeting_schedule(
        meeting_type=meeting_type("legal-gateway"),
        child=child,
        by=by,
        scheduled_for=kwargs.pop("scheduled_for", TODAY()),
        **kwargs,
    )


def _hear(meeting, by, **kwargs):
    kwargs.setdefault("held_on", meeting.scheduled_for)
    kwargs.setdefault("decisions", "Proceedings to be issued.")
    kwargs.setdefault("gateway_decision", Meeting.GatewayDecision.CARE_PROCEEDINGS)
    kwargs.setdefault("plan_ratified", True)
    return services.meeting_record(meeting=meeting, by=by, **kwargs)


def _errors(exc) -> dict:
    return {field: " ".join(messages) for field, messages in exc.value.message_dict.items()}


def test_the_referral_carries_the_initial_plan_and_every_paper(forum_child, social_worker):
    meeting = _refer(forum_child, social_worker)
    assert meeting.initial_plan == PLAN
    assert meeting.paper_labels == [
        "Cultural genogram",
        "Chronology",
        "Referral form, with the initial permanence plan",
        "Most recent child and family assessment",
    ]


def test_missing_papers_are_named_and_nothing_is_saved(forum_child, social_worker):
    with pytest.raises(ValidationError) as exc:
        _refer(forum_child, social_worker, initial_plan=" ", papers=["chronology"])
    errors = _errors(exc)
    assert errors["initial_plan"] == "Enter the initial permanence plan the referral carries"
    assert errors["papers"] == (
        "The panel cannot hear the case without all its papers. Still missing: cultural "
        "genogram; referral form, with the initial permanence plan; most recent child and "
        "family assessment"
    )
    assert not Meeting.objects.exists()


def test_the_ratified_initial_plan_shows_on_the_plans_history(forum_child, social_worker):
    plan = PlanFactory(child=forum_child, created_by=social_worker)
    _hear(_refer(forum_child, social_worker), social_worker)
    reasons = [entry.reason for entry in plan_history(plan=plan)]
    assert any(
        "Initial permanence plan ratified at the Legal Gateway Panel on" in (r or "")
        for r in reasons
    )


def test_a_plan_not_ratified_leaves_the_plans_history_alone(forum_child, social_worker):
    plan = PlanFactory(child=forum_child, created_by=social_worker)
    before = len(plan_history(plan=plan))
    meeting = _hear(_refer(forum_child, social_worker), social_worker, plan_ratified=False)
    assert meeting.plan_ratified is False
    assert len(plan_history(plan=plan)) == before


def test_the_panel_must_say_whether_it_ratified_the_plan(forum_child, social_worker):
    meeting = _refer(forum_child, social_worker)
    with pytest.raises(ValidationError) as exc:
        _hear(meeting, social_worker, plan_ratified=None)
    assert _errors(exc)["plan_ratified"] == "Select whether the panel ratified the initial plan"


def test_any_number_of_assessments_each_with_an_owner(forum_child, social_worker, team_manager):
    due = TODAY() + dt.timedelta(weeks=8)
    kinds = ["parenting", "sibling", "viability", "psychological", "drug_alcohol", "other"]
    meeting = _hear(
        _refer(forum_child, social_worker),
        social_worker,
        assessments=[AssessmentInput(kind, due, owner=team_manager) for kind in kinds],
    )
    assert meeting.assessments.count() == 6
    assert {a.owner for a in meeting.assessments.all()} == {team_manager}
    assert Notification.objects.filter(
        recipient=team_manager, subject__contains="An assessment from the Legal Gateway"
    ).exists()


def test_an_assessment_without_an_owner_is_refused(forum_child, social_worker):
    meeting = _refer(forum_child, social_worker)
    with pytest.raises(ValidationError) as exc:
        _hear(meeting, social_worker, assessments=[AssessmentInput("parenting", TODAY())])
    assert _errors(exc)["assessment_1_owner"] == "Select who owns assessment 1"
    assert not MeetingAssessment.objects.exists()


def test_an_assessment_is_completed_once(forum_child, social_worker):
    meeting = _hear(
        _refer(forum_child, social_worker),
        social_worker,
        assessments=[AssessmentInput("parenting", TODAY(), owner=social_worker)],
    )
    assessment = meeting.assessments.get()
    services.meeting_assessment_complete(
        assessment=assessment, by=social_worker, completed_on=TODAY()
    )
    assert MeetingAssessment.objects.get(pk=assessment.pk).completed_on == TODAY()
    with pytest.raises(ValidationError):
        services.meeting_assessment_complete(
            assessment=assessment, by=social_worker, completed_on=TODAY()
        )


@pytest.mark.parametrize(
    ("decision", "contingency", "sent"),
    [
        (Meeting.GatewayDecision.CARE_PROCEEDINGS, True, True),
        (Meeting.GatewayDecision.CARE_PROCEEDINGS, False, False),
        (Meeting.GatewayDecision.PRE_PROCEEDINGS, True, False),
    ],
)
def test_the_stage1_notice_goes_only_on_issuing_with_an_adoption_contingency(
    forum_child, social_worker, team_manager, decision, contingency, sent
):
    meeting = _hear(
        _refer(forum_child, social_worker),
        team_manager,
        gateway_decision=decision,
        adoption_contingency=contingency,
    )
    assert (meeting.stage1_notice_sent_on == TODAY()) is sent
    told = Notification.objects.filter(
        recipient=social_worker, subject__contains="Stage 1 notice"
    ).exists()
    assert told is sent


# -- through the pages -----------------------------------------------------------------------


def _date(name, day):
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_the_pages_refer_hear_and_complete_an_assessment(client, forum_child, social_worker):
    PlanFactory(
        child=forum_child,
        created_by=social_worker,
        route=Route.RETURN_HOME,
        contingency_route=Route.ADOPTION,
    )
    client.force_login(social_worker)
    gateway = meeting_type("legal-gateway")
    url = reverse("forums:meeting-create") + f"?child={forum_child.pk}&type={gateway.pk}"
    response = client.post(url, {**_date("scheduled_for", TODAY()), "papers": ["chronology"]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter the initial permanence plan the referral carries" in page
    assert "Still missing: cultural genogram" in page
    response = client.post(
        url, {**_date("scheduled_for", TODAY()), "papers": PAPERS, "initial_plan": PLAN}
    )
    meeting = Meeting.objects.get(child=forum_child)
    record = reverse("forums:meeting-record", args=[meeting.pk])
    # The plan's contingency is adoption: the box starts ticked.
    assert client.get(record).context["form"].initial["adoption_contingency"] is True
    data = {
        **_date("held_on", TODAY()),
        "decisions": "Issue proceedings.",
        "gateway_decision": "care_proceedings",
        "plan_ratified": "yes",
        "adoption_contingency": "on",
        "assessment_1_kind": "parenting",
        **_date("assessment_1_due_on", TODAY() + dt.timedelta(weeks=6)),
    }
    response = client.post(record, data)
    assert response.status_code == 400
    assert "Select who owns assessment 1" in response.content.decode()
    response = client.post(record, {**data, "assessment_1_owner": social_worker.pk}, follow=True)
    page = response.content.decode()
    assert "Ratified by the panel" in page
    assert f"Sent on {TODAY():%-d %B %Y}" in page
    assessment = MeetingAssessment.objects.get(meeting=meeting)
    done = reverse("forums:meeting-assessment-done", args=[meeting.pk, assessment.pk])
    page = client.post(done, follow=True).content.decode()
    assert "Parenting assessment (including PAMS if required) is complete." in page
