"""What each role may do with the permanence plan (SPEC §1, §3); the object rules are in
permanence/plans/rules.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import Role, sync_role_groups

DRAFTING = [
    "permanence.view_plan",
    "permanence.add_plan",
    "permanence.change_plan",
    "permanence.present_plan",
    "permanence.view_planaction",
    "permanence.add_planaction",
    "permanence.change_planaction",
    "permanence.view_optionconsidered",
    "permanence.add_optionconsidered",
]
ACTIONS = [
    "permanence.view_plan",
    "permanence.view_planaction",
    "permanence.add_planaction",
    "permanence.change_planaction",
    "permanence.view_optionconsidered",
]

PLAN_PERMISSIONS = {
    Role.SOCIAL_WORKER: DRAFTING,
    Role.TEAM_MANAGER: DRAFTING,
    Role.HEAD_OF_SERVICE: [
        "permanence.view_plan",
        "permanence.change_plan",
        "permanence.present_plan",
        "permanence.ratify_final_plan",
        "permanence.view_planaction",
        "permanence.add_planaction",
        "permanence.change_planaction",
        "permanence.view_optionconsidered",
        "permanence.add_optionconsidered",
    ],
    # The forum chair (a group manager, 000) records forum advice and may ratify the final plan.
    Role.FORUM_CHAIR: [*ACTIONS, "permanence.present_plan", "permanence.ratify_final_plan"],
    Role.CPS_DUTY: [*ACTIONS, "permanence.present_plan"],
    Role.IRO: [*ACTIONS, "permanence.ratify_plan"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("permanence")
    # A migration's app registry has stub configs; create_permissions only checks this flag.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), PLAN_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [("permanence", "0006_plans")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
