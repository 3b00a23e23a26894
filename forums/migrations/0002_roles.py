"""The forums app's model permissions for each role (SPEC §1)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import Role, sync_role_groups


def _view(*models):
    return [f"forums.view_{m}" for m in models]


CASE_MODELS = ("booking", "part1", "part2", "meeting", "disruption")

FORUMS_ROLE_PERMISSIONS = {
    Role.SOCIAL_WORKER: [
        *_view(*CASE_MODELS),
        "forums.add_booking",
        "forums.change_part1",
        "forums.add_meeting",
        "forums.change_meeting",
        "forums.add_disruption",
        "forums.change_disruption",
    ],
    Role.TEAM_MANAGER: [
        *_view(*CASE_MODELS),
        "forums.add_booking",
        "forums.change_part1",
        "forums.add_meeting",
        "forums.change_meeting",
        "forums.add_disruption",
        "forums.change_disruption",
    ],
    Role.HEAD_OF_SERVICE: [
        *_view(*CASE_MODELS),
        "forums.add_meeting",
        "forums.change_meeting",
    ],
    Role.CPS_DUTY: [
        *_view("forumsession", *CASE_MODELS),
        "forums.add_forumsession",
        "forums.change_forumsession",
        "forums.confirm_booking",
        "forums.add_meeting",
        "forums.change_meeting",
        "forums.change_disruption",
    ],
    Role.FORUM_CHAIR: [
        *_view("forumsession", *CASE_MODELS),
        "forums.change_part2",
        "forums.add_meeting",
        "forums.change_meeting",
    ],
    Role.IRO: [*_view(*CASE_MODELS)],
    Role.ADMINISTRATOR: [
        "forums.view_meetingtype",
        "forums.add_meetingtype",
        "forums.change_meetingtype",
        "forums.view_forumsession",
    ],
}


def grant(apps, schema_editor):
    for label in ("auth", "contenttypes", "forums"):
        app_config = apps.get_app_config(label)
        # A migration's app registry has stub configs; create_permissions only checks this flag.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), FORUMS_ROLE_PERMISSIONS
    )


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0001_initial"),
        ("permanence", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
