"""Run the deadline sweep by hand: the daily one the 06:00 beat job calls, or with --full the
weekly repair job's full recomputation."""

from django.core.management.base import BaseCommand

from permanence.services import system_user
from tracker.services import deadlines_sweep, deadlines_sweep_daily, deadlines_sweep_due_today


class Command(BaseCommand):
    help = (
        "Move deadline statuses as the date passes and raise the alerts (as the 06:00 job "
        "does); --full works every child's deadlines out again (the weekly repair job)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--due-today",
            action="store_true",
            help="Only the hourly sweep: deadlines due by a time of day today (Part 1).",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Every child's deadlines worked out again in full (the weekly repair job).",
        )

    def handle(self, *args, due_today=False, full=False, **options):
        service = deadlines_sweep_daily
        if due_today:
            service = deadlines_sweep_due_today
        elif full:
            service = deadlines_sweep
        summary = service(by=system_user())
        self.stdout.write(str(summary))
