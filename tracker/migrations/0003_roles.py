"""Who may see deadlines and alerts, and who may change the timescales."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import Role, sync_role_groups

READ = ["tracker.view_deadline", "tracker.view_alert", "tracker.view_deadlinerule"]
TRACKER_PERMISSIONS = {
    Role.SOCIAL_WORKER: READ,
    Role.CPS_DUTY: READ,
    Role.FORUM_CHAIR: READ,
    Role.IRO: READ,
    Role.TEAM_MANAGER: READ,
    Role.HEAD_OF_SERVICE: READ,
    Role.ADMINISTRATOR: [*READ, "tracker.change_deadlinerule", "tracker.run_sweep"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("tracker")
    # A migration's app registry has stub configs; create_permissions only checks this flag.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), TRACKER_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0002_timescales"),
        ("permanence", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
