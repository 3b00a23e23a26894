"""Who may record and read the SGO referral (seed 003, SPEC §1); the object rules are in
reviews/rules.py. The child's social worker sends it; their managers may record it for them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import Role, sync_role_groups

VIEW = ["reviews.view_sgoreferral"]
RECORD = ["reviews.view_sgoreferral", "reviews.add_sgoreferral", "reviews.change_sgoreferral"]

SGO_REFERRAL_PERMISSIONS = {
    Role.SOCIAL_WORKER: RECORD,
    Role.TEAM_MANAGER: RECORD,
    Role.HEAD_OF_SERVICE: RECORD,
    Role.IRO: VIEW,
    Role.CPS_DUTY: VIEW,
    Role.FORUM_CHAIR: VIEW,
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reviews")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        SGO_REFERRAL_PERMISSIONS,
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_sgo_referral")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
