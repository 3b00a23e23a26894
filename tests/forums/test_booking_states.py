"""The booking's state machine (SPEC §4, seed 000): every allowed edge, every forbidden one, each
condition failing (the state machine, the page and the service all say no, the service saying
why), and a refused transition leaves the booking as it was."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed, can_proceed

from forums import services
from forums.models import Booking
from tests.factories.forums import BookingFactory, ForumSessionFactory, Part1Factory

pytestmark = pytest.mark.django_db

S = Booking.Status

# (transition, source, target)
ALLOWED = [
    ("confirm", S.REQUESTED, S.CONFIRMED),
    ("decline", S.REQUESTED, S.DECLINED),
    ("submit_part1", S.CONFIRMED, S.PART1_SUBMITTED),
    # Part 1 may go in before CPS duty confirms; the request stays a request (seed 000).
    ("submit_part1", S.REQUESTED, S.REQUESTED),
    ("present", S.PART1_SUBMITTED, S.PRESENTED),
    ("send_part2", S.PRESENTED, S.PART2_SENT),
    ("cancel", S.REQUESTED, S.CANCELLED),
    ("cancel", S.CONFIRMED, S.CANCELLED),
    ("cancel", S.PART1_SUBMITTED, S.CANCELLED),
    ("withdraw", S.REQUESTED, S.WITHDRAWN),
    ("withdraw", S.CONFIRMED, S.WITHDRAWN),
    ("withdraw", S.PART1_SUBMITTED, S.WITHDRAWN),
]
SOURCES = {name: {src for n, src, _ in ALLOWED if n == name} for name, _, _ in ALLOWED}
FORBIDDEN = [(name, state) for name in SOURCES for state in S.values if state not in SOURCES[name]]


def _args(name, user):
    if name == "confirm":
        return {"by": user}
    if name in ("decline", "cancel", "withdraw"):
        return {"by": user, "reason": "because"}
    return {}


def _today_forum(**kwargs):
    """A booking in today's forum, where every condition of every edge holds."""
    return BookingFactory(session__forum_date=timezone.localdate(), **kwargs)


@pytest.mark.parametrize(("name", "source", "target"), ALLOWED)
def test_allowed_edge(name, source, target, cps_duty):
    booking = _today_forum(status=source)
    assert can_proceed(getattr(booking, name))
    getattr(booking, name)(**_args(name, cps_duty))
    assert booking.status == target


@pytest.mark.parametrize(("name", "state"), FORBIDDEN)
def test_forbidden_edge(name, state, cps_duty):
    booking = _today_forum(status=state)
    assert not can_proceed(getattr(booking, name))
    with pytest.raises(TransitionNotAllowed):
        getattr(booking, name)(**_args(name, cps_duty))
    assert booking.status == state


def test_status_cannot_be_set_directly():
    booking = BookingFactory()
    with pytest.raises(AttributeError):
        booking.status = S.CONFIRMED


def test_refused_service_leaves_the_booking_as_it_was(cps_duty):
    booking = BookingFactory(status=S.DECLINED, decline_reason="No")
    with pytest.raises(ValidationError, match="declined"):
        services.booking_confirm(booking=booking, by=cps_duty)
    booking = Booking.objects.get(pk=booking.pk)
    assert booking.status == S.DECLINED
    assert booking.confirmed_at is None
    assert booking.history.count() == 1


def test_social_worker_cannot_confirm_their_own_request(social_worker, forum_child):
    booking = BookingFactory(child=forum_child, requested_by=social_worker)
    with pytest.raises(PermissionDenied):
        services.booking_confirm(booking=booking, by=social_worker)
    assert Booking.objects.get(pk=booking.pk).status == S.REQUESTED


def test_part1_goes_in_while_the_booking_awaits_confirmation_and_confirming_keeps_it_in(
    social_worker, forum_child, cps_duty
):
    part1 = Part1Factory(booking__child=forum_child, booking__status=S.REQUESTED)
    services.part1_submit(booking=part1.booking, by=social_worker)
    part1.refresh_from_db()
    assert part1.submitted_at is not None
    assert Booking.objects.get(pk=part1.booking_id).status == S.REQUESTED
    booking = services.booking_confirm(booking=part1.booking, by=cps_duty)
    assert booking.status == S.PART1_SUBMITTED
    assert Booking.objects.get(pk=part1.booking_id).confirmed_at is not None


# -- the forum's day: a condition of presenting (seed 000) --------------------------------------


