"""What each role may do in the IRO's work (SPEC §1); the object rules are in reviews/rules.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import Role, sync_role_groups

READ = [
    "reviews.view_review",
    "reviews.view_iroallocation",
    "reviews.view_ratificationcheck",
    "reviews.view_ppn1",
]

REVIEW_PERMISSIONS = {
    Role.IRO: [
        *READ,
        "reviews.add_review",
        "reviews.change_review",
        "reviews.add_ratificationcheck",
        "reviews.add_ppn1",
        "reviews.change_ppn1",
    ],
    Role.SOCIAL_WORKER: [*READ, "reviews.change_ppn1"],
    Role.TEAM_MANAGER: [*READ, "reviews.add_iroallocation", "reviews.change_ppn1"],
    Role.HEAD_OF_SERVICE: [*READ, "reviews.add_iroallocation", "reviews.change_ppn1"],
    Role.CPS_DUTY: [*READ, "reviews.change_ppn1"],
    Role.FORUM_CHAIR: READ,
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reviews")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), REVIEW_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("permanence", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
