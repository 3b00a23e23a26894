"""Every child's deadlines as CSV: child_id, rule, due, status, met_on, owner (see README)."""

from django.core.management.base import BaseCommand

from tracker.exports import write_csv
from tracker.selectors import EXPORT_COLUMNS, export_rows


class Command(BaseCommand):
    help = "Write one CSV row per child per deadline to stdout, or to --output FILE."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, output=None, **options):
        if output:
            with open(output, "w", newline="", encoding="utf-8") as handle:
                count = write_csv(handle, EXPORT_COLUMNS, export_rows())
            self.stderr.write(f"Wrote {count} deadlines to {output}")
        else:
            write_csv(self.stdout, EXPORT_COLUMNS, export_rows())
