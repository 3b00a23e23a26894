"""`manage.py sweep_status` (issue 17): an operator can tell the deadline sweep is running."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tracker import services
from tracker.models import Alert, SweepRun
from tracker.schedules import sync_schedules

pytestmark = pytest.mark.django_db


def _status() -> str:
    out = StringIO()
    call_command("sweep_status", stdout=out)
    return out.getvalue()


def test_never_run_fails_and_says_what_to_check():
    with pytest.raises(CommandError, match="has not finished in the last 26 hours"):
        _status()


def test_after_a_sweep_it_shows_the_run_the_children_and_the_alerts(make_child, system):
    sync_schedules()
    long_ago = timezone.localdate() - dt.timedelta(days=60)  # the first review is overdue
    make_child(since=long_ago)
    make_child(since=long_ago)
    summary = services.deadlines_sweep_daily(by=system)
    assert summary.alerts_raised >= 2

    text = _status()
    run = SweepRun.objects.get(kind=SweepRun.Kind.DAILY)
    assert run.children == 2 and run.alerts_raised == summary.alerts_raised
    assert "children processed: 2" in text
    assert f"alerts raised:      {summary.alerts_raised} " in text
    assert "min ago" in text.split("last run finished:")[1].splitlines()[0]
    assert f"Open alerts: {Alert.objects.filter(closed_at__isnull=True).count()}." in text
    # Beat has not sent it yet in this test: the status says so rather than guessing.
    assert "beat last sent it:  never" in text


def test_a_rerun_records_a_second_run_with_nothing_raised(make_child, system):
    make_child(since=timezone.localdate() - dt.timedelta(days=60))
    services.deadlines_sweep_daily(by=system)
    services.deadlines_sweep_daily(by=system)
    latest = SweepRun.objects.filter(kind=SweepRun.Kind.DAILY).first()
    assert SweepRun.objects.count() == 2 and latest.alerts_raised == 0 and latest.children == 1


def test_the_full_recomputation_is_recorded_as_full_and_the_daily_as_daily(make_child, system):
    make_child(since=timezone.localdate() - dt.timedelta(days=60))
    # The daily job's first run, with no sweep before it, works everything out: still the daily.
    services.deadlines_sweep_daily(by=system, now=timezone.now() - dt.timedelta(days=2))
    services.deadlines_sweep(by=system, now=timezone.now() - dt.timedelta(days=1))
    services.deadlines_sweep_daily(by=system)
    call_command("sweep_deadlines", "--full", stdout=StringIO())
    kinds = list(SweepRun.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["daily", "full", "daily", "full"]


def test_it_says_when_the_last_daily_and_the_last_full_sweep_finished(make_child, system):
    make_child(since=timezone.localdate() - dt.timedelta(days=60))
    services.deadlines_sweep(by=system)
    services.deadlines_sweep_daily(by=system)
    SweepRun.objects.filter(kind=SweepRun.Kind.FULL).update(
        finished_at=timezone.now() - dt.timedelta(days=3, hours=2)
    )
    SweepRun.objects.filter(kind=SweepRun.Kind.DAILY).update(
        finished_at=timezone.now() - dt.timedelta(hours=1, minutes=30)
    )
    text = _status()
    daily = text.split("Daily sweep (06:00)")[1].split("Full recomputation")[0]
    full = text.split("Full recomputation (weekly repair)")[1].split("Due-today sweep")[0]
    assert "last run finished:  " in daily and "(1 h 30 min ago)" in daily
    assert "last run finished:  " in full and "(74 h 0 min ago)" in full


def test_a_full_recomputation_alone_does_not_pass_for_the_daily_sweep(make_child, system):
    # The monitor asks whether beat runs the 06:00 job; a repair run by hand does not answer it.
    make_child(since=timezone.localdate() - dt.timedelta(days=60))
    services.deadlines_sweep(by=system)
    with pytest.raises(CommandError, match="has not finished in the last 26 hours"):
        _status()


def test_a_daily_sweep_older_than_26_hours_fails(make_child, system):
    make_child(since=timezone.localdate() - dt.timedelta(days=60))
    services.deadlines_sweep_daily(by=system)
    SweepRun.objects.update(finished_at=timezone.now() - dt.timedelta(hours=27))
    with pytest.raises(CommandError):
        _status()


def test_the_hourly_sweep_is_recorded_too(system):
    services.deadlines_sweep_due_today(by=system)
    assert SweepRun.objects.filter(kind=SweepRun.Kind.DUE_TODAY).count() == 1


def test_it_shows_when_beat_last_sent_the_sweep(make_child, system):
    from django_celery_beat.models import PeriodicTask

    sync_schedules()
    services.deadlines_sweep_daily(by=system)
    sent = timezone.now() - dt.timedelta(hours=3, minutes=5)
    PeriodicTask.objects.filter(task="tracker.tasks.deadlines_sweep").update(last_run_at=sent)
    text = _status()
    daily = text.split("Daily sweep (06:00)")[1].split("Full recomputation")[0]
    assert f"{timezone.localtime(sent):%H:%M} (3 h 5 min ago)" in daily
