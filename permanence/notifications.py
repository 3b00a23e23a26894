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

Each person chooses how they hear by e-mail (issue 16; `User.email_alerts`): each notification
as it happens (the default, as above), one e-mail a day listing the day's notifications (the
digest: the rows wait with `digest_owed` until `digests_prepare` gathers them into that day's
`EmailDigest`, at most one per person a day, which the same outbox then sends), or none. The
app always lists them all. Each notification also knows what it is about (its kind and child,
from the page it links to, `register_notification_links`) so its reader can filter the list.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from permanence.models import EmailAlerts, EmailDigest, Notification, NotificationKind, User
from permanence.prepared import prepared

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
    # What it is about; worked out from LINK when not given (register_notification_links).
    child_id: int | None = None
    kind: str = ""


NOTE_COLUMNS = [
    "recipient_id",
    "subject",
    "body",
    "link",
    "created_at",
    "email_due_at",
    "child_id",
    "kind",
    "digest_owed",
]


# -- what a notification is about ----------------------------------------------------------------


@dataclass(frozen=True)
class NotificationLinks:
    """Pages a notification may link to (view names), the kind of notification that makes it,
    and how to find the child from the pages' `pk`s: CHILD_OF(pks) -> {pk: child's pk}; None
    when the pk is the child's own. Each app registers its own in `<app>/notification_links.py`,
    so this module imports none of them."""

    kind: str
    views: frozenset[str]
    child_of: Callable[[set[int]], dict[int, int]] | None = None


_links: dict[str, NotificationLinks] = {}
_discovered = False


def register_notification_links(entry: NotificationLinks) -> None:
    for view in entry.views:
        _links[view] = entry


def _link_entries() -> dict[str, NotificationLinks]:
    global _discovered
    if not _discovered:
        autodiscover_modules("notification_links")
        _discovered = True
    return _links


def _resolved(link: str) -> tuple[str, int | None]:
    """The view name and `pk` of the page LINK opens; ("", None) when none."""
    if not link:
        return "", None
    try:
        match = resolve(urlsplit(link).path)
    except Resolver404:
        return "", None
    pk = match.kwargs.get("pk")
    return match.view_name or "", int(pk) if pk is not None else None


def _about(notes: Sequence[Note]) -> list[tuple[int | None, str]]:
    """Each note's child and kind: as given, or from the page it links to (one query per kind
    of page, whatever the number of notes)."""
    entries = _link_entries()
    found: list[tuple[NotificationLinks | None, int | None]] = []
    wanted: dict[NotificationLinks, set[int]] = defaultdict(set)
    for note in notes:
        if note.kind:
            found.append((None, None))
            continue
        view, pk = _resolved(note.link)
        entry = entries.get(view)
        found.append((entry, pk))
        if entry is not None and entry.child_of is not None and pk is not None:
            wanted[entry].add(pk)
    children = {entry: entry.child_of(pks) for entry, pks in wanted.items()}
    out = []
    for note, (entry, pk) in zip(notes, found, strict=True):
        if note.kind:
            out.append((note.child_id, note.kind))
        elif entry is None:
            out.append((note.child_id, NotificationKind.OTHER))
        else:
            child = pk if entry.child_of is None else children.get(entry, {}).get(pk)
            out.append((note.child_id or child, entry.kind))
    return out


def _choices(notes: Sequence[Note]) -> dict[int, str]:
    """How each recipient owed an e-mail wants it, for those who chose other than each one."""
    ids = {n.recipient_id for n in notes if n.email}
    if not ids:
        return {}
    return dict(
        User.objects.filter(pk__in=ids)
        .exclude(email_alerts=EmailAlerts.EACH)
        .values_list("pk", "email_alerts")
    )


def _rows(notes: Sequence[Note], now: dt.datetime) -> list[tuple]:
    """NOTES as rows of NOTE_COLUMNS: an e-mail owed now to those who want each one, a place in
    the next digest to those who chose a digest, nothing by e-mail to those who chose none."""
    choices = _choices(notes)
    rows = []
    for note, (child_id, kind) in zip(notes, _about(notes), strict=True):
        choice = choices.get(note.recipient_id, EmailAlerts.EACH) if note.email else None
        rows.append(
            (
                note.recipient_id,
                note.subject,
                note.body,
                note.link,
                now,
                now if choice == EmailAlerts.EACH else None,
                child_id,
                kind,
                choice == EmailAlerts.DIGEST,
            )
        )
    return rows


