"""`manage.py bench_sweep` runs end to end (its figures are printed, not timed here)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from permanence.models import Child, Notification
from tracker.models import Deadline

pytestmark = pytest.mark.django_db

ROW = r"{}\s+([\d,]+)\s+([\d.]+)\s+([\d.]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)"


def test_bench_prints_the_daily_and_the_full_sweep_side_by_side(capsys):
    # --keep: the test database stands in for the scratch one the command makes by default.
    call_command("bench_sweep", "--children", "40", "--batch-size", "16", "--keep")
    out = capsys.readouterr().out
    first = re.search(ROW.format("Full: first sweep"), out)
    assert first and int(first.group(4).replace(",", "")) > 40  # deadlines written
    for rerun in ("Full: rerun, nothing changed", "Daily: rerun, nothing changed"):
        found = re.search(ROW.format(re.escape(rerun)), out)
        assert found and found.group(4, 5, 6) == ("0", "0", "0"), rerun
    assert re.search(ROW.format("Daily: the date moved a day"), out)
    assert re.search(r"[\d,]+ e-mails queued", out)
    assert Child.objects.filter(child_id__startswith="BN").count() == 40
    assert Deadline.objects.exists()
    # Kept synthetic children owe no e-mail to anyone.
    assert not Notification.objects.filter(email_due_at__isnull=False).exists()


def test_daily_only_times_the_daily_sweep_after_one_full_sweep(capsys):
    call_command("bench_sweep", "--children", "30", "--daily-only", "--keep")
    out = capsys.readouterr().out
    assert re.search(ROW.format("Full: first sweep"), out)
    assert "Full: rerun" not in out and "Full: the date moved" not in out
    moved = re.search(ROW.format("Daily: the date moved a day"), out)
    rerun = re.search(ROW.format(re.escape("Daily: rerun, nothing changed")), out)
    assert moved and rerun and rerun.group(4, 5, 6) == ("0", "0", "0")


def test_a_large_synthetic_authority_has_several_services_uneven_caseloads_and_long_records(
    monkeypatch, system
):
    from collections import Counter

    from tracker import bench
    from tracker.dashboard import scale

    # What a build of 4,000 children and more does, at a size a test can afford.
    monkeypatch.setattr(bench, "SERVICE_CHILDREN", 30)
    monkeypatch.setattr(bench, "CHILDREN_PER_WORKER", 6)
    monkeypatch.setattr(bench, "WORKERS_PER_TEAM", 2)
    seeded = scale.seed(120, by=system)
    children = Child.objects.filter(child_id__startswith="BN")
    assert len(set(children.values_list("team__service", flat=True))) == 4
    caseloads = Counter(
        children.exclude(social_worker=None).values_list("social_worker", flat=True)
    )
    assert max(caseloads.values()) >= 2 * min(caseloads.values())
    assert seeded.busy_children == 1
    busiest = max(children, key=lambda c: c.history.count())
    assert busiest.history.count() > 300
