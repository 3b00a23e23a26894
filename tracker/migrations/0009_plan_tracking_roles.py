"""The adoption manager, the fostering services manager and the IRO manager track every plan of
the service they oversee, together (002 §12): they read the children, plans, reviews, forum
papers, deadlines and the tracker with its measures, and change nothing on a child's record.
Their scope is in permanence.access.

The groups are made here, in the tracker, because it is the one app whose migrations may name
the permissions of every other app."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import TRACKING_ROLES, sync_role_groups

READ = [
    "permanence.view_child",
    "permanence.view_episode",
    "permanence.view_connectedpersonapproval",
    "permanence.view_plan",
    "permanence.view_planaction",
    "permanence.view_optionconsidered",
    "reviews.view_review",
    "reviews.view_iroallocation",
    "reviews.view_ratificationcheck",
    "reviews.view_ppn1",
    *(f"forums.view_{m}" for m in ("booking", "part1", "part2", "meeting", "disruption")),
    "tracker.view_deadline",
    "tracker.view_alert",
    "tracker.view_deadlinerule",
    "tracker.view_trackerrow",
    "tracker.view_measures",
]


def grant(apps, schema_editor):
    for label in ("permanence", "reviews", "forums", "tracker"):
        app_config = apps.get_app_config(label)
        # A migration's app registry has stub configs; create_permissions only checks this flag.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        dict.fromkeys(TRACKING_ROLES, READ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0008_deadline_every_instance"),
        ("permanence", "0012_ladder_defaults"),
        ("reviews", "0005_sgo_referral_roles"),
        ("forums", "0007_legal_gateway_papers_and_stage1"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
