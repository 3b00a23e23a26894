"""Load the SSDA903 code lists from fixtures/ssda903_codes.json."""

from django.db import migrations

from permanence.reference import load_codes


def load(apps, schema_editor):
    load_codes(apps.get_model("permanence", "Code"))


class Migration(migrations.Migration):
    dependencies = [("permanence", "0002_roles")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
