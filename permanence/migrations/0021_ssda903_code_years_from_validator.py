"""The years each SSDA903 code is accepted in, as the DfE validator's rulesets give them: sex as
M, F and U from 2024-25 (1 and 2 before), social worker change reasons from 2023-24 (issue 18)."""

from django.db import migrations

from permanence.reference import load_codes


def reload_codes(apps, schema_editor):
    load_codes(apps.get_model("permanence", "Code"))


class Migration(migrations.Migration):
    dependencies = [("permanence", "0020_notification_filters_and_digest")]

    operations = [migrations.RunPython(reload_codes, migrations.RunPython.noop)]
