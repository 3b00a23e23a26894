"""Round trip: importing an export and exporting again gives the same tables."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from permanence.models import Child, Episode
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.tracker.ssda903_data import GOOD, GOOD_YEAR, files_in
from tracker.ssda903 import writer
from tracker.ssda903.services import ssda903_import
from tracker.ssda903.tables import (
    EPISODES,
    HEADER,
    PLACED_ADOPTION,
    REVIEWS,
    SW_EPISODES,
    CollectionYear,
)

pytestmark = pytest.mark.django_db


def export_files(tmp_path, year, name):
    folder = tmp_path / name
    writer.write_folder(writer.build_tables(year=CollectionYear(year)), folder)
    return folder


def test_a_return_imported_into_an_empty_product_exports_unchanged(administrator, team, tmp_path):
    ssda903_import(files=files_in(GOOD), by=administrator, team=team)

    exported = export_files(tmp_path, GOOD_YEAR, "export")

    # Every table, the ones the service keeps as given too, byte for byte.
    for table in (HEADER, EPISODES, REVIEWS, PLACED_ADOPTION, SW_EPISODES):
        assert (exported / table.filename).read_bytes() == (GOOD / table.filename).read_bytes()
    assert sorted(p.name for p in exported.iterdir()) == sorted(p.name for p in GOOD.glob("*.csv"))


def test_every_column_survives_a_round_trip_through_an_empty_product(administrator, team, tmp_path):
    """Children made in the product, exported, removed, imported back and exported again."""
    mother = ChildFactory(
        child_id="RT0001",
        team=team,
        sex="F",
        date_of_birth=dt.date(2009, 7, 1),
        ethnicity="AOTH",
        upn="A123456789012",
        is_mother=True,
        mothers_child_dob=dt.date(2025, 12, 24),
    )
    EpisodeFactory(
        child=mother,
        decom=dt.date(2025, 6, 2),
        rne="S",
        legal_status="C2",
        cin="N3",
        place="R1",
        place_provider="PR3",
        dec=dt.date(2025, 11, 3),
        rec="X1",
        reason_place_change="ALLEG",
        home_post="SW1A 1AA",
        pl_post="N1 9GU",
        urn="",
    )
    EpisodeFactory(
        child=mother,
        decom=dt.date(2025, 11, 3),
        rne="B",
        legal_status="J2",
        cin="N3",
        place="K1",
        place_provider="PR2",
        home_post="SW1A 1AA",
        pl_post="LS1 4DY",
        urn="SC123456",
    )
    boy = ChildFactory(child_id="RT0002", team=team, sex="U", upn="", ethnicity="")
    EpisodeFactory(child=boy, decom=dt.date(2025, 9, 9), dec=dt.date(2026, 2, 2), rec="E41")
    first = export_files(tmp_path, 2026, "first")

    Episode.objects.all().delete()
    Child.objects.all().delete()
    ssda903_import(files=files_in(first), by=administrator, team=team)
    second = export_files(tmp_path, 2026, "second")

    for table in (HEADER, EPISODES):
        assert (second / table.filename).read_text() == (first / table.filename).read_text()
    assert len((first / EPISODES.filename).read_text().splitlines()) == 4


def test_the_demo_authority_round_trips_and_a_reimport_changes_nothing(administrator, tmp_path):
    call_command("seed_demo", verbosity=0)
    year = CollectionYear.containing(timezone.localdate()).end_year
    first = export_files(tmp_path, year, "first")
    history = (Child.history.count(), Episode.history.count())

    report = ssda903_import(files=files_in(first), by=administrator)

    assert report.problems == []
    assert report.children.unchanged == len((first / "header.csv").read_text().splitlines()) - 1
    assert (report.children.updated, report.episodes.updated, report.episodes.created) == (0, 0, 0)
    assert (Child.history.count(), Episode.history.count()) == history
    assert report.reviews.unchanged == len((first / "reviews.csv").read_text().splitlines()) - 1
    second = export_files(tmp_path, year, "second")
    for table in (HEADER, EPISODES, REVIEWS):
        assert (second / table.filename).read_bytes() == (first / table.filename).read_bytes()
