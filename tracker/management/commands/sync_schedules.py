"""Write the schedules in tracker/schedules.py into Celery beat's tables (migrate does it too)."""

from django.core.management.base import BaseCommand

from tracker.schedules import sync_schedules


class Command(BaseCommand):
    help = "Create or update every beat schedule from tracker/schedules.py."

    def handle(self, *args, **options):
        result = sync_schedules()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in result.items()))
