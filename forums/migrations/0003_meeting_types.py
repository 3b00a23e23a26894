"""Load the panel and meeting types from fixtures/meeting_types.json (SPEC §4)."""

from django.db import migrations

from forums.reference import load_meeting_types


def load(apps, schema_editor):
    load_meeting_types(apps.get_model("forums", "MeetingType"))


class Migration(migrations.Migration):
    dependencies = [("forums", "0002_roles")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
