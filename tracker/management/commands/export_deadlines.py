"""Every child's deadlines as CSV: child_id, rule, due, status, met_on, owner (see README)."""

from django.core.management.base import BaseCommand

from tracker.exports import stream_csv
from tracker.selectors import EXPORT_COLUMNS, export_queryset


class Command(BaseCommand):
    help = "Write one CSV row per child per deadline to stdout, or to --output FILE."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, output=None, **options):
        pieces = stream_csv(EXPORT_COLUMNS, export_queryset())
        if output:
            with open(output, "wb") as handle:
                lines = 0
                for piece in pieces:
                    handle.write(piece)
                    lines += piece.count(b"\n")
            self.stderr.write(f"Wrote {lines - 1} deadlines to {output}")
        else:
            for piece in pieces:
                self.stdout.write(piece.decode(), ending="")
