"""Load the supervision order rule added to fixtures/timescales.json (a year from the order,
extendable to three in all, never past 18: seed 001 §3.2) into existing databases; a rule
already there, and an administrator's changes to it, are kept."""

from django.db import migrations

from tracker.reference import default_timescales

CODES = ("supervision_order_ends",)


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
    dependencies = [
        ("tracker", "0011_ssda903_return_rows"),
        ("permanence", "0015_every_route_supervision_support_complaints_out_of_area"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
