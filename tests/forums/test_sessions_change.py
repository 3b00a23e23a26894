"""CPS duty changes or cancels a permanency forum session (seed 000, SPEC §4): the chair is ill,
the room is lost, the day moves. Part 1 falls due against the new date, those booked are told,
and a cancelled forum takes no more bookings but stays on record."""

import datetime as dt
import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from forums import selectors, services
from forums.forms import BookingForm
from forums.models import Booking, ForumSession, Part1Status, Pathway, part1_status
from forums.services import sessions as session_services
from permanence import dates
from permanence.models import Child, Notification, User
from permanence.roles import Role
from tests.factories.forums import (
    BookingFactory,
    ForumSessionFactory,
    Part1Factory,
    working_days_ahead,
)
from tests.factories.permanence import ChildFactory, EpisodeFactory, UserFactory
from tracker.models import Deadline

pytestmark = pytest.mark.django_db

REASON = "The chair is ill."


def signed_in(client, user):
    client.force_login(user)
    return client


def _date_fields(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def looked_after_child(team, worker, **fields):
    child = ChildFactory(team=team, social_worker=worker, **fields)
    EpisodeFactory(child=child, decom=timezone.localdate() - dt.timedelta(days=120), place="U6")
    return child


def cut_off(day: dt.date) -> dt.datetime:
    """17:00 three working days before the forum (seed 000), worked out independently."""
    return dates.working_day_cutoff(day, 3, hour=17)


def stored_part1_deadline(child) -> Deadline | None:
    return Deadline.objects.filter(child=child, rule__code="part1_submitted", current=True).first()


def notes_for(user, text="permanency forum"):
    """What the forum told this user (the tracker may also tell them of other deadlines)."""
    return list(Notification.objects.filter(recipient=user, subject__contains=text))


# -- changing a session: the service ------------------------------------------------------------


def test_moving_the_forum_moves_part1_cut_off_and_the_stored_deadline(
    session, forum_child, social_worker, cps_duty, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        BookingFactory(
            session=session,
            child=forum_child,
            requested_by=social_worker,
            status=Booking.Status.CONFIRMED,
        )
    before = stored_part1_deadline(forum_child)
    assert before is not None and before.due == cut_off(session.forum_date).date()

    later = working_days_ahead(20)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, by=cps_duty, forum_date=later, reason=REASON)

    session.refresh_from_db()
    assert session.forum_date == later
    assert session.part1_due_at == cut_off(later)
    after = stored_part1_deadline(forum_child)
    assert after.due == cut_off(later).date()
    assert after.due != before.due
    assert session.history.first().history_change_reason == f"Session changed: {REASON}"
    assert session.history.first().history_user == cps_duty


def test_moving_the_forum_tells_each_worker_and_the_chair_after_commit(
    session, forum_child, social_worker, chair, cps_duty, team, django_capture_on_commit_callbacks
):
    BookingFactory(session=session, child=forum_child, requested_by=social_worker, slot_number=1)
    other_worker = UserFactory(team=team, role=Role.SOCIAL_WORKER)
    other = looked_after_child(team, other_worker)
    BookingFactory(session=session, child=other, requested_by=other_worker, slot_number=2)
    later = working_days_ahead(15)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.session_update(
            session=session, by=cps_duty, forum_date=later, start_time=dt.time(14), reason=REASON
        )
    assert not Notification.objects.filter(subject__contains="forum").exists()  # not yet saved
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    [note] = notes_for(social_worker)
    assert "has changed" in note.subject
    assert f"{later:%A %-d %B %Y} at 14:00" in note.body
    assert REASON in note.body
    assert f"Child {forum_child.child_id} is in slot 1 at 14:00" in note.body
    assert f"Part 1 is due by {cut_off(later):%H:%M on %A %-d %B %Y}" in note.body
    assert len(notes_for(other_worker)) == 1
    assert len(notes_for(chair)) == 1
    assert not notes_for(cps_duty)
    assert sorted(m.to[0] for m in mail.outbox if "permanency forum" in m.subject) == sorted(
        [social_worker.email, other_worker.email, chair.email]
    )


def test_a_new_chair_is_told_and_the_old_one_released(
    session,
    forum_child,
    social_worker,
    chair,
    cps_duty,
    service,
    django_capture_on_commit_callbacks,
):
    BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    deputy = UserFactory(team=None, service=service, role=Role.FORUM_CHAIR)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, by=cps_duty, chair=deputy, reason=REASON)
    session.refresh_from_db()
    assert session.chair == deputy
    assert len(notes_for(deputy, "You are chairing the permanency forum")) == 1
    assert len(notes_for(chair, "no longer chair")) == 1
    assert len(notes_for(social_worker)) == 1


