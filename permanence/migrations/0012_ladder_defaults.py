"""The ladder setting starts as the state machine's order: before each route, every rung above
it is ruled out (002 §6). The administrator may change it in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.models.plans import LADDER, PERMANENCE_ROUTES, rungs_above
from permanence.roles import Role, sync_role_groups


def seed(apps, schema_editor):
    LadderRule = apps.get_model("permanence", "LadderRule")
    for route in PERMANENCE_ROUTES:
        above = set(rungs_above(route))
        LadderRule.objects.get_or_create(
            route=route, defaults={f"rule_out_{rung}": rung in above for rung in LADDER}
        )
    app_config = apps.get_app_config("permanence")
    # A migration's app registry has stub configs; create_permissions only checks this flag.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        {Role.ADMINISTRATOR: ["permanence.view_ladderrule", "permanence.change_ladderrule"]},
    )


class Migration(migrations.Migration):
    dependencies = [("permanence", "0011_childs_world_siblings_contact_identity_ladder")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
