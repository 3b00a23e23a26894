"""Notifications people can manage (issue 16): the list filtered by kind and by child (only
children the reader may open are offered, and asking for another gives nothing), "mark as
read" for what the list shows, and each person's choice of e-mail: each alert, one a day (the
digest, sent once a day through the outbox), or none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from permanence.models import EmailAlerts, EmailDigest, Notification, NotificationKind
from permanence.notifications import (
    digests_prepare,
    notification_digests_send,
    notification_emails_send,
    notify,
)
from tests.factories.forums import BookingFactory
from tests.factories.permanence import ChildFactory, ServiceFactory, TeamFactory, UserFactory
from tests.factories.plans import PlanFactory

pytestmark = pytest.mark.django_db

LIST = "/notifications/"


@pytest.fixture
def inside(team, social_worker):
    return ChildFactory(
        team=team, social_worker=social_worker, first_name="Ines", last_name="Inward"
    )


@pytest.fixture
def outside():
    far = TeamFactory(name="Far team", service=ServiceFactory(name="Far service"))
    return ChildFactory(team=far, first_name="Zebedee", last_name="Faraway", child_id="FAR777")


@pytest.fixture
def told(social_worker, inside, outside):
    """The worker's notifications: about a plan and a forum booking of their child, a plain one,
    and one about a child since moved to another service they may no longer open."""
    plan = PlanFactory(child=inside, created_by=social_worker)
    booking = BookingFactory(child=inside, requested_by=social_worker)
    notify(recipients=[social_worker], subject="Plan sent back TEAL", link=plan.get_absolute_url())
    notify(
        recipients=[social_worker],
        subject="Forum booking confirmed PLUM",
        link=reverse("forums:booking-detail", args=[booking.pk]),
    )
    notify(recipients=[social_worker], subject="Welcome note OCHRE")
    notify(
        recipients=[social_worker],
        subject="About the moved child SIENNA",
        link=outside.get_absolute_url(),
    )
    mail.outbox.clear()
    return plan, booking


def test_each_notification_knows_its_kind_and_child_from_the_page_it_links_to(
    told, inside, outside
):
    kinds = dict(Notification.objects.values_list("subject", "kind"))
    assert kinds == {
        "Plan sent back TEAL": NotificationKind.PLAN,
        "Forum booking confirmed PLUM": NotificationKind.FORUM,
        "Welcome note OCHRE": NotificationKind.OTHER,
        "About the moved child SIENNA": NotificationKind.CHILD,
    }
    children = dict(Notification.objects.values_list("subject", "child_id"))
    assert children["Plan sent back TEAL"] == inside.pk
    assert children["Forum booking confirmed PLUM"] == inside.pk
    assert children["Welcome note OCHRE"] is None
    assert children["About the moved child SIENNA"] == outside.pk


def test_filter_by_kind(client, told, social_worker):
    client.force_login(social_worker)
    html = client.get(LIST, {"kind": "plan"}).content.decode()
    assert "Plan sent back TEAL" in html
    assert "Forum booking confirmed PLUM" not in html and "Welcome note OCHRE" not in html
    assert '<option value="plan" selected>Plans</option>' in html


def test_filter_by_child_offers_only_children_the_reader_may_open(
    client, told, social_worker, inside, outside
):
    client.force_login(social_worker)
    html = client.get(LIST).content.decode()
    assert f'<option value="{inside.pk}">Ines Inward ({inside.child_id})</option>' in html
    assert "Faraway" not in html and "FAR777" not in html
    html = client.get(LIST, {"child": inside.pk}).content.decode()
    assert "Plan sent back TEAL" in html and "Forum booking confirmed PLUM" in html
    assert "Welcome note OCHRE" not in html and "About the moved child SIENNA" not in html


def test_a_filter_for_a_child_the_reader_may_not_open_gives_nothing(
    client, told, social_worker, outside
):
    client.force_login(social_worker)
    response = client.get(LIST, {"child": outside.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have no notifications of this kind or about this child." in html
    assert "About the moved child SIENNA" not in html and "Faraway" not in html
    # Nor does marking read reach them.
    client.post(reverse("permanence:notification-mark-read"), {"child": outside.pk})
    assert Notification.objects.get(subject="About the moved child SIENNA").read_at is None
    html = client.get(LIST, {"child": "not-a-number"}).content.decode()
    assert "Choose a child from the list." in html


def test_mark_all_as_read(client, told, social_worker):
    client.force_login(social_worker)
    html = client.get(LIST).content.decode()
    assert "Mark all 4 as read" in html
    response = client.post(reverse("permanence:notification-mark-read"), follow=True)
    assert "4 notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_as_read_marks_only_what_the_filter_shows(client, told, social_worker, inside):
    client.force_login(social_worker)
    html = client.get(LIST, {"child": inside.pk, "kind": "forum"}).content.decode()
    assert "Mark these 1 as read" in html
    response = client.post(
        reverse("permanence:notification-mark-read"), {"child": inside.pk, "kind": "forum"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?kind=forum&child={inside.pk}"
    unread = set(
        Notification.objects.filter(read_at__isnull=True).values_list("subject", flat=True)
    )
    assert unread == {"Plan sent back TEAL", "Welcome note OCHRE", "About the moved child SIENNA"}


def test_nobody_marks_anothers_notifications(client, told, social_worker, other_social_worker):
    client.force_login(other_social_worker)
    client.post(reverse("permanence:notification-mark-read"))
    assert not Notification.objects.filter(read_at__isnull=False).exists()
    assert "Plan sent back TEAL" not in client.get(LIST).content.decode()


# -- the three choices -------------------------------------------------------------------------


@pytest.fixture
def people(team):
    return {
        choice: UserFactory(username=f"u_{choice}", team=team, email_alerts=choice)
        for choice in EmailAlerts.values
    }


def test_each_alert_is_emailed_as_before(people):
    notify(recipients=[people["each"]], subject="Part 1 for C1 is overdue")
    note = Notification.objects.get()
    assert note.email_due_at is not None and not note.digest_owed
    assert notification_emails_send().sent == 1
    assert [m.subject for m in mail.outbox] == [
        f"{mail.outbox[0].subject.split(':')[0]}: Part 1 for C1 is overdue"
    ]


def test_a_digest_reader_gets_no_email_per_alert(people):
    notify(recipients=[people["digest"]], subject="Part 1 for C1 is overdue")
    note = Notification.objects.get()
    assert note.email_due_at is None and note.digest_owed
    assert notification_emails_send().sent == 0
    assert mail.outbox == []


def test_no_emails_means_none_but_the_app_lists_it(client, people):
    notify(recipients=[people["none"]], subject="Part 1 for C1 is overdue")
    note = Notification.objects.get()
    assert note.email_due_at is None and not note.digest_owed
    digests_prepare()
    assert notification_emails_send().sent == 0 and mail.outbox == []
    client.force_login(people["none"])
    assert "Part 1 for C1 is overdue" in client.get(LIST).content.decode()


def test_the_digest_goes_once_a_day_with_that_days_notifications(people, inside):
    reader = people["digest"]
    plan = PlanFactory(child=inside)
    notify(
        recipients=[reader, people["each"]],
        subject=f"Plan for {inside.child_id} sent back",
        link=plan.get_absolute_url(),
    )
    notify(recipients=[reader], subject=f"Forum for {inside.child_id} moved")
    assert notification_emails_send().sent == 1  # the instant reader's own
    mail.outbox.clear()

    morning = timezone.now() + dt.timedelta(minutes=1)
    run = notification_digests_send(now=morning)
    assert run.sent == 1
    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert "2 notifications for" in message.subject
    assert f"Plan for {inside.child_id} sent back" in message.body
    assert f"Forum for {inside.child_id} moved" in message.body
    assert f"{plan.get_absolute_url()}" in message.body
    # Identifiers only: never a child's name.
    assert inside.first_name not in message.body and inside.last_name not in message.body
    assert inside.last_name not in message.alternatives[0][0]
    digest = EmailDigest.objects.get()
    assert digest.emailed_at is not None and digest.notifications.count() == 2

    # A second run the same day sends nothing; what arrives meanwhile waits for tomorrow.
    notify(recipients=[reader], subject=f"Review for {inside.child_id} booked")
    # An hour later, or just before midnight if that is sooner (the test may run at 23:30).
    last_moment = timezone.make_aware(
        dt.datetime.combine(timezone.localdate(morning), dt.time(23, 59, 59))
    )
    later_that_day = min(morning + dt.timedelta(hours=1), last_moment)
    assert notification_digests_send(now=later_that_day).sent == 0
    assert len(mail.outbox) == 1
    tomorrow = morning + dt.timedelta(days=1)
    assert notification_digests_send(now=tomorrow).sent == 1
    assert len(mail.outbox) == 2 and "1 notification for" in mail.outbox[1].subject
    assert f"Review for {inside.child_id} booked" in mail.outbox[1].body
    assert f"Forum for {inside.child_id} moved" not in mail.outbox[1].body
    assert EmailDigest.objects.filter(recipient=reader).count() == 2


def test_a_digest_that_fails_is_retried_and_sent_once(people, settings):
    notify(recipients=[people["digest"]], subject="Part 1 for C1 is overdue")
    settings.EMAIL_BACKEND = "tests.permanence.test_outbox.UnreachableBackend"
    assert notification_digests_send().relay_down
    digest = EmailDigest.objects.get()
    assert digest.email_due_at is not None and digest.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_emails_send().sent == 1  # the every-minute outbox sends it
    assert notification_emails_send().sent == 0
    assert notification_digests_send().sent == 0
    assert len(mail.outbox) == 1


def test_a_digest_reader_who_then_chose_none_gets_nothing(people):
    reader = people["digest"]
    notify(recipients=[reader], subject="Part 1 for C1 is overdue")
    reader.email_alerts = EmailAlerts.NONE
    reader.save()
    assert notification_digests_send().sent == 0 and mail.outbox == []
    assert not Notification.objects.filter(digest_owed=True).exists()


# -- the choice page ---------------------------------------------------------------------------


def test_the_reader_chooses_a_daily_digest(client, social_worker):
    client.force_login(social_worker)
    url = reverse("permanence:notification-settings")
    html = client.get(url).content.decode()
    assert "E-mail me each alert" in html and "One e-mail a day (digest)" in html
    assert "No e-mails" in html and "One e-mail each morning at 7am" in html
    response = client.post(url, {"email_alerts": "digest"}, follow=True)
    assert "Saved: One e-mail a day (digest)." in response.content.decode()
    social_worker.refresh_from_db()
    assert social_worker.email_alerts == EmailAlerts.DIGEST
    assert social_worker.history.first().history_change_reason.startswith("Notification e-mails")
    html = client.get(LIST).content.decode()
    assert "By e-mail: One e-mail a day (digest)." in html


def test_a_bad_choice_is_refused_beside_the_field(client, social_worker):
    client.force_login(social_worker)
    url = reverse("permanence:notification-settings")
    response = client.post(url, {"email_alerts": "carrier-pigeon"})
    assert response.status_code == 400
    assert "govuk-error-message" in response.content.decode()
    response = client.post(url, {})
    assert "Choose how you want to hear about your notifications" in response.content.decode()
    social_worker.refresh_from_db()
    assert social_worker.email_alerts == EmailAlerts.EACH
