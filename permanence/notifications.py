"""Telling staff about something: a notification in the app and, after commit, an e-mail.

The notification rows are the e-mail outbox (issue 11). `notify()` (one change, a few people) and
`notify_many()` (many notifications at once: the sweep's alerts, a forum moved or cancelled) are
the one way notifications are written; their wording lives in templates
(`templates/<app>/notifications/`). Each row already owes its e-mail (`email_due_at`) in the
caller's transaction, so an e-mail can only be owed for a change that was saved. After commit
the e-mails are handed to the workers; if that fails (the broker is down) it is logged and
nothing more: the outbox job, every minute from beat, sends whatever is still owed.

Sending claims one row at a time, sends it and marks it sent in the same transaction. On
PostgreSQL the claim is `SELECT … FOR UPDATE SKIP LOCKED`, so two workers never hold the same row:
an e-mail is never sent twice because two workers raced. The one window left is the SMTP
boundary: if the process dies after the relay accepted a message and before the transaction
commits, the row is still owed and that one e-mail goes again. We accept that (a duplicate is
better than a lost notice about a child) and keep the window to a single message and a commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import timezone

from permanence.models import Notification, User

logger = logging.getLogger(__name__)

# Ten tries over about eight and a half hours (1, 2, 4 … 256 minutes apart), then the outbox
# gives up on that e-mail and logs an error; the notification stays in the app.
MAX_ATTEMPTS = 10
MAX_BACKOFF = dt.timedelta(hours=6)
# A run stops taking new rows after this long, so a task never outlives the broker's
# visibility timeout; the next run (beat, every minute) carries on.
RUN_BUDGET_SECONDS = 240
# Errors about one message (its recipient or content). Anything else from the relay (refused
# connection, bad login, our sender address refused) is the relay's problem, not the message's.
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


def child_label(child) -> str:
    """How a notification names a child: the identifier only, since e-mail leaves the service
    (issue 17: no child's name in a subject line)."""
    return f"child {child.child_id}"


@dataclass(frozen=True, slots=True)
class Note:
    """One notification to write: to whom (an active user's id), what it says, where it links,
    and whether an e-mail is owed (the recipient has an address and the caller wants one)."""

    recipient_id: int
    subject: str
    body: str = ""
    link: str = ""
    email: bool = True


NOTE_COLUMNS = ["recipient_id", "subject", "body", "link", "created_at", "email_due_at"]


def notification_text(template_name: str, context: dict) -> tuple[str, str]:
    """A notification's subject and body, worded by its template
    (`templates/<app>/notifications/<kind>.txt`): the first line is the subject, the rest the
    body, its lines joined by single spaces so the template may wrap long sentences."""
    text = render_to_string(template_name, context).strip()
    subject, _, body = text.partition("\n")
    return " ".join(subject.split()), " ".join(body.split())


def notes_for(
    recipients: Iterable[User | None],
    *,
    subject: str,
    body: str = "",
    link: str = "",
    email: bool = True,
) -> list[Note]:
    """The same notification to each active recipient once, owing an e-mail to those with an
    address."""
    seen: set[int] = set()
    notes = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notes.append(Note(user.pk, subject, body, link, email and bool(user.email)))
    return notes


def notify_many(
    notes: Sequence[Note],
    *,
    now: dt.datetime | None = None,
    insert: Callable | None = None,
    queue: Callable[[list[int]], object] | None = None,
) -> list[int]:
    """Write many notifications in one insert, each owing its e-mail from the start (the
    outbox), and hand those e-mails to the workers once the change commits; returns the new
    notifications' ids, in the order of NOTES.

    INSERT writes rows faster where a caller has a way (the sweep's COPY, `tracker.bulk`):
    `insert(model, columns, rows, returning_pk=True)` returning the new ids. QUEUE replaces the
    hand-over to the workers (the benchmarks withhold every e-mail). A sweep killed before its
    e-mails went leaves them owed on their rows, and the outbox job sends them."""
    if not notes:
        return []
    now = now or timezone.now()
    rows = [
        (n.recipient_id, n.subject, n.body, n.link, now, now if n.email else None) for n in notes
    ]
    if insert is None:
        created = Notification.objects.bulk_create(
            [Notification(**dict(zip(NOTE_COLUMNS, row, strict=True))) for row in rows]
        )
        pks = [note.pk for note in created]
    else:
        pks = insert(Notification, NOTE_COLUMNS, rows, returning_pk=True)
    _queue_after_commit([pk for pk, n in zip(pks, notes, strict=True) if n.email], queue)
    return pks


def _queue_after_commit(owed: list[int], queue=None) -> None:
    if owed:
        send = queue or notification_emails_queue
        transaction.on_commit(lambda: send(owed), robust=True)


def notify(
    *,
    recipients: Iterable[User],
    subject: str,
    body: str = "",
    link: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify each recipient once in the app and, once the change is committed, by e-mail."""
    now = timezone.now()
    created = [
        Notification.objects.create(
            recipient_id=n.recipient_id,
            subject=n.subject,
            body=n.body,
            link=n.link,
            email_due_at=now if n.email else None,
        )
        for n in notes_for(recipients, subject=subject, body=body, link=link, email=email)
    ]
    _queue_after_commit([note.pk for note in created if note.email_due_at is not None])
    return created


def notification_emails_queue(notification_ids: list[int]) -> bool:
    """Hand these owed e-mails to the workers; a failure is logged, never raised, because the
    change is saved and the outbox job sends them anyway (issue 11)."""
    from permanence.tasks import notification_emails_send as task

    try:
        task.delay(notification_ids=list(notification_ids))
    except Exception:
        # Whatever the broker raised: the user's change is committed and must not look failed.
        logger.warning(
            "Could not queue %d e-mail(s); the outbox job will send them",
            len(notification_ids),
            exc_info=True,
        )
        return False
    return True


def notification_emails_withhold(notification_ids: list[int]) -> int:
    """Owe no e-mail for these notifications (synthetic data from the benchmarks)."""
    return Notification.objects.filter(pk__in=notification_ids).update(email_due_at=None)


@dataclass
class OutboxRun:
    """What one run of the outbox did."""

    sent: int = 0
    failed: int = 0
    given_up: int = 0
    relay_down: bool = False


def _backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)


def _claim(now: dt.datetime, ids: list[int] | None) -> Notification | None:
    """The next owed row, locked for this transaction; None when nothing is owed."""
    owed = Notification.objects.filter(email_due_at__lte=now)
    if ids is not None:
        owed = owed.filter(pk__in=ids)
    owed = owed.select_related("recipient").order_by("email_due_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        return owed.select_for_update(skip_locked=True, of=("self",)).first()
    # SQLite has no row locks: writing first takes the database's single write lock until
    # this transaction ends, so a second sender waits here and then finds the row sent.
    while (note := owed.first()) is not None:
        if Notification.objects.filter(pk=note.pk, email_due_at__lte=now).update(
            email_attempts=F("email_attempts")
        ):
            return note
    return None


def _message(note: Notification, smtp) -> EmailMultiAlternatives:
    context = {
        "note": note,
        "service_name": settings.SERVICE_NAME,
        "base_url": settings.SITE_URL.rstrip("/"),
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.SERVICE_NAME}: {note.subject}",
        body=render_to_string("permanence/email/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[note.recipient.email],
        connection=smtp,
    )
    message.attach_alternative(
        render_to_string("permanence/email/notification.html", context), "text/html"
    )
    # What GOV.UK Notify fills its template with (permanence/email_backends.py); other
    # backends send the rendered text above and ignore these.
    message.notify_kind = notification_kind(note.link)
    message.notify_personalisation = {
        "service_name": settings.SERVICE_NAME,
        "subject": note.subject,
        "body": note.body or " ",
        "link": f"{context['base_url']}{note.link}" if note.link else context["base_url"],
    }
    return message


def notification_kind(link: str) -> str:
    """The kind of a message, for choosing its Notify template: the name of the page it links
    to ("forums:part2-detail"), or "general"."""
    if not link:
        return "general"
    try:
        return resolve(urlsplit(link).path).view_name or "general"
    except Resolver404:
        return "general"


class _RelayDown(Exception):
    pass


def _send_one(note: Notification, smtp, run: OutboxRun) -> None:
    """Send NOTE (claimed, in the caller's transaction) and record what happened on its row."""
    now = timezone.now()
    if not note.recipient.is_active or not note.recipient.email:
        # Nobody to send it to any more: nothing is owed.
        note.email_due_at = None
        note.save(update_fields=["email_due_at"])
        return
    try:
        _message(note, smtp).send()
    except MESSAGE_ERRORS as exc:
        error = exc
    except OSError as exc:
        # The relay cannot be reached (smtplib's errors are OSErrors too): not this e-mail's
        # fault, so no attempt is counted; the run stops and the row waits for the next one.
        raise _RelayDown(str(exc)) from exc
    except Exception as exc:  # a template or header problem in this one message
        error = exc
    else:
        note.emailed_at, note.email_due_at, note.email_error = now, None, ""
        note.save(update_fields=["emailed_at", "email_due_at", "email_error"])
        run.sent += 1
        return
    note.email_attempts += 1
    note.email_error = f"{type(error).__name__}: {error}"[:300]
    if note.email_attempts >= MAX_ATTEMPTS:
        note.email_due_at = None
        run.given_up += 1
        logger.error(
            "Gave up e-mailing notification %s after %s tries: %s",
            note.pk,
            note.email_attempts,
            note.email_error,
        )
    else:
        note.email_due_at = now + _backoff(note.email_attempts)
        run.failed += 1
        logger.warning(
            "E-mail for notification %s failed (try %s), next at %s: %s",
            note.pk,
            note.email_attempts,
            note.email_due_at,
            note.email_error,
        )
    note.save(update_fields=["email_attempts", "email_error", "email_due_at"])


def notification_emails_send(
    *, notification_ids: list[int] | None = None, budget_seconds: float = RUN_BUDGET_SECONDS
) -> OutboxRun:
    """Send every e-mail still owed (or just these), each at most once per person: claimed,
    sent and marked sent in one transaction; a failure is retried with backoff (issue 11)."""
    run = OutboxRun()
    started = time.monotonic()
    smtp = get_connection()
    try:
        while time.monotonic() - started < budget_seconds:
            try:
                with transaction.atomic():
                    note = _claim(timezone.now(), notification_ids)
                    if note is None:
                        break
                    _send_one(note, smtp, run)
            except _RelayDown as exc:
                run.relay_down = True
                logger.warning("The mail relay could not be reached; e-mails wait: %s", exc)
                break
    finally:
        try:
            smtp.close()
        except Exception:  # closing a dead connection must not hide what happened
            logger.debug("Closing the mail connection failed", exc_info=True)
    if run.sent or run.failed or run.given_up:
        logger.info("Outbox: %s", run)
    return run


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
