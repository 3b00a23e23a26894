"""Load the family finding allocation rule added to fixtures/timescales.json (someone allocated
to take a ratified plan forward: a default of ours, 10 working days, seeds 000 and 003) into
existing databases; a rule already there, and an administrator's changes to it, are kept."""

from django.db import migrations

from tracker.reference import default_timescales

CODES = ("family_finding_allocated",)


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
        ("tracker", "0019_second_review_name"),
        ("permanence", "0019_family_finding_choices"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
