"""The second review's rule is named for what meets it, the review being held: "Second looked-after
review", no longer "Second review (plan ratified)", which read as a contradiction beside the
tracker's "the plan was not ratified at the second review" (issue 16). A name an administrator
has changed is kept."""

from django.db import migrations

OLD = "Second review (plan ratified)"
NEW = "Second looked-after review"


def rename(apps, schema_editor):
    rule_model = apps.get_model("tracker", "DeadlineRule")
    rule_model.objects.filter(code="second_review", name=OLD).update(name=NEW)


def rename_back(apps, schema_editor):
    rule_model = apps.get_model("tracker", "DeadlineRule")
    rule_model.objects.filter(code="second_review", name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0018_panel_action_rule")]

    operations = [migrations.RunPython(rename, rename_back)]
