"""Part 1 and Part 2 of the permanency forum (seed 000, SPEC §4)."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forums import services
from forums.models import Booking, Part1, Part1Status, Part2, part1_status
from forums.services import CPR_TASK, TaskInput
from permanence import dates
from permanence.models import Notification, Plan, PlanAction
from permanence.models.plans import Route, Status
from tests.factories.forums import (
    PART1_COMPLETE,
    BookingFactory,
    ForumSessionFactory,
    Part1Factory,
)
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(session, forum_child, social_worker):
    return BookingFactory(
        session=session,
        child=forum_child,
        requested_by=social_worker,
        status=Booking.Status.CONFIRMED,
    )


# -- Part 1 -----------------------------------------------------------------------------------


def test_part1_is_due_three_working_days_before_the_forum_at_five():
    # Monday 1 June 2026: Wednesday 27 May, 17:00 (003's "5pm Wednesday for Monday's panel").
    session = ForumSessionFactory.build(forum_date=dt.date(2026, 6, 1))
    assert session.part1_due_at.isoformat() == "2026-05-27T17:00:00+01:00"


def test_part1_due_skips_a_bank_holiday():
    # Wednesday 27 May 2026 forum: Friday 22 May (Monday 25 May is the spring bank holiday).
    session = ForumSessionFactory.build(forum_date=dt.date(2026, 5, 27))
    assert session.part1_due_at.date() == dt.date(2026, 5, 21)


def test_a_draft_saves_whatever_was_typed(booking, social_worker):
    part1 = services.part1_save(
        booking=booking, by=social_worker, reason_for_referral="Started", child_situation=""
    )
    assert part1.reason_for_referral == "Started"
    assert part1.submitted_at is None
    assert part1_status(booking) == Part1Status.DRAFT
    assert part1.history.first().history_change_reason == "Part 1 draft saved"


def test_submitting_an_incomplete_part1_names_every_gap(booking, social_worker):
    services.part1_save(booking=booking, by=social_worker, reason_for_referral="Started")
    with pytest.raises(ValidationError) as exc:
        services.part1_submit(booking=booking, by=social_worker)
    errors = exc.value.message_dict
    assert errors["child_situation"] == ["Describe the child's situation and needs"]
    assert errors["proposed_route"] == ["Select the proposed route to permanence"]
    assert "reason_for_referral" not in errors
    # The draft is still there, unsubmitted.
    part1 = Part1.objects.get(booking=booking)
    assert part1.reason_for_referral == "Started" and part1.submitted_at is None


def test_consultation_answers_need_views_or_reasons(booking, social_worker):
    fields = dict(PART1_COMPLETE, parents_consulted="no", parents_views="", child_views="")
    services.part1_save(booking=booking, by=social_worker, **fields)
    with pytest.raises(ValidationError) as exc:
        services.part1_submit(booking=booking, by=social_worker)
    errors = exc.value.message_dict
    assert errors["parents_views"] == ["Explain why the parents were not consulted"]
    assert errors["child_views"] == ["Explain why the child was not consulted"]


def test_submitting_part1_on_time_tells_cps_duty_and_the_chair(
    booking, social_worker, cps_duty, django_capture_on_commit_callbacks
):
    services.part1_save(booking=booking, by=social_worker, **PART1_COMPLETE)
    with django_capture_on_commit_callbacks(execute=True):
        part1 = services.part1_submit(booking=booking, by=social_worker)
    assert not part1.was_late
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.PART1_SUBMITTED
    assert part1_status(Booking.objects.get(pk=booking.pk)) == Part1Status.SUBMITTED
    subjects = set(
        Notification.objects.filter(subject__startswith="Part 1 submitted").values_list(
            "recipient__username", flat=True
        )
    )
    assert subjects == {cps_duty.username, booking.session.chair.username}


def test_late_submission_is_allowed_and_marked_late(
    chair, forum_child, social_worker, cps_duty, django_capture_on_commit_callbacks
):
    soon = ForumSessionFactory(
        chair=chair, forum_date=dates.add_working_days(timezone.localdate(), 1)
    )
    booking = BookingFactory(
        session=soon, child=forum_child, requested_by=social_worker, status=Booking.Status.CONFIRMED
    )
    assert part1_status(booking) == Part1Status.MISSING
    services.part1_save(booking=booking, by=social_worker, **PART1_COMPLETE)
    with django_capture_on_commit_callbacks(execute=True):
        part1 = services.part1_submit(booking=booking, by=social_worker)
    assert part1.was_late
    assert part1_status(Booking.objects.get(pk=booking.pk)) == Part1Status.SUBMITTED_LATE
    assert part1.history.first().history_change_reason == "Part 1 submitted late"
    assert Notification.objects.filter(
        recipient=cps_duty, subject__startswith="Part 1 submitted late"
    ).exists()


def test_a_submitted_part1_is_read_only(booking, social_worker):
    services.part1_save(booking=booking, by=social_worker, **PART1_COMPLETE)
    services.part1_submit(booking=booking, by=social_worker)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.part1_save(booking=booking, by=social_worker, reason_for_referral="Changed")
    assert Part1.objects.get(booking=booking).reason_for_referral != "Changed"


def test_only_the_childs_team_writes_part1(booking, other_social_worker, chair):
    for user in (other_social_worker, chair):
        with pytest.raises(PermissionDenied):
            services.part1_save(booking=booking, by=user, reason_for_referral="x")


def test_a_submission_just_before_the_deadline_is_on_time(booking, social_worker):
    services.part1_save(booking=booking, by=social_worker, **PART1_COMPLETE)
    due = booking.session.part1_due_at
    with mock.patch("django.utils.timezone.now", return_value=due):
        part1 = services.part1_submit(booking=booking, by=social_worker)
    assert not part1.was_late


# -- at the forum ------------------------------------------------------------------------------


@pytest.fixture
def at_forum(chair, forum_child, social_worker):
    """Today's forum: Part 1 submitted, the child's draft plan ready for the advice."""
    today = ForumSessionFactory(chair=chair, forum_date=timezone.localdate())
    booking = BookingFactory(
        session=today,
        child=forum_child,
        requested_by=social_worker,
        status=Booking.Status.PART1_SUBMITTED,
    )
    Part1Factory(booking=booking, submitted_at=timezone.now() - dt.timedelta(days=4))
    PlanFactory(child=forum_child, route=Route.ADOPTION, created_by=social_worker)
    return booking


def test_a_case_is_presented_on_the_day_not_before(chair, forum_child, social_worker):
    booking = BookingFactory(child=forum_child, status=Booking.Status.PART1_SUBMITTED)
    booking.session.chair = chair
    booking.session.save()
    with pytest.raises(ValidationError, match="on the day"):
        services.booking_present(booking=booking, by=chair)


def test_only_the_sessions_chair_records_presentation_and_part2(at_forum, social_worker):
    from permanence.roles import Role
    from tests.factories.permanence import UserFactory

    other_chair = UserFactory(team=None, role=Role.FORUM_CHAIR)
    for user in (social_worker, other_chair):
        with pytest.raises(PermissionDenied):
            services.booking_present(booking=at_forum, by=user)


def _part2(booking, chair, *, tasks, route=Route.ADOPTION, advice="Proceed with adoption."):
    return services.part2_save(
        booking=booking,
        by=chair,
        advice=advice,
        advised_route=route,
        advised_contingency_route=Route.LONG_TERM_FOSTERING,
        tasks=tasks,
    )


def test_part2_without_a_task_owner_is_refused(at_forum, chair):
    services.booking_present(booking=at_forum, by=chair)
    _part2(at_forum, chair, tasks=[])
    with pytest.raises(ValidationError) as exc:
        services.part2_send(booking=at_forum, by=chair)
    assert "Add at least one task" in exc.value.message_dict["task_1_what"][0]
    assert Booking.objects.get(pk=at_forum.pk).status == Booking.Status.PRESENTED
    assert not Part2.objects.get(booking=at_forum).is_sent


def test_a_route_outside_the_birth_family_needs_the_cpr_task(at_forum, chair, social_worker):
    services.booking_present(booking=at_forum, by=chair)
    due = timezone.localdate() + dt.timedelta(days=28)
    _part2(at_forum, chair, tasks=[TaskInput("Update the chronology", social_worker, due)])
    with pytest.raises(ValidationError) as exc:
        services.part2_send(booking=at_forum, by=chair)
    assert "Child Permanence Report" in exc.value.message_dict["cpr_owner"][0]


def test_no_cpr_is_asked_for_a_return_home(at_forum, chair, social_worker):
    services.booking_present(booking=at_forum, by=chair)
    due = timezone.localdate() + dt.timedelta(days=28)
    _part2(
        at_forum,
        chair,
        route=Route.RETURN_HOME,
        tasks=[TaskInput("Parenting assessment", social_worker, due)],
    )
    assert "cpr_owner" not in services.part2_errors(Part2.objects.get(booking=at_forum))


def test_part2_cannot_be_sent_before_the_case_is_presented(at_forum, chair, social_worker):
    due = timezone.localdate() + dt.timedelta(days=28)
    _part2(at_forum, chair, tasks=[TaskInput(CPR_TASK, social_worker, due, True)])
    with pytest.raises(ValidationError, match="presented"):
        services.part2_send(booking=at_forum, by=chair)


def test_sending_part2_presents_the_plan_makes_actions_and_copies_the_iro(
    at_forum, chair, social_worker, iro, team_manager, django_capture_on_commit_callbacks
):
    services.booking_present(booking=at_forum, by=chair)
    due = timezone.localdate() + dt.timedelta(days=42)
    _part2(
        at_forum,
        chair,
        tasks=[
            TaskInput(CPR_TASK, social_worker, due, True),
            TaskInput("Refer to the regional adoption agency", team_manager, due),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        part2 = services.part2_send(booking=at_forum, by=chair)

    assert part2.is_sent and part2.sent_by == chair
    assert Booking.objects.get(pk=at_forum.pk).status == Booking.Status.PART2_SENT
    plan = Plan.objects.get(child=at_forum.child)
    assert plan.status == Status.PRESENTED
    assert plan.presented_by == chair
    actions = PlanAction.objects.filter(plan=plan).order_by("pk")
    assert [a.what for a in actions] == [CPR_TASK, "Refer to the regional adoption agency"]
    assert {a.owner for a in actions} == {social_worker, team_manager}
    assert all("Permanency forum Part 2" in a.source for a in actions)
    assert list(part2.tasks.values_list("plan_action_id", flat=True)) == [a.pk for a in actions]
    # The social worker is told in the app and by e-mail; the IRO gets a copy.
    assert Notification.objects.filter(
        recipient=social_worker, subject__startswith="Part 2 from the permanency forum"
    ).exists()
    assert Notification.objects.filter(recipient=iro, subject__startswith="Copy of Part 2").exists()
    assert any(
        "Part 2 from the permanency forum" in m.subject and social_worker.email in m.to
        for m in mail.outbox
    )
    assert any("Copy of Part 2" in m.subject and iro.email in m.to for m in mail.outbox)


def test_a_sent_part2_cannot_be_changed(at_forum, chair, social_worker):
    services.booking_present(booking=at_forum, by=chair)
    due = timezone.localdate() + dt.timedelta(days=42)
    _part2(at_forum, chair, tasks=[TaskInput(CPR_TASK, social_worker, due, True)])
    services.part2_send(booking=at_forum, by=chair)
    with pytest.raises(ValidationError):
        _part2(at_forum, chair, tasks=[], advice="Changed")
    assert Part2.objects.get(booking=at_forum).advice == "Proceed with adoption."


def test_a_chair_cannot_send_part2_for_a_child_with_no_plan(
    chair, forum_child, social_worker, at_forum
):
    Plan.objects.filter(child=forum_child).delete()
    services.booking_present(booking=at_forum, by=chair)
    due = timezone.localdate() + dt.timedelta(days=42)
    _part2(at_forum, chair, tasks=[TaskInput(CPR_TASK, social_worker, due, True)])
    with pytest.raises(ValidationError, match="has no permanence plan yet"):
        services.part2_send(booking=at_forum, by=chair)
    # Nothing half-done: the booking is still presented, Part 2 still a draft.
    assert Booking.objects.get(pk=at_forum.pk).status == Booking.Status.PRESENTED
    assert not Part2.objects.get(booking=at_forum).is_sent


def test_a_plan_already_ratified_keeps_its_status_and_gains_the_actions(
    chair, forum_child, social_worker, at_forum
):
    plan = Plan.objects.get(child=forum_child)
    Plan.objects.filter(pk=plan.pk).delete()
    ratified = PlanFactory(
        child=forum_child, route=Route.ADOPTION, status=Status.RATIFIED, created_by=social_worker
    )
    services.booking_present(booking=at_forum, by=chair)
    due = timezone.localdate() + dt.timedelta(days=42)
    _part2(at_forum, chair, tasks=[TaskInput(CPR_TASK, social_worker, due, True)])
    services.part2_send(booking=at_forum, by=chair)
    ratified = Plan.objects.get(pk=ratified.pk)
    assert ratified.status == Status.RATIFIED
    assert ratified.actions.filter(what=CPR_TASK).exists()
