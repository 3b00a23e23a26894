"""`manage.py bench_sweep` runs end to end (its figures are printed, not timed here)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from permanence.models import Child
from tracker.models import Deadline

pytestmark = pytest.mark.django_db


def test_bench_prints_both_sweeps_and_rolls_back(capsys):
    call_command("bench_sweep", "--children", "40", "--batch-size", "16")
    out = capsys.readouterr().out
    assert re.search(r"First sweep: 40 children in [\d.]+s = [\d,]+ children/s", out)
    rerun = re.search(r"Rerun, nothing changed: 40 children .*\((\d+) rows written", out)
    assert rerun and rerun.group(1) == "0"
    assert "Rolled back" in out
    assert not Child.objects.filter(child_id__startswith="BN").exists()
    assert not Deadline.objects.exists()


def test_bench_keep_leaves_the_children(capsys):
    call_command("bench_sweep", "--children", "10", "--keep")
    assert Child.objects.filter(child_id__startswith="BN").count() == 10
    assert Deadline.objects.exists()
