"""Booking a forum slot (seed 000, SPEC §4): opening sessions, requests, the connected-person
exemption, no double booking, and CPS duty's decisions."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forums import services
from forums.models import Booking, ForumSession, Pathway
from permanence import dates
from permanence.models import Notification
from tests.factories.forums import BookingFactory, ForumSessionFactory
from tests.factories.permanence import ChildFactory, EpisodeFactory

pytestmark = pytest.mark.django_db


def request(session, child, by, **kwargs):
    return services.booking_request(
        session=session, child=child, by=by, pathway=Pathway.BEFORE_SECOND_REVIEW, **kwargs
    )


# -- opening a session ------------------------------------------------------------------------


def test_cps_duty_opens_a_session_and_the_chair_is_told(
    cps_duty, chair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_open(
            by=cps_duty,
            forum_date=dates.add_working_days(timezone.localdate(), 5),
            start_time=dt.time(10),
            venue="Shirehall",
            chair=chair,
            slot_count=6,
        )
    assert session.history.first().history_user == cps_duty
    assert Notification.objects.filter(recipient=chair, subject__contains="chairing").exists()


def test_a_session_needs_a_forum_chair(cps_duty, social_worker):
    with pytest.raises(ValidationError) as exc:
        services.session_open(
            by=cps_duty,
            forum_date=timezone.localdate(),
            start_time=dt.time(10),
            venue="Shirehall",
            chair=social_worker,
            slot_count=6,
        )
    assert "chair" in exc.value.message_dict


def test_only_cps_duty_opens_sessions(social_worker, chair):
    with pytest.raises(PermissionDenied):
        services.session_open(
            by=social_worker,
            forum_date=timezone.localdate(),
            start_time=dt.time(10),
            venue="Shirehall",
            chair=chair,
            slot_count=6,
        )
    assert not ForumSession.objects.exists()


# -- requesting a slot ------------------------------------------------------------------------


def test_social_worker_requests_a_slot_and_cps_duty_is_told(
    session, forum_child, social_worker, cps_duty, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = request(session, forum_child, social_worker)
    assert booking.status == Booking.Status.REQUESTED
    assert booking.slot_number == 1
    assert booking.history.first().history_user == social_worker
    note = Notification.objects.get(recipient=cps_duty, subject__startswith="Forum slot requested")
    assert forum_child.child_id in note.subject
    # No child's name leaves the service by e-mail.
    email = next(m for m in mail.outbox if "Forum slot requested" in m.subject)
    assert forum_child.last_name not in email.subject + email.body


def test_slots_fill_in_order(session, team, social_worker):
    numbers = []
    for _ in range(3):
        child = ChildFactory(team=team)
        numbers.append(request(session, child, social_worker).slot_number)
    assert numbers == [1, 2, 3]


def test_a_full_session_is_refused_with_a_clear_message(session, team, social_worker):
    for _ in range(session.slot_count):
        request(session, ChildFactory(team=team), social_worker)
    extra = ChildFactory(team=team)
    with pytest.raises(ValidationError) as exc:
        request(session, extra, social_worker)
    assert "is full: all 4 slots are taken" in exc.value.message_dict["session"][0]
    assert not extra.forum_bookings.exists()


def test_a_freed_slot_can_be_booked_again(session, team, social_worker, cps_duty):
    bookings = [request(session, ChildFactory(team=team), social_worker) for _ in range(4)]
    services.booking_decline(booking=bookings[1], by=cps_duty, reason="Not ready")
    again = request(session, ChildFactory(team=team), social_worker)
    assert again.slot_number == 2


def test_a_past_session_is_refused(chair, forum_child, social_worker):
    past = ForumSessionFactory(chair=chair, forum_date=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        request(past, forum_child, social_worker)
    assert "already taken place" in exc.value.message_dict["session"][0]


def test_a_second_live_booking_for_the_same_child_in_the_session_is_refused(
    session, forum_child, social_worker
):
    request(session, forum_child, social_worker)
    with pytest.raises(ValidationError) as exc:
        request(session, forum_child, social_worker)
    assert "already booked into this session" in exc.value.message_dict["child"][0]
    assert forum_child.forum_bookings.count() == 1


def test_a_second_open_booking_in_another_session_is_refused(
    session, chair, forum_child, social_worker
):
    request(session, forum_child, social_worker)
    later = ForumSessionFactory(
        chair=chair, forum_date=dates.add_working_days(session.forum_date, 5)
    )
    with pytest.raises(ValidationError) as exc:
        request(later, forum_child, social_worker)
    assert "withdraw it before booking another session" in exc.value.message_dict["child"][0]


def test_after_withdrawing_the_child_can_be_booked_elsewhere(
    session, chair, forum_child, social_worker
):
    first = request(session, forum_child, social_worker)
    services.booking_withdraw(booking=first, by=social_worker, reason="Wrong date")
    later = ForumSessionFactory(
        chair=chair, forum_date=dates.add_working_days(session.forum_date, 5)
    )
    assert request(later, forum_child, social_worker).status == Booking.Status.REQUESTED


def test_the_database_refuses_two_live_bookings_of_one_slot(session, team):
    BookingFactory(session=session, slot_number=1)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            session=session,
            child=ChildFactory(team=team),
            slot_number=1,
            pathway=Pathway.BEFORE_SECOND_REVIEW,
            requested_by=session.chair,
        )


def test_a_worker_cannot_book_a_child_of_another_team(session, other_social_worker, forum_child):
    with pytest.raises(PermissionDenied):
        request(session, forum_child, other_social_worker)


# -- the connected-person exemption (seed 000) --------------------------------------------------


@pytest.fixture
def kinship_child(team, social_worker):
    child = ChildFactory(team=team, social_worker=social_worker, first_name="Ruby")
    EpisodeFactory(child=child, place="U3")
    return child


def test_a_child_placed_with_a_connected_person_is_refused_with_an_explanation(
    session, kinship_child, social_worker
):
    with pytest.raises(ValidationError) as exc:
        request(session, kinship_child, social_worker)
    message = exc.value.message_dict["connected_placement_broken_down"][0]
    assert "placed with a connected person" in message
    assert "Special Guardianship Order" in message
    assert not kinship_child.forum_bookings.exists()


def test_a_broken_down_connected_placement_needs_describing(session, kinship_child, social_worker):
    with pytest.raises(ValidationError) as exc:
        request(session, kinship_child, social_worker, connected_placement_broken_down=True)
    assert "breakdown_details" in exc.value.message_dict


def test_a_broken_down_connected_placement_may_be_booked(session, kinship_child, social_worker):
    booking = request(
        session,
        kinship_child,
        social_worker,
        connected_placement_broken_down=True,
        breakdown_details="Grandmother can no longer care for Ruby.",
    )
    assert booking.connected_placement_broken_down
    assert "Grandmother" in booking.breakdown_details


@pytest.mark.parametrize("place", ["U1", "U2", "U3"])
def test_every_connected_person_placement_type_is_exempt(session, team, social_worker, place):
    child = ChildFactory(team=team)
    EpisodeFactory(child=child, place=place)
    with pytest.raises(ValidationError):
        request(session, child, social_worker)


def test_other_foster_placements_are_not_exempt(session, team, social_worker):
    child = ChildFactory(team=team)
    EpisodeFactory(child=child, place="U4")
    assert request(session, child, social_worker).pk


def test_an_unborn_child_can_be_referred_by_their_mothers_request(session, team, social_worker):
    unborn = ChildFactory(
        team=team,
        date_of_birth=None,
        sex="",
        expected_date_of_birth=timezone.localdate() + dt.timedelta(days=60),
    )
    booking = services.booking_request(
        session=session, child=unborn, by=social_worker, pathway=Pathway.UNBORN_ADOPTION_REQUEST
    )
    assert booking.get_pathway_display().startswith("A mother has asked")


# -- CPS duty decides -------------------------------------------------------------------------


def test_cps_duty_confirms_and_the_worker_hears_when_part1_is_due(
    session, forum_child, social_worker, cps_duty, django_capture_on_commit_callbacks
):
    booking = request(session, forum_child, social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_confirm(booking=booking, by=cps_duty)
    booking = Booking.objects.get(pk=booking.pk)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.decided_by == cps_duty and booking.confirmed_at
    note = Notification.objects.get(recipient=social_worker, subject__contains="confirmed")
    assert f"{session.part1_due_at:%H:%M on %A %-d %B %Y}" in note.body


def test_cps_duty_declines_with_a_reason_the_worker_sees(
    session, forum_child, social_worker, cps_duty, django_capture_on_commit_callbacks
):
    booking = request(session, forum_child, social_worker)
    with pytest.raises(ValidationError):
        services.booking_decline(booking=booking, by=cps_duty, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_decline(booking=booking, by=cps_duty, reason="Book after the LPM")
    booking = Booking.objects.get(pk=booking.pk)
    assert booking.status == Booking.Status.DECLINED
    assert booking.decline_reason == "Book after the LPM"
    note = Notification.objects.get(recipient=social_worker, subject__contains="declined")
    assert "Book after the LPM" in note.body
    assert booking.history.first().history_change_reason == "Declined: Book after the LPM"


def test_cps_duty_cancels_and_the_slot_is_free(session, forum_child, social_worker, cps_duty):
    booking = request(session, forum_child, social_worker)
    services.booking_confirm(booking=booking, by=cps_duty)
    services.booking_cancel(booking=booking, by=cps_duty, reason="Chair unavailable")
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    assert not Booking.objects.live().filter(session=session).exists()


def test_only_the_childs_worker_withdraws(session, forum_child, social_worker, other_social_worker):
    booking = request(session, forum_child, social_worker)
    with pytest.raises(PermissionDenied):
        services.booking_withdraw(booking=booking, by=other_social_worker, reason="x")