def notification_text(template_name: str, context: dict) -> tuple[str, str]:
    """A notification's subject and body, worded by its template
    (`templates/<app>/notifications/<kind>.txt`): the first line is the subject, the rest the
    body, its lines joined by single spaces so the template may wrap long sentences."""
    return notification_parts(render_to_string(template_name, context))


def notification_parts(text: str) -> tuple[str, str]:
    """A rendered notification template's subject and body (`notification_text`)."""
    subject, _, body = text.strip().partition("\n")
    return " ".join(subject.split()), " ".join(body.split())


def notes_for(
    recipients: Iterable[User | None],
    *,
    subject: str,
    body: str = "",
    link: str = "",
    email: bool = True,
    child=None,
    kind: str = "",
) -> list[Note]:
    """The same notification to each active recipient once, owing an e-mail to those with an
    address (as each chose: `_rows`)."""
    seen: set[int] = set()
    notes = []
    child_id = getattr(child, "pk", child)
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notes.append(Note(user.pk, subject, body, link, email and bool(user.email), child_id, kind))
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
    rows = _rows(notes, now)
    if insert is None:
        created = Notification.objects.bulk_create(
            [Notification(**dict(zip(NOTE_COLUMNS, row, strict=True))) for row in rows]
        )
        pks = [note.pk for note in created]
    else:
        pks = insert(Notification, NOTE_COLUMNS, rows, returning_pk=True)
    owed = NOTE_COLUMNS.index("email_due_at")
    _queue_after_commit([pk for pk, row in zip(pks, rows, strict=True) if row[owed]], queue)
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
    child=None,
    kind: str = "",
) -> list[Notification]:
    """Notify each recipient once in the app and, once the change is committed, by e-mail (as
    each chose)."""
    notes = notes_for(
        recipients, subject=subject, body=body, link=link, email=email, child=child, kind=kind
    )
    created = [
        Notification.objects.create(**dict(zip(NOTE_COLUMNS, row, strict=True)))
        for row in _rows(notes, timezone.now())
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


def _claim(
    now: dt.datetime, ids: list[int] | None, model: type = Notification
) -> Notification | EmailDigest | None:
    """The next owed row (a notification's e-mail, or a digest), locked for this transaction;
    None when nothing is owed."""
    owed = model.objects.filter(email_due_at__lte=now)
    if ids is not None:
        owed = owed.filter(pk__in=ids)
    owed = owed.select_related("recipient").order_by("email_due_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        return owed.select_for_update(skip_locked=True, of=("self",)).first()
    # SQLite has no row locks: writing first takes the database's single write lock until
    # this transaction ends, so a second sender waits here and then finds the row sent.
    while (note := owed.first()) is not None:
        if model.objects.filter(pk=note.pk, email_due_at__lte=now).update(
            email_attempts=F("email_attempts")
        ):
            return note
    return None


def _digest_message(digest: EmailDigest, smtp) -> EmailMultiAlternatives:
    """The day's notifications in one e-mail; like each notification's own, it names children by
    identifier only."""
    notes = list(digest.notifications.order_by("created_at", "pk"))
    context = {
        "digest": digest,
        "notes": notes,
        "service_name": settings.SERVICE_NAME,
        "base_url": settings.SITE_URL.rstrip("/"),
    }
    count = len(notes)
    subject = f"{count} notification{'' if count == 1 else 's'} for {digest.day:%-d %B %Y}"
    message = EmailMultiAlternatives(
        subject=f"{settings.SERVICE_NAME}: {subject}",
        body=render_to_string("permanence/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[digest.recipient.email],
        connection=smtp,
    )
    message.attach_alternative(
        render_to_string("permanence/email/digest.html", context), "text/html"
    )
    message.notify_kind = "digest"
    message.notify_personalisation = {
        "service_name": settings.SERVICE_NAME,
        "subject": subject,
        "body": "\n".join(f"* {note.subject}" for note in notes) or " ",
        "link": context["base_url"] + reverse("permanence:notification-list"),
    }
    return message


def _message(note: Notification | EmailDigest, smtp) -> EmailMultiAlternatives:
    if isinstance(note, EmailDigest):
        return _digest_message(note, smtp)
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


def _send_one(note: Notification | EmailDigest, smtp, run: OutboxRun) -> None:
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
            "Gave up e-mailing %s %s after %s tries: %s",
            note._meta.model_name,
            note.pk,
            note.email_attempts,
            note.email_error,
        )
    else:
        note.email_due_at = now + _backoff(note.email_attempts)
        run.failed += 1
        logger.warning(
            "E-mail for %s %s failed (try %s), next at %s: %s",
            note._meta.model_name,
            note.pk,
            note.email_attempts,
            note.email_due_at,
            note.email_error,
        )
    note.save(update_fields=["email_attempts", "email_error", "email_due_at"])


def notification_emails_send(
    *, notification_ids: list[int] | None = None, budget_seconds: float = RUN_BUDGET_SECONDS
) -> OutboxRun:
    """Send every e-mail still owed (or just these notifications'), each at most once per
    person: claimed, sent and marked sent in one transaction; a failure is retried with backoff
    (issue 11). The daily digests owed go the same way, after the notifications."""
    run = OutboxRun()
    started = time.monotonic()
    smtp = get_connection()
    models = [Notification] if notification_ids is not None else [Notification, EmailDigest]
    try:
        for model in models:
            while not run.relay_down and time.monotonic() - started < budget_seconds:
                try:
                    with transaction.atomic():
                        note = _claim(timezone.now(), notification_ids, model)
                        if note is None:
                            break
                        _send_one(note, smtp, run)
                except _RelayDown as exc:
                    run.relay_down = True
                    logger.warning("The mail relay could not be reached; e-mails wait: %s", exc)
    finally:
        try:
            smtp.close()
        except Exception:  # closing a dead connection must not hide what happened
            logger.debug("Closing the mail connection failed", exc_info=True)
    if run.sent or run.failed or run.given_up:
        logger.info("Outbox: %s", run)
    return run


def digests_prepare(*, now: dt.datetime | None = None) -> int:
    """Gather each person's notifications waiting for their digest into today's digest, owed to
    the outbox; returns how many digests were made. At most one digest a day each (a second run
    the same day makes none: what arrived since waits for tomorrow's). Someone who has since
    chosen no e-mails, left, or has no address gets none and nothing waits for them."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    waiting = Notification.objects.filter(digest_owed=True, created_at__lte=now)
    made = 0
    for recipient_id in sorted(set(waiting.values_list("recipient_id", flat=True))):
        with transaction.atomic():
            person = User.objects.filter(pk=recipient_id).values(
                "is_active", "email", "email_alerts"
            )
            person = person.first() or {}
            mine = waiting.filter(recipient_id=recipient_id)
            if (
                not person.get("is_active")
                or not person.get("email")
                or person.get("email_alerts") == EmailAlerts.NONE
            ):
                mine.update(digest_owed=False)
                continue
            digest, created = EmailDigest.objects.get_or_create(
                recipient_id=recipient_id, day=day, defaults={"email_due_at": timezone.now()}
            )
            if not created:
                continue
            mine.update(digest=digest, digest_owed=False)
            made += 1
    return made


def notification_digests_send(*, now: dt.datetime | None = None) -> OutboxRun:
    """The daily digest job: make today's digests and send them through the outbox."""
    made = digests_prepare(now=now)
    if made:
        logger.info("Made %d e-mail digest(s)", made)
    return notification_emails_send()


@prepared
def _unread(user_id: int):
    # Asked on every page (the header's count): compiled once (permanence.prepared).
    return (
        Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


def unread_count(user: User) -> int:
    found = _unread(user.pk)
    return found[0] if found else 0


# -- the reader's list ---------------------------------------------------------------------------


def notification_children(user: User):
    """The children the user's notifications are about that the one access rule lets them open,
    for the list's filter: never a child they may not open, whatever they were once told."""
    from permanence.access import child_visibility_q
    from permanence.models import Child

    visible = child_visibility_q(user)
    if visible is None:
        return Child.objects.none()
    about = Notification.objects.filter(recipient=user, child__isnull=False).values("child_id")
    return Child.objects.filter(visible, pk__in=about).order_by("last_name", "first_name", "pk")


def notifications_for(*, user: User, kind: str = "", child_id: int | None = None):
    """The user's notifications, newest first, of one kind and about one child if asked; a child
    they may not open gives none."""
    notes = Notification.objects.filter(recipient=user)
    if kind:
        notes = notes.filter(kind=kind)
    if child_id is not None:
        if not notification_children(user).filter(pk=child_id).exists():
            return Notification.objects.none()
        notes = notes.filter(child_id=child_id)
    return notes


@transaction.atomic
def notifications_mark_read(*, user: User, kind: str = "", child_id: int | None = None) -> int:
    """Mark as read the user's unread notifications (of this kind, about this child, if asked);
    returns how many."""
    unread = notifications_for(user=user, kind=kind, child_id=child_id).filter(read_at__isnull=True)
    return Notification.objects.filter(pk__in=unread.values("pk")).update(read_at=timezone.now())
