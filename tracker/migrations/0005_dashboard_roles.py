"""Who may see the tracker dashboard and its measures (SPEC §1, §6)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import Role, sync_role_groups

VIEW = "tracker.view_trackerrow"
MEASURES = "tracker.view_measures"
DASHBOARD_PERMISSIONS = {
    Role.SOCIAL_WORKER: [VIEW],
    Role.IRO: [VIEW],
    Role.TEAM_MANAGER: [VIEW, MEASURES],
    Role.HEAD_OF_SERVICE: [VIEW, MEASURES],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("tracker")
    # A migration's app registry has stub configs; create_permissions only checks this flag.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), DASHBOARD_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0004_dashboard"),
        ("permanence", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
