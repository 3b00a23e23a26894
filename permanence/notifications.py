"""Telling staff about something: a notification in the app and, after commit, an e-mail."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from permanence.models import Notification, User


def notify(
    *,
    recipients: Iterable[User],
    subject: str,
    body: str = "",
    link: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify each recipient once in the app and, once the change is committed, by e-mail."""
    from permanence.tasks import notification_email_send

    seen: set[int] = set()
    created = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        created.append(
            Notification.objects.create(recipient=user, subject=subject, body=body, link=link)
        )
    if email:
        for note in created:
            if note.recipient.email:
                transaction.on_commit(lambda pk=note.pk: notification_email_send.delay(pk))
    return created


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
