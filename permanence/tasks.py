"""Background work of the core app: the e-mail outbox (issue 11).

Safe to repeat: a run only sends rows still owed an e-mail, claimed one at a time under a row
lock and marked sent in the same transaction, so a second delivery of the same message, or two
runs at once, send nothing twice. Hence `acks_late`: a worker that dies mid-run leaves the
message for another. Not retried by Celery: a failing e-mail is retried by the outbox itself
(attempts and next try on its row), and beat runs the outbox every minute.
"""

from celery import shared_task

from permanence import notifications


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notification_emails_send(notification_ids: list[int] | None = None) -> dict:
    """Every minute, and after each commit that owes e-mails: send what is owed (issue 11)."""
    return vars(notifications.notification_emails_send(notification_ids=notification_ids))


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notification_email_send(notification_id: int) -> dict:
    """One notification's e-mail (messages queued before the outbox existed)."""
    return vars(notifications.notification_emails_send(notification_ids=[notification_id]))


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notification_digests_send() -> dict:
    """Daily at 07:00, after the deadline sweep: each digest reader's notifications of the last
    day in one e-mail, through the outbox (issue 16). A second run the same day sends nothing
    more."""
    return vars(notifications.notification_digests_send())