def test_only_a_forum_chair_can_chair(session, cps_duty, social_worker):
    with pytest.raises(ValidationError) as exc:
        services.session_update(session=session, by=cps_duty, chair=social_worker, reason=REASON)
    assert "is not a forum chair" in exc.value.message_dict["chair"][0]


def test_a_submitted_part1_stays_submitted_and_is_judged_against_the_new_cut_off(
    client, chair, forum_child, social_worker, cps_duty
):
    # Two working days ahead: Part 1, due three working days before, was late when it came in.
    soon = ForumSessionFactory(chair=chair, forum_date=working_days_ahead(2))
    part1 = Part1Factory(
        booking=BookingFactory(
            session=soon,
            child=forum_child,
            requested_by=social_worker,
            status=Booking.Status.PART1_SUBMITTED,
        ),
        submitted_at=timezone.now(),
        submitted_by=social_worker,
    )
    booking = part1.booking
    assert part1_status(booking) == Part1Status.SUBMITTED_LATE

    later = working_days_ahead(12)
    services.session_update(session=soon, by=cps_duty, forum_date=later, reason=REASON)

    booking = Booking.objects.get(pk=booking.pk)
    assert booking.status == Booking.Status.PART1_SUBMITTED
    assert booking.part1.submitted_at == part1.submitted_at
    assert part1_status(booking) == Part1Status.SUBMITTED
    page = signed_in(client, social_worker).get(booking.get_absolute_url())
    assert page.status_code == 200
    assert f"Due by {cut_off(later):%H:%M, %A %-d %B %Y}" in page.content.decode()


def test_too_few_slots_for_the_children_booked_is_refused(session, team, social_worker, cps_duty):
    for _ in range(3):
        BookingFactory(session=session, child=ChildFactory(team=team))
    with pytest.raises(ValidationError) as exc:
        services.session_update(session=session, by=cps_duty, slots=2, reason=REASON)
    assert exc.value.message_dict["slots"] == [
        "3 children are booked into this forum: it needs at least 3 slots"
    ]
    session.refresh_from_db()
    assert session.slot_count == 4


def test_fewer_slots_moves_a_booking_beyond_the_last_into_a_free_one(
    session, team, social_worker, cps_duty
):
    first = BookingFactory(session=session, child=ChildFactory(team=team), slot_number=1)
    last = BookingFactory(session=session, child=ChildFactory(team=team), slot_number=4)
    services.session_update(session=session, by=cps_duty, slots=2, reason="Smaller room.")
    first.refresh_from_db()
    last.refresh_from_db()
    assert (first.slot_number, last.slot_number) == (1, 2)
    rows = selectors.session_slots(session=ForumSession.objects.get(pk=session.pk))
    assert [r.booking for r in rows] == [first, last]
    assert "Moved from slot 4 to slot 2" in last.history.first().history_change_reason


def test_a_date_in_the_past_is_refused(session, cps_duty):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.session_update(session=session, by=cps_duty, forum_date=yesterday, reason=REASON)
    assert exc.value.message_dict["forum_date"] == [
        "The date of the forum must be today or in the future"
    ]
    assert ForumSession.objects.get(pk=session.pk).forum_date == session.forum_date


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_change_needs_a_reason(session, cps_duty, reason):
    with pytest.raises(ValidationError) as exc:
        services.session_update(session=session, by=cps_duty, venue="Room 9", reason=reason)
    assert exc.value.message_dict["reason"] == ["Enter the reason for changing the session"]
    assert ForumSession.objects.get(pk=session.pk).venue == session.venue


def test_a_change_that_changes_nothing_is_refused(session, cps_duty):
    with pytest.raises(ValidationError, match="Nothing has changed"):
        services.session_update(session=session, by=cps_duty, venue=session.venue, reason=REASON)
    assert session.history.count() == 1


