"""Notifications: what the service tells a member of staff, in the app and by e-mail.

The rows are also the e-mail outbox (issue 11): a row whose `email_due_at` is set still owes
its e-mail; the outbox job (permanence.notifications.notification_emails_send) sends it, marks it
sent in the same transaction, and on a failure counts the attempt and sets the next try.
"""

from django.db import models

from permanence.models.people import User


class Notification(models.Model):
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    # A path inside the service (never a child's name or other details in the URL).
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Set while the e-mail is owed: the earliest moment to (re)try it. Cleared once it is sent,
    # when there is nobody to send it to, or when the outbox gives up on it.
    email_due_at = models.DateTimeField(null=True, blank=True)
    # Failed tries of this e-mail (not counting a relay that could not be reached at all).
    # Database defaults, because the sweep writes notifications with COPY (tracker.bulk).
    email_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    email_error = models.CharField(max_length=300, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The outbox reads only the rows still owed an e-mail: a small partial index.
            models.Index(
                fields=["email_due_at"],
                name="notification_email_owed",
                condition=models.Q(email_due_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.subject
