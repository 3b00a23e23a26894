"""Every Celery beat schedule of the product, in one place (SPEC §5; CONVENTIONS).

`sync_schedules()` writes them into django-celery-beat's tables. It runs after every `migrate`
(post_migrate, see TrackerConfig.ready) and by hand with `manage.py sync_schedules`, so a
schedule changed here reaches beat with the next deployment, and beat's database scheduler
picks it up without a restart. Only tasks named here are touched: the prefix marks them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

PREFIX = "permanence: "
TIMEZONE = "Europe/London"


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    description: str = ""

    @property
    def full_name(self) -> str:
        return PREFIX + self.name


SCHEDULES: tuple[Schedule, ...] = (
    Schedule(
        name="deadline sweep, daily 06:00",
        task="tracker.tasks.deadlines_sweep",
        minute="0",
        hour="6",
        description=(
            "Moves deadlines to due soon and overdue as the date passes, and raises the "
            "alerts that brings."
        ),
    ),
    Schedule(
        name="deadline repair, weekly Sunday 03:00",
        task="tracker.tasks.deadlines_repair",
        minute="0",
        hour="3",
        day_of_week="0",
        description=(
            "Every child's deadlines, statuses and alerts worked out again in full, putting "
            "right anything a lost refresh left behind."
        ),
    ),
    Schedule(
        name="Part 1s due today, hourly",
        task="tracker.tasks.deadlines_sweep_due_today",
        # Five past the hour, so that 17:00 has clearly passed when the 17:05 run looks.
        minute="5",
        hour="*",
        description="Part 1 due by 17:00 today becomes overdue once the time passes.",
    ),
    Schedule(
        name="e-mail outbox, every minute",
        task="permanence.tasks.notification_emails_send",
        minute="*",
        hour="*",
        description=(
            "Sends every notification e-mail still owed: those whose queueing failed, whose "
            "task was lost, or whose last try failed and is due again (issue 11)."
        ),
    ),
    Schedule(
        name="e-mail digest, daily 07:00",
        task="permanence.tasks.notification_digests_send",
        minute="0",
        hour="7",
        description=(
            "One e-mail to each person who chose a daily digest, listing their notifications "
            "since the last one, after the morning's sweep; once a day at most (issue 16)."
        ),
    ),
)


def sync_schedules(*, using: str = "default") -> dict[str, int]:
    """Create or update each schedule in django-celery-beat; remove ours no longer listed."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = updated = removed = 0
    for schedule in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
            minute=schedule.minute,
            hour=schedule.hour,
            day_of_week=schedule.day_of_week,
            day_of_month=schedule.day_of_month,
            month_of_year=schedule.month_of_year,
            timezone=TIMEZONE,
        )
        wanted = {
            "task": schedule.task,
            "crontab": crontab,
            "interval": None,
            "solar": None,
            "clocked": None,
            "one_off": False,
            "args": json.dumps([]),
            "kwargs": json.dumps({}),
            "description": schedule.description,
        }
        task = PeriodicTask.objects.using(using).filter(name=schedule.full_name).first()
        if task is None:
            # Created enabled; an operator who pauses one in the admin is not overruled later.
            PeriodicTask.objects.using(using).create(
                name=schedule.full_name, enabled=True, **wanted
            )
            created += 1
        elif any(getattr(task, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(task, k, v)
            task.save()
            updated += 1
    names = {s.full_name for s in SCHEDULES}
    for task in PeriodicTask.objects.using(using).filter(name__startswith=PREFIX):
        if task.name not in names:
            task.delete()
            removed += 1
    return {"created": created, "updated": updated, "removed": removed}
