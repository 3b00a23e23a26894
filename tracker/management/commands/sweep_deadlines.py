"""Run the daily deadline sweep by hand: the same service the 06:00 beat job calls."""

from django.core.management.base import BaseCommand

from permanence.services import system_user
from tracker.services import deadlines_sweep, deadlines_sweep_due_today


class Command(BaseCommand):
    help = "Work out every child's deadlines, raise and close alerts (as the 06:00 job does)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--due-today",
            action="store_true",
            help="Only the hourly sweep: deadlines due by a time of day today (Part 1).",
        )

    def handle(self, *args, due_today=False, **options):
        service = deadlines_sweep_due_today if due_today else deadlines_sweep
        summary = service(by=system_user())
        self.stdout.write(str(summary))
