"""The SPEC §5 timescale defaults from fixtures/timescales.json (kept if already edited)."""

from django.db import migrations

from tracker.reference import load_timescales


def load(apps, schema_editor):
    load_timescales(apps.get_model("tracker", "DeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
