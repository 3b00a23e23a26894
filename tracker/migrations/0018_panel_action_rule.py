"""Load the rule for Permanence Panel actions (each done by the date the panel set, followed up
by the permanence coordinator) into existing databases; an administrator's changes are kept."""

from django.db import migrations

from tracker.reference import default_timescales

CODES = ("panel_action",)


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
    dependencies = [("tracker", "0017_tracker_row_siblings")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
