"""Notifications: what the service tells a member of staff, in the app and by e-mail.

The rows are also the e-mail outbox (issue 11): a row whose `email_due_at` is set still owes
its e-mail; the outbox job (permanence.notifications.notification_emails_send) sends it, marks it
sent in the same transaction, and on a failure counts the attempt and sets the next try.
"""

from django.db import models

from permanence.models.people import User


class NotificationKind(models.TextChoices):
    """What a notification is about, for filtering the list (issue 16)."""

    DEADLINE = "deadline", "Deadlines and alerts"
    PLAN = "plan", "Plans"
    FORUM = "forum", "Permanency forums"
    MEETING = "meeting", "Meetings, panels and disruptions"
    REVIEW = "review", "Reviews and IROs"
    CHILD = "child", "The child's record and family"
    OTHER = "other", "Other"


class EmailDigest(models.Model):
    """One day's e-mail to someone who chose a daily digest: the notifications it lists point to
    it. At most one a day each, so a second run of the digest job the same day sends nothing
    more. It goes through the same outbox as a notification's own e-mail (owed, claimed, sent
    and marked in one transaction, retried with backoff)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_digests")
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_due_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="one_email_digest_a_day")
        ]

    def __str__(self) -> str:
        return f"Digest of {self.day:%-d %b %Y}"


class Notification(models.Model):
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    # The child it is about, if one (for the list's filter; the child's page is what it links to).
    child = models.ForeignKey(
        "permanence.Child", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(
        max_length=10,
        choices=NotificationKind.choices,
        default=NotificationKind.OTHER,
        db_default=NotificationKind.OTHER,
    )
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
    # Waiting for the recipient's daily digest (they chose one), then the digest it went in.
    digest_owed = models.BooleanField(default=False, db_default=False)
    digest = models.ForeignKey(
        EmailDigest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

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
            models.Index(
                fields=["recipient"],
                name="notification_digest_owed",
                condition=models.Q(digest_owed=True),
            ),
        ]

    def __str__(self) -> str:
        return self.subject