@pytest.fixture
def submitted(chair, forum_child, social_worker):
    """Part 1 submitted for a forum ten working days ahead, chaired by `chair`."""
    booking = BookingFactory(
        session=ForumSessionFactory(chair=chair),
        child=forum_child,
        requested_by=social_worker,
        status=S.PART1_SUBMITTED,
    )
    Part1Factory(booking=booking, submitted_at=timezone.now())
    return booking


def _move_forum_to(booking, day):
    booking.session.forum_date = day
    booking.session.save()


def test_before_the_forum_day_the_state_machine_says_presenting_cannot_happen(submitted, chair):
    assert can_proceed(submitted.present, check_conditions=False)  # the state allows it
    assert not can_proceed(submitted.present)
    names = {t.name for t in submitted.get_available_user_status_transitions(chair)}
    assert "present" not in names
    with pytest.raises(TransitionNotAllowed):
        submitted.present()
    assert submitted.status == S.PART1_SUBMITTED


def test_before_the_forum_day_the_service_refuses_saying_when_the_forum_is(submitted, chair):
    day = submitted.session.forum_date
    with pytest.raises(ValidationError) as exc:
        services.booking_present(booking=submitted, by=chair)
    assert exc.value.messages == [
        f"The forum is on {day:%-d %B %Y}: a case can be recorded as presented on the day"
    ]
    booking = Booking.objects.get(pk=submitted.pk)
    assert booking.status == S.PART1_SUBMITTED
    assert booking.presented_at is None
    assert booking.history.count() == submitted.history.count()


def test_before_the_forum_day_the_pages_show_no_button_and_say_why(client, submitted, chair):
    client.force_login(chair)
    page = client.get(reverse("forums:booking-detail", args=[submitted.pk])).content.decode()
    assert "Record that the case was presented" not in page
    assert f"The forum is on {submitted.session.forum_date:%-d %B %Y}" in page
    agenda = client.get(reverse("forums:session-agenda", args=[submitted.session_id]))
    assert "case was presented" not in agenda.content.decode()


def test_on_the_forum_day_the_button_shows_and_the_case_is_presented(client, submitted, chair):
    _move_forum_to(submitted, timezone.localdate())
    client.force_login(chair)
    page = client.get(reverse("forums:booking-detail", args=[submitted.pk])).content.decode()
    assert "Record that the case was presented" in page
    assert "a case can be recorded as presented on the day" not in page
    agenda = client.get(reverse("forums:session-agenda", args=[submitted.session_id]))
    assert "Record that Ava's case was presented" in agenda.content.decode()
    response = client.post(reverse("forums:booking-present", args=[submitted.pk]))
    assert response.status_code == 302
    assert Booking.objects.get(pk=submitted.pk).status == S.PRESENTED


def test_after_the_forum_day_the_case_can_still_be_recorded_as_presented(submitted, chair):
    _move_forum_to(submitted, timezone.localdate() - dt.timedelta(days=1))
    services.booking_present(booking=submitted, by=chair)
    assert Booking.objects.get(pk=submitted.pk).status == S.PRESENTED


def test_the_social_worker_sees_no_present_button_even_on_the_day(client, submitted, social_worker):
    _move_forum_to(submitted, timezone.localdate())
    client.force_login(social_worker)
    page = client.get(reverse("forums:booking-detail", args=[submitted.pk])).content.decode()
    assert "Record that the case was presented" not in page
    assert "a case can be recorded as presented" not in page


def test_presenting_before_part1_is_submitted_says_so(chair, forum_child):
    booking = BookingFactory(
        session=ForumSessionFactory(chair=chair, forum_date=timezone.localdate()),
        child=forum_child,
        status=S.CONFIRMED,
    )
    with pytest.raises(ValidationError, match="Part 1 has not been submitted"):
        services.booking_present(booking=booking, by=chair)
    assert Booking.objects.get(pk=booking.pk).status == S.CONFIRMED


def test_cps_duty_sees_exactly_the_buttons_the_state_machine_offers(client, cps_duty):
    booking = _today_forum(status=S.REQUESTED)
    client.force_login(cps_duty)
    page = client.get(reverse("forums:booking-detail", args=[booking.pk])).content.decode()
    assert {t.name for t in booking.get_available_user_status_transitions(cps_duty)} == {
        "confirm",
        "decline",
        "cancel",
    }
    assert "Confirm the slot" in page and "Decline" in page and "Cancel the booking" in page
    assert "Withdraw the booking" not in page
