"""Matching (seeds 000, 003): the matching meeting, the adoption and fostering panels with their
bundle, the panel's recommendation, the agency decision maker's decision and the head of
service's ratification of a long-term fostering match."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models.meetings import PANEL_BUNDLE
from forums.services import matching
from permanence import dates
from permanence.models import CarerHousehold, PotentialMatch
from permanence.models.plans import Route, Status
from tests.factories.forums import meeting_type
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _report(name="matching.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 report", content_type="application/pdf")


def _match(child, by, *, kind=CarerHousehold.Kind.ADOPTERS, route=Route.ADOPTION, name="Hale"):
    plan = PlanFactory(child=child, route=route, status=Status.IN_IMPLEMENTATION, created_by=by)
    carer = CarerHousehold.objects.create(
        name=f"Mr and Mrs {name}", kind=kind, service=child.team.service, created_by=by
    )
    return PotentialMatch.objects.create(
        plan=plan, carer=carer, considered_on=TODAY() - dt.timedelta(days=20), recorded_by=by
    )


def _matching_meeting(child, by, match, *, held=True):
    meeting = services.meeting_schedule(
        meeting_type=meeting_type("matching-meeting"),
        child=child,
        by=by,
        scheduled_for=TODAY() - dt.timedelta(days=7) if held else TODAY(),
        arranged_by=by,
        chair=by,
        potential_match=match,
    )
    if held:
        meeting = services.meeting_record(
            meeting=meeting,
            by=by,
            held_on=meeting.scheduled_for,
            decisions="The Hales can meet Ava's long-term needs.",
            matching_report=_report(),
        )
    return meeting


def _papers(months_ago=1):
    day = dates.add_months(TODAY(), -months_ago)
    return {item.field: day for item in PANEL_BUNDLE if item.field != "matching_report"}


def _panel(child, by, match, code="adoption-panel", **papers):
    return services.meeting_schedule(
        meeting_type=meeting_type(code),
        child=child,
        by=by,
        scheduled_for=papers.pop("scheduled_for", TODAY()),
        potential_match=match,
        **(_papers() | papers),
    )


def _heard(
    meeting,
    by,
    recommendation="recommended",
    roles=("social_worker", "permanency_worker", "carers"),
):
    return services.meeting_record(
        meeting=meeting,
        by=by,
        held_on=meeting.scheduled_for,
        decisions="The panel recommends the match.",
        match_recommendation=recommendation,
        attended_roles=roles,
    )


def test_the_matching_meeting_names_who_arranged_and_chaired_it_and_keeps_its_report(
    forum_child, social_worker, media_root
):
    match = _match(forum_child, social_worker)
    with pytest.raises(ValidationError) as refused:
        services.meeting_schedule(
            meeting_type=meeting_type("matching-meeting"),
            child=forum_child,
            by=social_worker,
            scheduled_for=TODAY(),
        )
    assert set(refused.value.message_dict) == {"arranged_by", "chair", "potential_match"}
    meeting = _matching_meeting(forum_child, social_worker, match, held=False)
    with pytest.raises(ValidationError) as refused:
        services.meeting_record(
            meeting=meeting, by=social_worker, held_on=TODAY(), decisions="Agreed."
        )
    assert "Attach the matching report" in refused.value.message_dict["matching_report"][0]
    services.meeting_record(
        meeting=meeting,
        by=social_worker,
        held_on=TODAY(),
        decisions="Agreed.",
        matching_report=_report(),
    )
    meeting.refresh_from_db()
    match.refresh_from_db()
    assert meeting.arranged_by == social_worker and meeting.matching_report
    assert match.outcome == PotentialMatch.Outcome.PROCEEDING


def test_a_ruled_out_household_cannot_be_taken_to_a_matching_meeting(forum_child, social_worker):
    match = _match(forum_child, social_worker)
    match.outcome = PotentialMatch.Outcome.RULED_OUT
    match.save()
    with pytest.raises(ValidationError) as refused:
        _matching_meeting(forum_child, social_worker, match, held=False)
    assert "ruled out" in refused.value.message_dict["potential_match"][0]


def test_the_panel_hears_a_match_only_after_its_matching_meeting(
    forum_child, social_worker, media_root
):
    match = _match(forum_child, social_worker)
    with pytest.raises(ValidationError) as refused:
        _panel(forum_child, social_worker, match)
    assert "Hold the matching meeting" in refused.value.message_dict["potential_match"][0]
    _matching_meeting(forum_child, social_worker, match)
    panel = _panel(forum_child, social_worker, match)
    # The report written from the matching meeting is the bundle's first paper.
    assert panel.matching_report
    assert panel.potential_match == match and panel.match_carers == "Mr and Mrs Hale"


def test_adopters_go_to_the_adoption_panel_and_foster_carers_to_the_fostering_panel(
    forum_child, social_worker, media_root
):
    adopters = _match(forum_child, social_worker)
    _matching_meeting(forum_child, social_worker, adopters)
    with pytest.raises(ValidationError) as refused:
        _panel(forum_child, social_worker, adopters, "fostering-panel")
    assert "adoption panel" in refused.value.message_dict["potential_match"][0]


@pytest.mark.parametrize("item", [i for i in PANEL_BUNDLE if i.field != "matching_report"])
def test_every_paper_of_the_bundle_is_refused_beside_its_field_when_missing_or_stale(
    item, forum_child, social_worker, media_root
):
    fostering = _match(
        forum_child,
        social_worker,
        kind=CarerHousehold.Kind.IN_HOUSE,
        route=Route.LONG_TERM_FOSTERING,
    )
    _matching_meeting(forum_child, social_worker, fostering)
    with pytest.raises(ValidationError) as missing:
        _panel(forum_child, social_worker, fostering, "fostering-panel", **{item.field: None})
    assert list(missing.value.message_dict) == [item.field]
    assert missing.value.message_dict[item.field][0].startswith("Enter the date")
    stale = dates.add_months(TODAY(), -13)
    with pytest.raises(ValidationError) as old:
        _panel(forum_child, social_worker, fostering, "fostering-panel", **{item.field: stale})
    assert list(old.value.message_dict) == [item.field]
    assert "out of date" in old.value.message_dict[item.field][0]


def test_the_foster_home_review_is_not_asked_of_adopters(forum_child, social_worker, media_root):
    match = _match(forum_child, social_worker)
    _matching_meeting(forum_child, social_worker, match)
    panel = _panel(forum_child, social_worker, match, foster_home_review_on=None)
    assert panel.foster_home_review_on is None


def test_the_panel_records_attendance_by_role_and_writes_its_recommendation_on_the_match(
    forum_child, social_worker, media_root
):
    match = _match(forum_child, social_worker)
    _matching_meeting(forum_child, social_worker, match)
    panel = _panel(forum_child, social_worker, match)
    with pytest.raises(ValidationError) as refused:
        _heard(panel, social_worker, roles=("social_worker", "permanency_worker"))
    assert "the carers in the proposed match" in refused.value.message_dict["attended_roles"][0]
    _heard(panel, social_worker, roles=("social_worker", "permanency_worker", "carers", "child"))
    match.refresh_from_db()
    panel.refresh_from_db()
    assert match.panel_recommendation == "recommended" and match.panel_on == TODAY()
    assert panel.attended_labels[-1] == "The child"


def test_a_decision_before_the_panel_is_refused(forum_child, social_worker, media_root):
    match = _match(forum_child, social_worker)
    _matching_meeting(forum_child, social_worker, match)
    panel = _panel(forum_child, social_worker, match)
    with pytest.raises(ValidationError) as refused:
        matching.match_decision_record(
            meeting=panel,
            by=social_worker,
            decision="approved",
            decided_on=TODAY(),
            decided_by="Jo Bloggs, Assistant Director",
        )
    assert "after the panel" in refused.value.message_dict["decision"][0]
    match.refresh_from_db()
    assert match.decision == ""


def test_the_decision_makers_approval_after_the_panel_matches_the_household(
    forum_child, social_worker, media_root
):
    match = _match(forum_child, social_worker)
    _matching_meeting(forum_child, social_worker, match)
    panel = _heard(
        _panel(forum_child, social_worker, match, scheduled_for=TODAY() - dt.timedelta(days=3)),
        social_worker,
    )
    with pytest.raises(ValidationError) as early:
        matching.match_decision_record(
            meeting=panel,
            by=social_worker,
            decision="approved",
            decided_on=TODAY() - dt.timedelta(days=4),
            decided_by="Jo Bloggs",
        )
    assert "cannot come before the panel" in early.value.message_dict["decided_on"][0]
    matching.match_decision_record(
        meeting=panel,
        by=social_worker,
        decision="approved",
        decided_on=TODAY(),
        decided_by="Jo Bloggs, Assistant Director",
    )
    match.refresh_from_db()
    assert match.is_approved and match.outcome == PotentialMatch.Outcome.MATCHED
    assert match.decided_by == "Jo Bloggs, Assistant Director"


def test_only_the_head_of_service_ratifies_a_long_term_fostering_match(
    client, forum_child, social_worker, head_of_service, cps_duty, media_root
):
    match = _match(
        forum_child,
        social_worker,
        kind=CarerHousehold.Kind.IN_HOUSE,
        route=Route.LONG_TERM_FOSTERING,
    )
    _matching_meeting(forum_child, social_worker, match)
    panel = _heard(_panel(forum_child, social_worker, match, "fostering-panel"), social_worker)
    with pytest.raises(ValidationError) as before:
        matching.match_ratify(meeting=panel, by=head_of_service, ratified_on=TODAY())
    assert "approves the match before" in before.value.message_dict["ratified_on"][0]
    matching.match_decision_record(
        meeting=panel,
        by=social_worker,
        decision="approved",
        decided_on=TODAY(),
        decided_by="Jo Bloggs",
    )
    with pytest.raises(ValidationError) as not_hos:
        matching.match_ratify(meeting=panel, by=social_worker, ratified_on=TODAY())
    assert "Only the head of service" in not_hos.value.message_dict["ratified_on"][0]
    url = reverse("forums:match-ratify", args=[panel.pk])
    client.force_login(cps_duty)
    assert client.get(url).status_code in (403, 404)
    client.force_login(head_of_service)
    page = client.get(panel.get_absolute_url()).content.decode()
    assert "Ratify the match" in page
    response = client.post(
        url,
        {
            "ratified_on_0": TODAY().day,
            "ratified_on_1": TODAY().month,
            "ratified_on_2": TODAY().year,
        },
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.ratified_by_hos == head_of_service and match.ratified_on == TODAY()


def test_the_decision_page_refuses_a_date_before_the_panel_beside_the_field(
    client, forum_child, social_worker, media_root
):
    match = _match(forum_child, social_worker)
    _matching_meeting(forum_child, social_worker, match)
    panel = _heard(_panel(forum_child, social_worker, match), social_worker)
    client.force_login(social_worker)
    page = client.get(panel.get_absolute_url()).content.decode()
    assert "Record the agency decision maker" in page
    early = TODAY() - dt.timedelta(days=1)
    response = client.post(
        reverse("forums:match-decision", args=[panel.pk]),
        {
            "decision": "approved",
            "decided_on_0": early.day,
            "decided_on_1": early.month,
            "decided_on_2": early.year,
            "decided_by": "Jo Bloggs",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The decision cannot come before the panel" in body
    assert 'value="Jo Bloggs"' in body
