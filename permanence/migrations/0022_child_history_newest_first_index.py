"""An index on a child's recorded changes by date (issue 19): the child's page reads the newest
21 of a child's changes, and with only an index on the date PostgreSQL walked every child's
changes backwards to find them (250,000 rows read for 300 at 100,000 children, 70 ms). The
historical model is made by django-simple-history, which takes no indexes of ours, so the index
is the database's alone, as SQL both PostgreSQL and SQLite read."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("permanence", "0021_ssda903_code_years_from_validator")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS permanence_historicalchild_id_date "
            "ON permanence_historicalchild (id, history_date, history_id)",
            reverse_sql="DROP INDEX IF EXISTS permanence_historicalchild_id_date",
        )
    ]
