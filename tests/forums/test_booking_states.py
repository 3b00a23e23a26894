"""The booking's state machine (SPEC §4, seed 000): every allowed edge, every forbidden one, and
a refused transition leaves the booking as it was."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed

from forums import services
from forums.models import Booking
from tests.factories.forums import BookingFactory, Part1Factory

pytestmark = pytest.mark.django_db

S = Booking.Status

# (transition, source, target)
ALLOWED = [
    ("confirm", S.REQUESTED, S.CONFIRMED),
    ("decline", S.REQUESTED, S.DECLINED),
    ("submit_part1", S.CONFIRMED, S.PART1_SUBMITTED),
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


@pytest.mark.parametrize(("name", "source", "target"), ALLOWED)
def test_allowed_edge(name, source, target, cps_duty):
    booking = BookingFactory(status=source)
    getattr(booking, name)(**_args(name, cps_duty))
    assert booking.status == target


@pytest.mark.parametrize(("name", "state"), FORBIDDEN)
def test_forbidden_edge(name, state, cps_duty):
    booking = BookingFactory(status=state)
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


def test_part1_submission_is_refused_while_the_booking_is_only_requested(
    social_worker, forum_child
):
    part1 = Part1Factory(booking__child=forum_child, booking__status=S.REQUESTED)
    with pytest.raises(ValidationError, match="not confirmed this booking yet"):
        services.part1_submit(booking=part1.booking, by=social_worker)
    part1.refresh_from_db()
    assert part1.submitted_at is None
    assert Booking.objects.get(pk=part1.booking_id).status == S.REQUESTED
