"""PPN1 goes to the designated admin officer, who books the Permanency Planning Meeting
(seed 002 §8): the role's group and what it may do. Which children: those whose PPN1 it was sent
(reviews/access.py); the meeting it books and records is the forums app's."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

from permanence.roles import Role, sync_role_groups

ADMIN_OFFICER_PERMISSIONS = {
    Role.ADMIN_OFFICER: [
        "permanence.view_child",
        "permanence.view_episode",
        "reviews.view_review",
        "reviews.view_ppn1",
        "reviews.change_ppn1",
        "forums.view_meeting",
        "forums.add_meeting",
        "forums.change_meeting",
    ]
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reviews")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        ADMIN_OFFICER_PERMISSIONS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_sgo_referral_roles"),
        ("forums", "0002_roles"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalppn1",
            name="admin_officer",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="designated admin officer",
            ),
        ),
        migrations.AddField(
            model_name="historicalppn1",
            name="planning_meeting_id",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="ppn1",
            name="admin_officer",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="designated admin officer",
            ),
        ),
        migrations.AddField(
            model_name="ppn1",
            name="planning_meeting_id",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