@pytest.mark.parametrize("who", ["chair", "social_worker", "head_of_service", "team_manager"])
def test_only_cps_duty_changes_a_session(request, session, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.session_update(session=session, by=user, venue="Room 9", reason=REASON)
    assert ForumSession.objects.get(pk=session.pk).venue == session.venue


def test_a_forum_that_has_sat_cannot_be_changed(chair, forum_child, cps_duty):
    today = ForumSessionFactory(chair=chair, forum_date=timezone.localdate())
    BookingFactory(session=today, child=forum_child, status=Booking.Status.PRESENTED)
    with pytest.raises(ValidationError, match="has been held"):
        services.session_update(
            session=today, by=cps_duty, forum_date=working_days_ahead(5), reason=REASON
        )


# -- cancelling a session: the service ----------------------------------------------------------


def test_cancelling_cancels_every_live_booking_and_tells_each_worker_once(
    session, forum_child, social_worker, chair, cps_duty, team, django_capture_on_commit_callbacks
):
    requested = BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    other_worker = UserFactory(team=team, role=Role.SOCIAL_WORKER)
    other = looked_after_child(team, other_worker)
    submitted = BookingFactory(
        session=session,
        child=other,
        requested_by=other_worker,
        status=Booking.Status.PART1_SUBMITTED,
    )
    withdrawn = BookingFactory(
        session=session, child=ChildFactory(team=team), status=Booking.Status.WITHDRAWN
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, by=cps_duty, reason="The chair is ill")

    session.refresh_from_db()
    assert session.is_cancelled
    assert (session.cancelled_by, session.cancelled_reason) == (cps_duty, "The chair is ill")
    for booking in (requested, submitted):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CANCELLED
        assert booking.ended_by == cps_duty
        assert "The chair is ill" in booking.ended_reason
    withdrawn.refresh_from_db()
    assert withdrawn.status == Booking.Status.WITHDRAWN

    day = f"{session.forum_date:%A %-d %B %Y}"
    [note] = notes_for(social_worker)
    assert note.body == (
        f"The permanency forum on {day} is cancelled: The chair is ill. "
        f"Book child {forum_child.child_id} into another forum."
    )
    assert note.link == requested.get_absolute_url()
    assert len(notes_for(other_worker)) == 1
    assert len(notes_for(chair, "is cancelled")) == 1
    assert sorted(m.to[0] for m in mail.outbox if "permanency forum" in m.subject) == sorted(
        [social_worker.email, other_worker.email, chair.email]
    )


def test_a_worker_with_two_children_in_the_forum_is_told_once_about_both(
    session, team, social_worker, cps_duty, django_capture_on_commit_callbacks
):
    first = looked_after_child(team, social_worker)
    second = looked_after_child(team, social_worker)
    BookingFactory(session=session, child=first, requested_by=social_worker)
    BookingFactory(session=session, child=second, requested_by=social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, by=cps_duty, reason="Room flooded")
    [note] = notes_for(social_worker)
    assert f"Book child {first.child_id} and child {second.child_id} into another forum" in (
        note.body
    )


def test_cancelling_removes_the_part1_deadline(
    session, forum_child, social_worker, cps_duty, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        BookingFactory(
            session=session,
            child=forum_child,
            requested_by=social_worker,
            status=Booking.Status.CONFIRMED,
        )
    assert stored_part1_deadline(forum_child) is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, by=cps_duty, reason="The chair is ill")
    # No forum to come: no Part 1 is due, so nobody is chased for one.
    assert stored_part1_deadline(forum_child) is None


def test_a_cancelled_forum_takes_no_bookings_and_leaves_the_open_list(
    session, forum_child, social_worker, cps_duty, chair
):
    services.session_cancel(session=session, by=cps_duty, reason="The chair is ill")
    with pytest.raises(ValidationError) as exc:
        services.booking_request(
            session=session,
            child=forum_child,
            by=social_worker,
            pathway=Pathway.BEFORE_SECOND_REVIEW,
        )
    assert "has been cancelled: choose another session" in exc.value.message_dict["session"][0]
    assert not Booking.objects.filter(child=forum_child).exists()
    assert session not in selectors.sessions_with_space()
    assert session.pk not in {
        s.pk for s in BookingForm(user=social_worker).fields["session"].queryset
    }
    assert session in list(selectors.sessions_for_duty())
    assert session in list(selectors.sessions_for_chair(user=chair))
    assert all(e.uid != f"forum-session-{session.pk}" for e in _calendar(cps_duty))


def _calendar(user):
    return selectors.calendar_entries_for_user(user=user)


def test_the_worker_can_book_the_child_into_another_forum(
    session, forum_child, social_worker, cps_duty, chair
):
    BookingFactory(session=session, child=forum_child, status=Booking.Status.CONFIRMED)
    services.session_cancel(session=session, by=cps_duty, reason="The chair is ill")
    other = ForumSessionFactory(chair=chair, forum_date=working_days_ahead(15))
    booking = services.booking_request(
        session=other, child=forum_child, by=social_worker, pathway=Pathway.BEFORE_SECOND_REVIEW
    )
    assert booking.slot_number == 1


def test_a_forum_that_has_sat_cannot_be_cancelled(chair, forum_child, team, cps_duty):
    today = ForumSessionFactory(chair=chair, forum_date=timezone.localdate())
    sent = BookingFactory(session=today, child=forum_child, status=Booking.Status.PART2_SENT)
    waiting = BookingFactory(
        session=today, child=ChildFactory(team=team), status=Booking.Status.PART1_SUBMITTED
    )
    with pytest.raises(ValidationError, match="has been held"):
        services.session_cancel(session=today, by=cps_duty, reason="Too late")
    today.refresh_from_db()
    assert not today.is_cancelled
    waiting.refresh_from_db()
    sent.refresh_from_db()
    assert (waiting.status, sent.status) == (
        Booking.Status.PART1_SUBMITTED,
        Booking.Status.PART2_SENT,
    )


def test_a_cancelled_forum_cannot_be_cancelled_again_or_changed(session, cps_duty):
    services.session_cancel(session=session, by=cps_duty, reason="The chair is ill")
    with pytest.raises(ValidationError, match="was cancelled on"):
        services.session_cancel(session=session, by=cps_duty, reason="Again")
    with pytest.raises(ValidationError, match="was cancelled on"):
        services.session_update(session=session, by=cps_duty, venue="Room 9", reason=REASON)


def test_cancelling_needs_a_reason_and_cps_duty(session, forum_child, cps_duty, chair):
    booking = BookingFactory(session=session, child=forum_child)
    with pytest.raises(ValidationError) as exc:
        services.session_cancel(session=session, by=cps_duty, reason="  ")
    assert exc.value.message_dict["reason"] == ["Enter the reason for cancelling the forum"]
    with pytest.raises(PermissionDenied):
        services.session_cancel(session=session, by=chair, reason="I am ill")
    session.refresh_from_db()
    booking.refresh_from_db()
    assert not session.is_cancelled
    assert booking.status == Booking.Status.REQUESTED


# -- the pages ----------------------------------------------------------------------------------


def test_cps_duty_sees_the_buttons_and_the_chair_does_not(client, session, cps_duty, chair):
    url = session.get_absolute_url()
    page = signed_in(client, cps_duty).get(url).content.decode()
    assert "Change the session" in page
    assert "Cancel the session" in page
    page = signed_in(client, chair).get(url).content.decode()
    assert "Change the session" not in page
    assert "Cancel the session" not in page


@pytest.mark.parametrize("name", ["forums:session-update", "forums:session-cancel"])
def test_the_chair_is_refused_and_a_social_worker_never_sees_the_session(
    client, session, chair, social_worker, name
):
    url = reverse(name, args=[session.pk])
    assert signed_in(client, chair).get(url).status_code == 403
    assert client.post(url, {"reason": "I am ill"}).status_code == 403
    assert signed_in(client, social_worker).get(url).status_code == 404
    session.refresh_from_db()
    assert not session.is_cancelled


def test_changing_the_session_through_the_page(
    client, session, forum_child, social_worker, cps_duty, chair
):
    BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    url = reverse("forums:session-update", args=[session.pk])
    form = signed_in(client, cps_duty).get(url)
    assert form.status_code == 200
    assert f'value="{session.venue}"' in form.content.decode()
    # The Part 1 rule as the administrator has set it, not a number written into the page.
    assert "Part 1 falls due 3 working days before the new date, by 17:00" in form.content.decode()
    later = working_days_ahead(14)
    response = client.post(
        url,
        {
            **_date_fields("forum_date", later),
            "start_time": "13:30",
            "venue": "Shirehall, Room 5",
            "chair": chair.pk,
            "slots": 6,
            "reason": "Room 2 is being decorated.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    session.refresh_from_db()
    assert (session.forum_date, session.start_time, session.venue, session.slot_count) == (
        later,
        dt.time(13, 30),
        "Shirehall, Room 5",
        6,
    )
    page = client.get(session.get_absolute_url()).content.decode()
    assert "The session has been changed" in page
    assert f"{later:%A %-d %B %Y}" in page
    assert f"{cut_off(later):%H:%M, %A %-d %B %Y}" in page


def test_bad_input_on_the_change_page_is_shown_beside_the_field_and_nothing_is_saved(
    client, session, team, cps_duty, chair
):
    for _ in range(3):
        BookingFactory(session=session, child=ChildFactory(team=team))
    url = reverse("forums:session-update", args=[session.pk])
    response = signed_in(client, cps_duty).post(
        url,
        {
            **_date_fields("forum_date", timezone.localdate() - dt.timedelta(days=2)),
            "start_time": "10:00",
            "venue": session.venue,
            "chair": chair.pk,
            "slots": 2,
            "reason": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the reason for changing the session" in page
    assert "govuk-error-message" in page
    response = client.post(
        url,
        {
            **_date_fields("forum_date", timezone.localdate() - dt.timedelta(days=2)),
            "start_time": "10:00",
            "venue": session.venue,
            "chair": chair.pk,
            "slots": 2,
            "reason": "Smaller room",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "3 children are booked into this forum: it needs at least 3 slots" in page
    assert "The date of the forum must be today or in the future" in page
    fresh = ForumSession.objects.get(pk=session.pk)
    assert (fresh.forum_date, fresh.slot_count) == (session.forum_date, 4)
    assert fresh.history.count() == 1


def test_the_cancel_page_says_how_many_children_need_rebooking(client, session, team, cps_duty):
    for _ in range(2):
        BookingFactory(session=session, child=ChildFactory(team=team))
    url = reverse("forums:session-cancel", args=[session.pk])
    page = signed_in(client, cps_duty).get(url).content.decode()
    assert (
        "2 children are booked into this forum. Their social workers will be told to book "
        "another forum." in page
    )


def test_cancelling_through_the_page_needs_a_reason_then_tags_the_session(
    client, session, forum_child, social_worker, cps_duty
):
    booking = BookingFactory(session=session, child=forum_child, requested_by=social_worker)
    url = reverse("forums:session-cancel", args=[session.pk])
    response = signed_in(client, cps_duty).post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Enter the reason for cancelling the forum" in response.content.decode()
    assert not ForumSession.objects.get(pk=session.pk).is_cancelled

    response = client.post(url, {"reason": "The chair is ill"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The session has been cancelled" in page
    assert "Cancelled</strong>" in page
    assert "The chair is ill" in page
    assert "Change the session" not in page
    home = client.get(reverse("forums:home")).content.decode()
    assert "Cancelled</strong>" in home
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED

    # The social worker sees why on the booking, with a way to book another forum.
    page = signed_in(client, social_worker).get(booking.get_absolute_url()).content.decode()
    assert "was cancelled: The chair is ill" in page
    assert f"Book {forum_child.full_name} into another forum" in page
    assert client.get(reverse("forums:home")).content.decode().count(f"?session={session.pk}") == 0


# -- races (PostgreSQL) -------------------------------------------------------------------------


@pytest.fixture
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite cannot run two writers at once")


def _race(attempts):
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(i, attempt):
        try:
            barrier.wait(timeout=10)
            attempt()
            results[i] = "done"
        except ValidationError:
            results[i] = "refused"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_postgres_only")
def test_fewer_slots_and_a_last_booking_at_once_never_overfill(
    chair, team, social_worker, cps_duty, monkeypatch
):
    session = ForumSessionFactory(chair=chair, slot_count=3)
    for _ in range(2):
        BookingFactory(session=session, child=ChildFactory(team=team))
    late = ChildFactory(team=team)
    original = session_services._check_exemption

    def slow(*args, **kwargs):
        time.sleep(0.3)  # hold the request after it has read the session
        return original(*args, **kwargs)

    monkeypatch.setattr(session_services, "_check_exemption", slow)

    def shrink():
        services.session_update(
            session=ForumSession.objects.get(pk=session.pk),
            by=User.objects.get(pk=cps_duty.pk),
            slots=2,
            reason="Smaller room",
        )

    def book():
        services.booking_request(
            session=ForumSession.objects.get(pk=session.pk),
            child=Child.objects.get(pk=late.pk),
            by=User.objects.get(pk=social_worker.pk),
            pathway=Pathway.BEFORE_SECOND_REVIEW,
        )

    results = _race([shrink, book])
    assert sorted(results) == ["done", "refused"], results
    fresh = ForumSession.objects.get(pk=session.pk)
    assert Booking.objects.live().filter(session=fresh).count() <= fresh.slot_count


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_postgres_only")
def test_a_booking_racing_a_cancellation_is_cancelled_or_refused(
    chair, team, social_worker, cps_duty
):
    session = ForumSessionFactory(chair=chair, slot_count=3)
    child = ChildFactory(team=team)

    def cancel():
        services.session_cancel(
            session=ForumSession.objects.get(pk=session.pk),
            by=User.objects.get(pk=cps_duty.pk),
            reason="The chair is ill",
        )

    def book():
        services.booking_request(
            session=ForumSession.objects.get(pk=session.pk),
            child=Child.objects.get(pk=child.pk),
            by=User.objects.get(pk=social_worker.pk),
            pathway=Pathway.BEFORE_SECOND_REVIEW,
        )

    results = _race([cancel, book])
    assert results[0] == "done", results
    assert results[1] in ("done", "refused"), results
    assert ForumSession.objects.get(pk=session.pk).is_cancelled
    assert not Booking.objects.live().filter(session_id=session.pk).exists()
