from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tracker", "0016_alert_backlog")]

    operations = [
        migrations.AddField(
            model_name="trackerrow",
            name="sibling_count",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Not counting the child.",
                verbose_name="brothers and sisters in the group",
            ),
        ),
        migrations.AddField(
            model_name="trackerrow",
            name="sibling_placement",
            field=models.CharField(
                blank=True,
                choices=[
                    ("together", "To live together"),
                    ("apart", "Some to live apart, after a sibling assessment"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="trackerrow",
            name="sibling_assessed_on",
            field=models.DateField(
                blank=True,
                help_text="The assessment the group's placement decision rests on.",
                null=True,
                verbose_name="sibling assessment completed on",
            ),
        ),
    ]
