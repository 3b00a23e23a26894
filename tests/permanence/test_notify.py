"""E-mail through GOV.UK Notify (issue 17): Notify's own client against a fake of its HTTP API
on a loopback port (tests/fake_notify.py)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.models import Booking
from forums.services import CPR_TASK, TaskInput
from permanence.models import Notification
from permanence.models.plans import Route
from permanence.notifications import notification_emails_send
from tests.factories.forums import BookingFactory, ForumSessionFactory, Part1Factory
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.plans import PlanFactory
from tests.fake_notify import FakeNotify, Template
from tests.forums.test_parts import _part2

pytestmark = pytest.mark.django_db

GENERAL = str(uuid.uuid4())
PART2 = str(uuid.uuid4())


@pytest.fixture
def notify(settings):
    fake = FakeNotify(
        templates={
            GENERAL: Template("((service_name)): ((subject))", "((body))\n\n((link))"),
            PART2: Template(
                "Part 2: ((subject))", "((body))\n\nRead the advice and your tasks: ((link))"
            ),
        }
    ).start()
    settings.EMAIL_BACKEND = "permanence.email_backends.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = fake.api_key
    settings.NOTIFY_BASE_URL = fake.base_url
    settings.NOTIFY_TEMPLATE_ID = GENERAL
    settings.NOTIFY_TEMPLATE_IDS = {"forums:part2-detail": PART2}
    settings.SITE_URL = "https://permanence.example.gov.uk"
    yield fake
    fake.stop()


@pytest.fixture
def booking(chair, team, social_worker, iro):
    """Today's forum: Part 1 submitted, the child's draft plan ready for the advice."""
    child = ChildFactory(
        team=team, social_worker=social_worker, iro=iro, first_name="Ava", last_name="Stone"
    )
    EpisodeFactory(child=child, decom=timezone.localdate() - dt.timedelta(days=120), place="U6")
    booking = BookingFactory(
        session=ForumSessionFactory(chair=chair, forum_date=timezone.localdate()),
        child=child,
        requested_by=social_worker,
        status=Booking.Status.PART1_SUBMITTED,
    )
    Part1Factory(booking=booking, submitted_at=timezone.now() - dt.timedelta(days=4))
    PlanFactory(child=child, route=Route.ADOPTION, created_by=social_worker)
    return booking


def _send_part2(booking, chair, social_worker, capture):
    services.booking_present(booking=booking, by=chair)
    due = timezone.localdate() + dt.timedelta(days=42)
    _part2(booking, chair, tasks=[TaskInput(CPR_TASK, social_worker, due, True)])
    with capture(execute=True):
        services.part2_send(booking=booking, by=chair)


def test_the_part2_notice_goes_through_notify_with_no_childs_name_in_its_subject(
    notify, booking, chair, social_worker, iro, django_capture_on_commit_callbacks
):
    _send_part2(booking, chair, social_worker, django_capture_on_commit_callbacks)

    child = booking.child
    (message,) = [
        m
        for m in notify.received
        if m["email_address"] == social_worker.email and m["template_id"] == PART2
    ]
    assert message["subject"] == (
        f"Part 2: Part 2 from the permanency forum for child {child.child_id}"
    )
    link = "https://permanence.example.gov.uk" + reverse("forums:part2-detail", args=[booking.pk])
    assert message["personalisation"]["link"] == link
    # No e-mail of the journey (presented, plan, Part 2) names the child.
    assert len(notify.received) >= 3
    for sent in notify.received:
        for name in (child.first_name, child.last_name):
            assert name not in sent["subject"]
            assert name not in sent["body"]
    # The IRO's copy links to the same page, so it uses the same template.
    assert any(m["email_address"] == iro.email for m in notify.received)
    assert not Notification.objects.filter(email_due_at__isnull=False).exists()


def test_notify_down_keeps_part2_sent_and_the_email_owed_until_it_is_back(
    notify, booking, chair, social_worker, django_capture_on_commit_callbacks
):
    notify.fail_with = 500
    _send_part2(booking, chair, social_worker, django_capture_on_commit_callbacks)

    booking.refresh_from_db()
    assert booking.part2.is_sent
    owed = Notification.objects.get(
        recipient=social_worker, subject__startswith="Part 2 from", email_due_at__isnull=False
    )
    assert owed.email_attempts == 0  # Notify's fault, not the message's
    assert not notify.received

    notify.fail_with = None
    run = notification_emails_send()
    assert run.sent >= 1
    assert any(m["email_address"] == social_worker.email for m in notify.received)
    assert not Notification.objects.filter(email_due_at__isnull=False).exists()


def test_a_message_notify_refuses_is_tried_again_later_with_its_reason_kept(
    notify, social_worker, settings
):
    from permanence.notifications import notify as send

    settings.NOTIFY_TEMPLATE_ID = str(uuid.uuid4())  # a template Notify does not know
    (note,) = send(recipients=[social_worker], subject="Test", link="")
    notification_emails_send(notification_ids=[note.pk])
    note.refresh_from_db()
    assert note.email_attempts == 1
    assert note.email_due_at is not None and note.email_due_at > timezone.now()
    assert "Template not found" in note.email_error


def test_notify_chosen_with_a_bad_key_or_template_stops_the_checks(settings):
    settings.EMAIL_BACKEND = "permanence.email_backends.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = "not-a-key"
    settings.NOTIFY_TEMPLATE_ID = ""
    settings.NOTIFY_TEMPLATE_IDS = {"forums:part2-detail": "nope"}
    with pytest.raises(SystemCheckError) as exc:
        call_command("check")
    text = str(exc.value)
    assert "NOTIFY_API_KEY is missing or is not a GOV.UK Notify API key" in text
    assert "NOTIFY_TEMPLATE_ID is missing" in text
    assert "NOTIFY_TEMPLATE_IDS[forums:part2-detail]" in text
