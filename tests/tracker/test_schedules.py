"""Every beat schedule comes from tracker/schedules.py, synced into django-celery-beat."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from tracker.schedules import PREFIX, SCHEDULES, sync_schedules

pytestmark = pytest.mark.django_db


def test_migrate_has_put_the_schedules_in_beats_tables():
    # post_migrate ran sync_schedules when the test database was made.
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {s.full_name for s in SCHEDULES} <= names


def test_daily_sweep_at_six_london_time():
    task = PeriodicTask.objects.get(task="tracker.tasks.deadlines_sweep")
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "6", "*")
    assert str(crontab.timezone) == "Europe/London"
    assert task.enabled


def test_part1_sweep_every_hour():
    task = PeriodicTask.objects.get(task="tracker.tasks.deadlines_sweep_due_today")
    assert (task.crontab.minute, task.crontab.hour) == ("5", "*")


def test_sync_is_idempotent_and_removes_schedules_no_longer_listed():
    assert sync_schedules() == {"created": 0, "updated": 0, "removed": 0}
    stale = PeriodicTask.objects.get(task="tracker.tasks.deadlines_sweep")
    stale.pk, stale.name = None, PREFIX + "an old job"
    stale.save()
    assert sync_schedules()["removed"] == 1
    assert not PeriodicTask.objects.filter(name=PREFIX + "an old job").exists()


def test_a_changed_schedule_is_put_right_and_a_paused_one_stays_paused(capsys):
    task = PeriodicTask.objects.get(task="tracker.tasks.deadlines_sweep")
    task.description = "edited by hand"
    task.enabled = False
    task.save()
    call_command("sync_schedules")
    assert "updated: 1" in capsys.readouterr().out
    task.refresh_from_db()
    assert task.description != "edited by hand"
    assert not task.enabled


def test_each_scheduled_task_exists():
    from permanence.celery import app

    app.loader.import_default_modules()
    for schedule in SCHEDULES:
        assert schedule.task in app.tasks


def test_full_recomputation_weekly_on_sunday_night():
    task = PeriodicTask.objects.get(task="tracker.tasks.deadlines_repair")
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "3", "0")
    assert str(crontab.timezone) == "Europe/London"
