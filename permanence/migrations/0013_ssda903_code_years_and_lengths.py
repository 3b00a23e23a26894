"""SSDA903 codes of every length the DfE accepts (Z11 to Z14, CUSTOD), and the first collection
year each code is accepted in (issue 18)."""

from django.db import migrations, models

from permanence.reference import load_codes


def reload_codes(apps, schema_editor):
    load_codes(apps.get_model("permanence", "Code"))


class Migration(migrations.Migration):
    dependencies = [("permanence", "0012_ladder_defaults")]

    operations = [
        migrations.AddField(
            model_name="code",
            name="introduced_in",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="First collection year (the year it ends) in which the DfE accepts it; "
                "blank when it was accepted in 2017-18, the earliest year held.",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="episode",
            name="place",
            field=models.CharField(max_length=3, verbose_name="placement type"),
        ),
        migrations.AlterField(
            model_name="historicalepisode",
            name="place",
            field=models.CharField(max_length=3, verbose_name="placement type"),
        ),
        migrations.AlterField(
            model_name="episode",
            name="reason_place_change",
            field=models.CharField(
                blank=True, max_length=6, verbose_name="reason for placement change"
            ),
        ),
        migrations.AlterField(
            model_name="historicalepisode",
            name="reason_place_change",
            field=models.CharField(
                blank=True, max_length=6, verbose_name="reason for placement change"
            ),
        ),
        migrations.RunPython(reload_codes, migrations.RunPython.noop),
    ]
