"""Alerts already overdue when the service went live are kept apart as its backlog, for managers
to review, and nobody is told about them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0015_aep_papers_rule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="alert",
            name="backlog",
            field=models.BooleanField(
                default=False,
                help_text="Due before the service went live: listed for managers, nobody is told.",
                verbose_name="backlog at go-live",
            ),
        ),
        migrations.AddField(
            model_name="alert",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="alert",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
