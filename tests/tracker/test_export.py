"""The deadlines export: one row per child per deadline, stable columns (README)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.tracker.conftest import at
from tracker import services

pytestmark = pytest.mark.django_db

D = dt.date
COLUMNS = ["child_id", "rule", "due", "status", "met_on", "owner"]
# Appended after the original columns, which keep their order (issue 12).
NEW_COLUMNS = ["instance", "counts_from", "current", "timeliness", "days_late"]


@pytest.fixture
def swept(make_child, only_rules, system, other_team, team_manager, cps_duty):
    only_rules("first_review", "second_review", "iro_allocated")
    mine = make_child(D(2026, 1, 5), child_id="A100")
    theirs = ChildFactory(team=other_team, child_id="B200")
    EpisodeFactory(child=theirs, decom=D(2026, 1, 5))
    services.deadlines_sweep(by=system, now=at(D(2026, 2, 3)))
    return mine, theirs


def read(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_command_writes_every_childs_deadlines_to_stdout(swept, iro, team_manager, capsys):
    call_command("export_deadlines")
    rows = read(capsys.readouterr().out)
    assert list(rows[0]) == COLUMNS + NEW_COLUMNS
    mine = [r for r in rows if r["child_id"] == "A100"]
    open_now = {"instance": "1", "current": "yes", "timeliness": "open", "days_late": ""}
    assert mine == [
        {
            "child_id": "A100",
            "rule": "iro_allocated",
            "due": "2026-01-12",
            "status": "overdue",
            "met_on": "",
            "owner": team_manager.username,
            "counts_from": "2026-01-05",
            **open_now,
        },
        {
            "child_id": "A100",
            "rule": "first_review",
            "due": "2026-02-02",
            "status": "overdue",
            "met_on": "",
            "owner": iro.username,
            "counts_from": "2026-01-05",
            **open_now,
        },
        {
            "child_id": "A100",
            "rule": "second_review",
            "due": "",
            "status": "not_yet_applicable",
            "met_on": "",
            "owner": "",
            "counts_from": "",
            **open_now,
        },
    ]
    assert {r["child_id"] for r in rows} == {"A100", "B200"}


def test_command_writes_a_file(swept, tmp_path):
    target = tmp_path / "deadlines.csv"
    call_command("export_deadlines", "--output", str(target))
    rows = read(target.read_text(encoding="utf-8"))
    assert len(rows) == 6


def test_download_has_only_the_users_children(swept, client, social_worker):
    client.force_login(social_worker)
    response = client.get("/tracker/deadlines/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read(b"".join(response.streaming_content).decode())
    assert {r["child_id"] for r in rows} == {"A100"}


def test_download_follows_the_filters(swept, client, social_worker):
    client.force_login(social_worker)
    response = client.get("/tracker/deadlines/export.csv?status=overdue&rule=first_review")
    rows = read(b"".join(response.streaming_content).decode())
    assert [(r["rule"], r["status"]) for r in rows] == [("first_review", "overdue")]
