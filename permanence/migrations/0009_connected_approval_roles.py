"""Who may record a connected person's temporary approval (CPPCR 2010 regs 24-25): those who
change the child's record; everyone else who works with the child sees it. The object rules
are in permanence/rules.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import Role, sync_role_groups

VIEW = ["permanence.view_connectedpersonapproval"]
RECORD = [
    *VIEW,
    "permanence.add_connectedpersonapproval",
    "permanence.change_connectedpersonapproval",
]

APPROVAL_PERMISSIONS = {
    Role.SOCIAL_WORKER: RECORD,
    Role.TEAM_MANAGER: RECORD,
    Role.HEAD_OF_SERVICE: RECORD,
    Role.CPS_DUTY: VIEW,
    Role.FORUM_CHAIR: VIEW,
    Role.IRO: VIEW,
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("permanence")
    # A migration's app registry has stub configs; create_permissions only checks this flag.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), APPROVAL_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [("permanence", "0008_connected_person_approval")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
