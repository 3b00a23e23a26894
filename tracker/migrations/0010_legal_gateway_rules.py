"""Load the Legal Gateway rules added to fixtures/timescales.json (an unplanned admission heard
at the panel; each assessment it asks for completed by its date) into existing databases; rules
already there, and an administrator's changes to them, are kept."""

from django.db import migrations

from tracker.reference import default_timescales

CODES = ("legal_gateway_after_admission", "gateway_assessment")


def load(apps, schema_editor):
    rule_model = apps.get_model("tracker", "DeadlineRule")
    # Only the fields this migration's model has: a later migration may add more.
    known = {field.name for field in rule_model._meta.get_fields()}
    existing = set(rule_model.objects.values_list("code", flat=True))
    rule_model.objects.bulk_create(
        rule_model(**{k: v for k, v in row.items() if k in known})
        for row in default_timescales()
        if row["code"] in CODES and row["code"] not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("tracker", "0009_plan_tracking_roles")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
