"""Meeting types whose "comes back by" date is a SPEC §5 timescale read it from the tracker's
timescale table, instead of keeping a second copy of the number here."""

from django.db import migrations, models

FOLLOWS = {
    "legal-gateway": "legal_gateway_rereview",
    "early-permanence": "first_ppm",
    "care-planning": "care_planning_meeting",
    "permanence-panel": "red_plan_panel",
}


def follow(apps, schema_editor):
    meeting_type = apps.get_model("forums", "MeetingType")
    for code, timescale_code in FOLLOWS.items():
        meeting_type.objects.filter(code=code).update(
            timescale_code=timescale_code, repeat_amount=None, repeat_unit=""
        )


class Migration(migrations.Migration):
    dependencies = [("forums", "0003_meeting_types")]

    operations = [
        migrations.AddField(
            model_name="meetingtype",
            name="timescale_code",
            field=models.CharField(
                blank=True,
                help_text="When set, the child comes back by this SPEC §5 timescale, changed "
                "under “Timescales”, and the numbers above are not used: one number, one place.",
                max_length=40,
                verbose_name="follows the timescale",
            ),
        ),
        migrations.RunPython(follow, migrations.RunPython.noop),
    ]
