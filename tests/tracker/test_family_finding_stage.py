"""The tracker's family-finding stage for each child, with the days in it, and the measure of
days to a match (issue 14; seeds 000 "Matching", 003 "Family finding")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from permanence.models import (
    CarerHousehold,
    FamilyFindingAllocation,
    FamilySearch,
    OrderRecord,
    PotentialMatch,
)
from permanence.models.plans import Route, Status
from tests.factories.forums import MeetingFactory, meeting_type
from tests.factories.plans import PlanFactory
from tests.tracker.test_measures import row
from tracker.dashboard import family_finding
from tracker.dashboard.matching_measures import days_to_match
from tracker.dashboard.models import TrackerRow

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 2)


def _days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def _child_in_family_finding(team, by, route=Route.ADOPTION):
    tracker_row = row(team, route=route, plan_status=Status.IN_IMPLEMENTATION)
    plan = PlanFactory(
        child=tracker_row.child, route=route, status=Status.IN_IMPLEMENTATION, created_by=by
    )
    return tracker_row, plan


def _carer(team, by, name):
    return CarerHousehold.objects.create(
        name=name, kind=CarerHousehold.Kind.ADOPTERS, service=team.service, created_by=by
    )


def _stage(tracker_row):
    return family_finding.stages_for([tracker_row], today=TODAY).get(tracker_row.child_id)


def test_each_stage_in_turn_with_the_days_since_it_began(team, social_worker):
    tracker_row, plan = _child_in_family_finding(team, social_worker)
    assert _stage(tracker_row) is None  # no family finding yet: nothing shown
    FamilyFindingAllocation.objects.create(
        plan=plan,
        kind="family_finder",
        worker=social_worker,
        allocated_on=_days_ago(40),
        by=social_worker,
    )
    assert (_stage(tracker_row).code, _stage(tracker_row).days) == ("allocated", 40)
    FamilySearch.objects.create(plan=plan, started_on=_days_ago(30), recorded_by=social_worker)
    assert (_stage(tracker_row).code, _stage(tracker_row).days) == ("searching", 30)
    ruled_out = PotentialMatch.objects.create(
        plan=plan,
        carer=_carer(team, social_worker, "The Ashes"),
        considered_on=_days_ago(25),
        outcome=PotentialMatch.Outcome.RULED_OUT,
        reason="Too far",
        recorded_by=social_worker,
    )
    # A household ruled out is no potential match.
    assert _stage(tracker_row).code == "searching"
    match = PotentialMatch.objects.create(
        plan=plan,
        carer=_carer(team, social_worker, "The Hales"),
        considered_on=_days_ago(20),
        recorded_by=social_worker,
    )
    assert (_stage(tracker_row).code, _stage(tracker_row).days) == ("potential_match", 20)
    MeetingFactory(
        child=tracker_row.child,
        meeting_type=meeting_type("matching-meeting"),
        potential_match=ruled_out,
    )
    assert _stage(tracker_row).code == "potential_match"  # a meeting about a ruled-out match
    MeetingFactory(
        child=tracker_row.child,
        meeting_type=meeting_type("matching-meeting"),
        potential_match=match,
    )
    assert _stage(tracker_row).code == "matching_meeting"
    MeetingFactory(
        child=tracker_row.child, meeting_type=meeting_type("adoption-panel"), potential_match=match
    )
    assert _stage(tracker_row).label == "At panel"
    match.decision, match.decided_on = "approved", _days_ago(6)
    match.save()
    assert (_stage(tracker_row).code, _stage(tracker_row).days) == ("decision", 6)
    match.placed_on = _days_ago(2)
    match.save()
    assert (_stage(tracker_row).code, _stage(tracker_row).days) == ("placed", 2)
    tracker_row.plan_status, tracker_row.achieved_on = Status.ACHIEVED, _days_ago(1)
    assert (_stage(tracker_row).code, _stage(tracker_row).position) == ("achieved", 8)


def test_the_dashboard_row_shows_the_stage_and_its_days(client, team, head_of_service):
    tracker_row, plan = _child_in_family_finding(team, head_of_service)
    today = timezone.localdate()
    FamilyFindingAllocation.objects.create(
        plan=plan,
        kind="family_finder",
        worker=head_of_service,
        allocated_on=today - dt.timedelta(days=3),
        by=head_of_service,
    )
    client.force_login(head_of_service)
    page = client.get(reverse("tracker:dashboard")).content.decode()
    assert "Family finding, stage 1 of 8: family finder allocated, 3 days" in page


def test_days_to_a_match_from_care_the_placement_order_and_ratification(team, social_worker):
    adopted, plan = _child_in_family_finding(team, social_worker)
    TrackerRow.objects.filter(pk=adopted.pk).update(
        period_start=dt.date(2025, 1, 1), first_ratified_on=dt.date(2025, 6, 1)
    )
    OrderRecord.objects.create(
        child=adopted.child,
        plan=plan,
        kind=OrderRecord.Kind.PLACEMENT_ORDER,
        status=OrderRecord.Status.MADE,
        made_on=dt.date(2025, 7, 1),
        recorded_by=social_worker,
    )
    PotentialMatch.objects.create(
        plan=plan,
        carer=_carer(team, social_worker, "The Hales"),
        considered_on=dt.date(2025, 8, 1),
        decision="approved",
        decided_on=dt.date(2025, 9, 1),
        placed_on=dt.date(2025, 9, 21),
        recorded_by=social_worker,
    )
    fostered, ltf_plan = _child_in_family_finding(team, social_worker, Route.LONG_TERM_FOSTERING)
    TrackerRow.objects.filter(pk=fostered.pk).update(first_ratified_on=dt.date(2025, 8, 1))
    PotentialMatch.objects.create(
        plan=ltf_plan,
        carer=_carer(team, social_worker, "The Oaks"),
        considered_on=dt.date(2025, 8, 1),
        decision="approved",
        decided_on=dt.date(2025, 8, 11),
        recorded_by=social_worker,
    )
    measure = days_to_match(
        TrackerRow.objects.filter(team=team), dt.date(2025, 4, 1), dt.date(2026, 3, 31)
    )
    table = {cells[0]: cells[1:] for cells in measure.table.rows}
    assert table["Adoption: entering care to moving in with the family"][:2] == ["1", "263 days"]
    assert table["Adoption: placement order to the approved match"][:2] == ["1", "62 days"]
    assert table["Adoption: plan ratified to the approved match"][:2] == ["1", "92 days"]
    assert table["Long-term fostering: plan ratified to the approved match"][:2] == ["1", "10 days"]
    assert measure.summary == "2 children matched in the period"
    # The chart says the same in words for those who cannot see it.
    assert "placement order to the approved match: 62 days" in measure.chart.description
    # A match approved outside the period is not counted.
    later = days_to_match(
        TrackerRow.objects.filter(team=team), dt.date(2026, 4, 1), dt.date(2026, 6, 30)
    )
    assert later.summary == "No match approved in the period"


def test_the_family_finding_page_lists_only_the_readers_children(
    client, team, other_team, service, cps_duty, adoption_manager, fostering_manager, administrator
):
    from permanence.roles import Role
    from tests.factories.permanence import UserFactory

    finder = UserFactory(team=None, service=service, role=Role.FAMILY_FINDER)
    mine, my_plan = _child_in_family_finding(team, cps_duty)
    other, other_plan = _child_in_family_finding(other_team, cps_duty)
    for plan in (my_plan, other_plan):
        FamilySearch.objects.create(plan=plan, started_on=_days_ago(3), recorded_by=cps_duty)
    FamilyFindingAllocation.objects.create(
        plan=my_plan,
        kind="family_finder",
        worker=finder,
        allocated_on=timezone.localdate(),
        by=cps_duty,
    )
    url = reverse("tracker:family-finding")
    client.force_login(finder)
    page = client.get(url).content.decode()
    assert "The children you are allocated to as family finder" in page
    assert f"{mine.first_name} {mine.last_name}" in page
    assert f"{other.first_name} {other.last_name}" not in page
    # The adoption and fostering managers see every child of their service in family finding.
    for manager in (adoption_manager, fostering_manager):
        client.force_login(manager)
        page = client.get(url).content.decode()
        assert f"{mine.first_name} {mine.last_name}" in page
        assert f"{other.first_name} {other.last_name}" in page
        assert "Family finding" in page
    client.force_login(administrator)
    assert client.get(url).status_code == 403


def test_a_disrupted_plans_stage_is_said_as_history(client, team, head_of_service):
    """'Placed with the family, 980 days' beside 'Disrupted' contradicted itself."""
    tracker_row, plan = _child_in_family_finding(team, head_of_service)
    FamilyFindingAllocation.objects.create(
        plan=plan,
        kind="family_finder",
        worker=head_of_service,
        allocated_on=timezone.localdate() - dt.timedelta(days=300),
        by=head_of_service,
    )
    TrackerRow.objects.filter(pk=tracker_row.pk).update(plan_status=Status.DISRUPTED)
    client.force_login(head_of_service)
    page = client.get(reverse("tracker:dashboard")).content.decode()
    assert (
        "Family finding had reached stage 1 of 8 (family finder allocated) before the plan "
        "disrupted" in page
    )
    assert "family finder allocated, 300 days" not in page
