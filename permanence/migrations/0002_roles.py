"""The roles of SPEC §1 as groups, with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from permanence.roles import sync_role_groups


def make_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for label in ("auth", "contenttypes", "permanence"):
        app_config = apps.get_app_config(label)
        # A migration's app registry has stub configs; create_permissions only checks this flag.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("permanence", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_roles, migrations.RunPython.noop)]
