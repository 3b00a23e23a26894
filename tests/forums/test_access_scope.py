"""CPS duty's scope, decided once (forums.access), and the people told about a child all able to
open it (SPEC §1)."""

import datetime as dt

import pytest
from django.utils import timezone

from forums.services.disruptions import disruption_record
from permanence.models import Notification
from permanence.roles import Role
from permanence.selectors import children_for_user
from reviews.models import Ppn1
from tests.factories.forums import BookingFactory, DisruptionFactory, MeetingFactory, meeting_type
from tests.factories.permanence import ChildFactory, ServiceFactory, TeamFactory, UserFactory
from tests.factories.plans import PlanActionFactory, PlanFactory
from tests.factories.reviews import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def far_team():
    return TeamFactory(name="Far team", service=ServiceFactory(name="Elsewhere"))


def test_cps_duty_sees_every_booked_child_and_the_placement_searches_of_its_service(
    cps_duty, team, far_team
):
    booked_far = BookingFactory(child=ChildFactory(team=far_team)).child
    disrupted_here = DisruptionFactory(child=ChildFactory(team=team)).child
    matching_here = MeetingFactory(
        child=ChildFactory(team=team), meeting_type=meeting_type("matching-panel")
    ).child
    DisruptionFactory(child=ChildFactory(team=far_team))  # another service's search
    MeetingFactory(child=ChildFactory(team=far_team), meeting_type=meeting_type("matching-panel"))
    ChildFactory(team=team)  # the service's caseload at large

    assert set(children_for_user(user=cps_duty)) == {booked_far, disrupted_here, matching_here}


def test_a_cps_duty_desk_with_no_service_searches_for_every_service(far_team):
    desk = UserFactory(team=None, service=None, role=Role.CPS_DUTY)
    disrupted = DisruptionFactory(child=ChildFactory(team=far_team)).child

    assert list(children_for_user(user=desk)) == [disrupted]


def test_cps_duty_of_another_service_is_not_told_of_a_disruption(
    social_worker, team, cps_duty, far_team, django_capture_on_commit_callbacks
):
    far_desk = UserFactory(team=None, service=far_team.service, role=Role.CPS_DUTY)
    here_desk = UserFactory(team=None, service=team.service, role=Role.CPS_DUTY)
    child = ChildFactory(team=team, social_worker=social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        disruption_record(
            child=child,
            by=social_worker,
            disrupted_on=timezone.localdate() - dt.timedelta(days=1),
            carer_name="Ms Carer",
            details="The placement broke down.",
        )

    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert {cps_duty.pk, here_desk.pk} <= told
    assert far_desk.pk not in told


def test_whoever_is_given_a_plan_action_may_open_the_child(team, far_team):
    owner = UserFactory(team=far_team, role=Role.SOCIAL_WORKER)
    child = ChildFactory(team=team)
    PlanActionFactory(plan=PlanFactory(child=child), owner=owner)

    assert list(children_for_user(user=owner)) == [child]


def test_the_managers_a_ppn1_went_to_may_open_the_child(team, far_team, iro):
    manager = UserFactory(team=far_team, role=Role.TEAM_MANAGER)
    child = ChildFactory(team=team, iro=iro)
    plan = PlanFactory(child=child)
    Ppn1.objects.create(
        review=ReviewFactory(child=child),
        child=child,
        plan=plan,
        route=plan.route,
        plan_summary="Adoption.",
        family_finding=Ppn1.FamilyFinding.NONE,
        recommendations="Book the meeting.",
        adoption_manager=manager,
        fostering_manager=manager,
        completed_by=iro,
        completed_on=child.date_of_birth,
    )

    assert child in set(children_for_user(user=manager))


def test_the_administrator_sees_no_child_whatever_records_exist(administrator, team):
    child = ChildFactory(team=team)
    BookingFactory(child=child)
    DisruptionFactory(child=child)

    assert not children_for_user(user=administrator).exists()
