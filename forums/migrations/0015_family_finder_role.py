"""The family finder (permanency worker, home finder) as a role of its own (003 "Outcomes from
meeting": "Adoption Family Finder allocated", "Fostering Family Finder allocated"): they open
the children allocated to them (permanence.access), record the search and the households
considered, arrange the matching meeting and list the match at the adoption or fostering panel
with its bundle. Their group is made here, where the meetings' permissions live; the role is in
permanence/roles.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import Role, sync_role_groups

FAMILY_FINDER_PERMISSIONS = {
    Role.FAMILY_FINDER: [
        "permanence.view_child",
        "permanence.view_episode",
        "permanence.view_carerhousehold",
        "permanence.view_familyfindingallocation",
        *[
            f"permanence.{action}_{model}"
            for model in ("familysearch", "potentialmatch", "orderrecord", "sgoassessment")
            for action in ("view", "add", "change")
        ],
        "forums.view_meeting",
        "forums.add_meeting",
        "forums.change_meeting",
    ],
}


def grant(apps, schema_editor):
    for label in ("permanence", "forums"):
        app_config = apps.get_app_config(label)
        # A migration's app registry has stub configs; create_permissions only checks this flag.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        FAMILY_FINDER_PERMISSIONS,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0014_matching_meeting_and_panels"),
        ("permanence", "0017_family_finding_carers_matches_orders"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
