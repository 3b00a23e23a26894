"""The e-mail outbox: every notification's e-mail goes once, a failure is retried later, and a
broker or cache that is down never turns a saved change into an error page (issue 11)."""

from __future__ import annotations

import datetime as dt
import smtplib
import socket

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from forums.models import Booking, Part1
from permanence import notifications
from permanence.models import Notification
from permanence.notifications import MAX_ATTEMPTS, notification_emails_send, notify
from permanence.roles import Role
from permanence.tasks import notification_emails_send as outbox_task
from tests.factories.forums import (  # noqa: F401
    PART1_COMPLETE,
    BookingFactory,
    forum_child,
    session,
)
from tests.factories.permanence import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "refused@example.invalid"


class RefusingBackend(LocmemBackend):
    """A relay that refuses one address and takes every other message."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"No such user")})
        return super().send_messages(messages)


class UnreachableBackend(LocmemBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def _broker_down(*args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def _owed():
    return Notification.objects.filter(email_due_at__isnull=False)


def test_a_notification_is_emailed_once_after_commit(
    social_worker, team_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(recipients=[social_worker, team_manager, social_worker], subject="Part 1 due")
        assert not mail.outbox  # nothing goes before the change is committed
    assert sorted(m.to[0] for m in mail.outbox) == sorted([social_worker.email, team_manager.email])
    assert not _owed().exists()
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2
    # Another run (beat's, or the same task delivered twice) sends nothing more.
    assert notification_emails_send().sent == 0
    assert len(mail.outbox) == 2


def test_a_rolled_back_change_owes_no_email(social_worker, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[social_worker], subject="Never saved")
        raise RuntimeError
    assert not Notification.objects.exists() and not mail.outbox


def test_nobody_without_an_address_or_with_email_off_is_owed_one(team):
    no_address = UserFactory(team=team, email="")
    notify(recipients=[no_address], subject="In the app only")
    notify(recipients=[UserFactory(team=team)], subject="Quiet", email=False)
    assert Notification.objects.count() == 2
    assert not _owed().exists()


def test_a_broker_outage_is_logged_and_the_outbox_sends_later(
    social_worker, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(outbox_task, "delay", _broker_down)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(recipients=[social_worker], subject="Booking requested")
    assert "outbox job will send them" in caplog.text
    assert not mail.outbox and _owed().count() == 1
    monkeypatch.undo()
    # Beat's job, once a worker can take it.
    outbox_task.delay()
    assert [m.to for m in mail.outbox] == [[social_worker.email]]
    assert not _owed().exists()


def test_a_refused_address_is_tried_again_later_without_holding_up_the_others(team, settings):
    settings.EMAIL_BACKEND = "tests.permanence.test_outbox.RefusingBackend"
    refused = UserFactory(team=team, email=REFUSED)
    fine = UserFactory(team=team)
    notify(recipients=[refused, fine], subject="Overdue", email=False)
    Notification.objects.update(email_due_at=timezone.now())
    run = notification_emails_send()
    assert (run.sent, run.failed) == (1, 1)
    assert [m.to for m in mail.outbox] == [[fine.email]]
    note = Notification.objects.get(recipient=refused)
    assert note.email_attempts == 1 and "SMTPRecipientsRefused" in note.email_error
    assert note.email_due_at > timezone.now()  # backed off: the next run leaves it alone
    assert notification_emails_send().failed == 0
    # Due again: a second failure waits twice as long.
    Notification.objects.filter(pk=note.pk).update(email_due_at=timezone.now())
    before = timezone.now()
    notification_emails_send()
    note.refresh_from_db()
    assert note.email_attempts == 2
    assert note.email_due_at - before >= dt.timedelta(minutes=2)


def test_the_outbox_gives_up_after_the_last_try_and_logs_it(team, settings, caplog):
    settings.EMAIL_BACKEND = "tests.permanence.test_outbox.RefusingBackend"
    note = notify(recipients=[UserFactory(team=team, email=REFUSED)], subject="x")[0]
    Notification.objects.filter(pk=note.pk).update(
        email_attempts=MAX_ATTEMPTS - 1, email_due_at=timezone.now()
    )
    assert notification_emails_send().given_up == 1
    note.refresh_from_db()
    assert note.email_due_at is None and note.emailed_at is None
    assert "Gave up e-mailing notification" in caplog.text


def test_a_relay_that_cannot_be_reached_counts_no_attempt(social_worker, settings):
    settings.EMAIL_BACKEND = "tests.permanence.test_outbox.UnreachableBackend"
    notify(recipients=[social_worker], subject="Due soon")
    note = Notification.objects.get()
    assert note.email_due_at is not None and note.email_attempts == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_emails_send().sent == 1


def test_a_person_who_left_before_the_email_went_is_sent_nothing(social_worker, monkeypatch):
    monkeypatch.setattr(outbox_task, "delay", _broker_down)
    notify(recipients=[social_worker], subject="Due soon")
    social_worker.is_active = False
    social_worker.save()
    assert notification_emails_send().sent == 0
    assert not mail.outbox and not _owed().exists()


def test_withheld_emails_are_never_sent(social_worker, monkeypatch):
    monkeypatch.setattr(outbox_task, "delay", _broker_down)
    note = notify(recipients=[social_worker], subject="Synthetic")[0]
    notifications.notification_emails_withhold([note.pk])
    assert notification_emails_send().sent == 0 and not mail.outbox


# -- pages while the broker or the cache is down -------------------------------------------------


def test_booking_while_the_broker_is_down_shows_the_booking_and_emails_later(
    client,
    social_worker,
    forum_child,  # noqa: F811
    session,  # noqa: F811
    service,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    UserFactory(username="cps_duty", team=None, service=service, role=Role.CPS_DUTY)
    monkeypatch.setattr(outbox_task, "delay", _broker_down)
    client.force_login(social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forums:booking-create"),
            {"child": forum_child.pk, "session": session.pk, "pathway": "before_second_review"},
            follow=True,
        )
    booking = Booking.objects.get(child=forum_child)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == booking.get_absolute_url()
    assert not mail.outbox and _owed().exists()
    monkeypatch.undo()
    notification_emails_send()
    sent = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert sent == sorted(
        (n.recipient.email, f"Permanence tracker: {n.subject}") for n in Notification.objects.all()
    )
    assert any("Forum slot requested" in subject for _, subject in sent)


def test_part1_submitted_while_the_broker_is_down_shows_it_submitted(
    client,
    social_worker,
    forum_child,  # noqa: F811
    session,  # noqa: F811
    cps_duty,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    booking = BookingFactory(session=session, child=forum_child, status=Booking.Status.CONFIRMED)
    monkeypatch.setattr(outbox_task, "delay", _broker_down)
    client.force_login(social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forums:part1-edit", args=[booking.pk]),
            {**PART1_COMPLETE, "action": "submit"},
            follow=True,
        )
    assert response.status_code == 200
    assert Part1.objects.get(booking=booking).submitted_at is not None
    assert _owed().filter(subject__contains="Part 1").exists()  # sent by the outbox later


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("url", "role"),
    [
        ("/tracker/dashboard/", Role.HEAD_OF_SERVICE),
        ("/tracker/caseload/", Role.SOCIAL_WORKER),
        ("/children/", Role.SOCIAL_WORKER),
    ],
)
def test_pages_work_while_the_cache_is_down(client, settings, team, url, role, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "permanence.cache.FailSafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    client.force_login(UserFactory(team=team, role=role))
    response = client.get(url)
    assert response.status_code == 200
    if url == "/tracker/dashboard/":
        # The dashboard's filter reads the cache first: it fell back to the database.
        assert "Cache unavailable" in caplog.text
        assert "Not looked after now" in response.content.decode()
