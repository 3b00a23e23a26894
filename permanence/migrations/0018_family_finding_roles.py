"""Who may keep the carers' register, allocate, search, match and record orders (issue 14).
The object rules are in permanence/finding/rules.py and permanence/access.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import Role, sync_role_groups

CHILD_MODELS = ("familysearch", "potentialmatch", "orderrecord", "sgoassessment")


def _perms(actions, models):
    return [f"permanence.{a}_{m}" for m in models for a in actions]


READ_ALL = _perms(("view",), ("carerhousehold", "familyfindingallocation", *CHILD_MODELS))
WORK = [*READ_ALL, *_perms(("add", "change"), CHILD_MODELS)]
MANAGE = [*WORK, *_perms(("add", "change"), ("familyfindingallocation",))]

FINDING_PERMISSIONS = {
    Role.CPS_DUTY: [*MANAGE, *_perms(("add", "change"), ("carerhousehold",))],
    Role.SOCIAL_WORKER: WORK,
    Role.TEAM_MANAGER: MANAGE,
    Role.HEAD_OF_SERVICE: MANAGE,
    Role.IRO: READ_ALL,
    Role.FORUM_CHAIR: READ_ALL,
    Role.ADOPTION_MANAGER: READ_ALL,
    Role.FOSTERING_MANAGER: READ_ALL,
    Role.IRO_MANAGER: READ_ALL,
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("permanence")
    # A migration's app registry has stub configs; create_permissions only checks this flag.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), FINDING_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [("permanence", "0017_family_finding_carers_matches_orders")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
