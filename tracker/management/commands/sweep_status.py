"""`manage.py sweep_status`: is the deadline sweep running? (issue 17)

Shows, for the daily sweep, the weekly full recomputation and the hourly sweep, when beat last
sent the job, when a run last finished, how many children it went through and what it raised;
and how many e-mails are still owed. Exits with an error when no daily sweep has finished in the
last 26 hours (06:00 each day, with two hours' grace), so a monitor can run it: a full
recomputation run by hand does not stand in for it.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from permanence.models import Notification
from tracker.models import Alert, SweepRun
from tracker.schedules import SCHEDULES

STALE_AFTER = dt.timedelta(hours=26)
JOB = {
    SweepRun.Kind.DAILY: "tracker.tasks.deadlines_sweep",
    SweepRun.Kind.FULL: "tracker.tasks.deadlines_repair",
    SweepRun.Kind.DUE_TODAY: "tracker.tasks.deadlines_sweep_due_today",
}


def _ago(moment: dt.datetime | None, now: dt.datetime) -> str:
    if moment is None:
        return "never"
    minutes = int((now - moment).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    ago = f"{hours} h {minutes} min ago" if hours else f"{minutes} min ago"
    return f"{timezone.localtime(moment):%a %-d %b %Y %H:%M} ({ago})"


class Command(BaseCommand):
    help = "Show when the deadline sweeps last ran and what they did; fail if the daily is late."

    def handle(self, *args, **options):
        from django_celery_beat.models import PeriodicTask

        now = timezone.now()
        sent = {
            task.task: task.last_run_at
            for task in PeriodicTask.objects.filter(name__in=[s.full_name for s in SCHEDULES])
        }
        for kind in SweepRun.Kind:
            run = SweepRun.objects.filter(kind=kind).first()
            self.stdout.write(kind.label)
            self.stdout.write(f"  beat last sent it:  {_ago(sent.get(JOB[kind]), now)}")
            self.stdout.write(
                f"  last run finished:  {_ago(run.finished_at if run else None, now)}"
            )
            if run is not None:
                took = (run.finished_at - run.started_at).total_seconds()
                self.stdout.write(f"  took:               {took:.0f} s")
                self.stdout.write(f"  children processed: {run.children}")
                self.stdout.write(f"  deadlines written:  {run.deadlines_written}")
                self.stdout.write(
                    f"  alerts raised:      {run.alerts_raised} "
                    f"(closed {run.alerts_closed}, escalated {run.alerts_escalated})"
                )
                self.stdout.write(f"  notifications:      {run.notifications}")
        open_alerts = Alert.objects.filter(closed_at__isnull=True).count()
        owed = Notification.objects.filter(email_due_at__isnull=False).count()
        self.stdout.write(f"Open alerts: {open_alerts}. E-mails still owed: {owed}.")

        last = SweepRun.objects.filter(kind=SweepRun.Kind.DAILY).first()
        if last is None or now - last.finished_at > STALE_AFTER:
            raise CommandError(
                "The daily deadline sweep has not finished in the last 26 hours: check that "
                "Celery beat and a worker are running (docker compose ps; GET /health/)."
            )
