"""A service that has just gone live does not bury its staff under years-old alerts (issue 16):
the first sweep's backlog goes to the managers' backlog list, and nothing reaches anyone's
notifications, per-alert e-mails or daily digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from permanence.models import EmailAlerts, EmailDigest, Notification, User
from permanence.notifications import notification_digests_send, notification_emails_send
from tests.tracker.conftest import at
from tracker import services
from tracker.backlog import backlog_for_user
from tracker.models import Alert, DeadlineRule
from tracker.ssda903.onboarding import FROM_THE_RETURN

pytestmark = pytest.mark.django_db

D = dt.date
GO_LIVE = D(2026, 3, 2)


def test_a_go_live_sweep_of_old_deadlines_puts_nothing_in_staff_inboxes(
    make_child, only_rules, system, iro, social_worker, team_manager, head_of_service
):
    only_rules("first_review", "iro_allocated")
    DeadlineRule.objects.exclude(code__in=FROM_THE_RETURN).update(applies_from=GO_LIVE)
    # Children in care for years: every deadline was missed long before go-live.
    for n, since in enumerate((D(2023, 5, 1), D(2024, 9, 2), D(2025, 6, 2))):
        make_child(since, first_name="Old", last_name=f"Case{n}")
    # Half the staff chose a daily digest, the rest an e-mail per alert.
    User.objects.filter(pk__in=[iro.pk, team_manager.pk]).update(email_alerts=EmailAlerts.DIGEST)

    services.deadlines_sweep(by=system, now=at(D(2026, 3, 3)))
    notification_emails_send()
    notification_digests_send(now=at(D(2026, 3, 3), 7))

    assert Alert.objects.filter(backlog=True).count() >= 3
    assert not Notification.objects.exists()
    assert not EmailDigest.objects.exists()
    assert mail.outbox == []
    # The managers have them on their list instead.
    assert backlog_for_user(user=head_of_service).count() >= 3
