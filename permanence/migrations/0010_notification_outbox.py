"""The notification rows become the e-mail outbox: what is owed, how often it failed, why.

Notifications written before this are not queued: their e-mails were sent or their task was
lost long ago, and an e-mail about a months-old deadline would mislead more than help.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("permanence", "0009_connected_approval_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="email_due_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_attempts",
            field=models.PositiveSmallIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_error",
            field=models.CharField(blank=True, db_default="", default="", max_length=300),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("email_due_at__isnull", False)),
                fields=["email_due_at"],
                name="notification_email_owed",
            ),
        ),
    ]
