"""Background work of the core app."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from permanence.models import Notification


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
    acks_late=True,
)
def notification_email_send(self, notification_id: int) -> bool:
    """E-mail a notification once (a retry after success sends nothing more)."""
    note = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if note is None or note.emailed_at is not None or not note.recipient.email:
        return False
    context = {
        "note": note,
        "service_name": settings.SERVICE_NAME,
        "base_url": settings.SITE_URL.rstrip("/"),
    }
    send_mail(
        subject=f"{settings.SERVICE_NAME}: {note.subject}",
        message=render_to_string("permanence/email/notification.txt", context),
        html_message=render_to_string("permanence/email/notification.html", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[note.recipient.email],
    )
    Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
    return True
