"""Exporting the SSDA903 tables for a collection year from the product's own records."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from permanence.models import Child
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.tracker.ssda903_data import read_table
from tracker.ssda903 import writer
from tracker.ssda903.services import ssda903_export
from tracker.ssda903.tables import EPISODES, HEADER, REVIEWS, CollectionYear

pytestmark = pytest.mark.django_db

DFE_HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
DFE_EPISODES = [
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
]


def episode(child, decom, dec=None, rec="", **kwargs):
    return EpisodeFactory(child=child, decom=decom, dec=dec, rec=rec, **kwargs)


@pytest.fixture
def year_2026(team):
    """Children around the 2025-26 collection year (1 April 2025 to 31 March 2026)."""
    left_before = ChildFactory(child_id="GONE1", team=team)
    episode(left_before, dt.date(2024, 6, 1), dt.date(2025, 3, 31), "E13")
    in_year = ChildFactory(
        child_id="INYR1",
        team=team,
        sex="F",
        date_of_birth=dt.date(2012, 3, 9),
        upn="UN3",
        is_mother=False,
    )
    episode(
        in_year,
        dt.date(2025, 1, 10),
        dt.date(2025, 4, 1),
        "X1",
        reason_place_change="CARPL",
        cin="N4",
    )
    episode(in_year, dt.date(2025, 4, 1), dt.date(2026, 6, 1), "E13", cin="N4", place="U4")
    started_after = ChildFactory(child_id="LATE1", team=team)
    episode(started_after, dt.date(2026, 5, 1))
    ChildFactory(
        child_id="UNBORN1",
        team=team,
        date_of_birth=None,
        expected_date_of_birth=dt.date(2027, 1, 1),
        sex="",
    )
    return in_year


def test_export_holds_each_child_and_episode_open_during_the_year(year_2026):
    tables = writer.build_tables(year=CollectionYear(2026))

    assert [r["CHILD"] for r in tables[HEADER]] == ["INYR1"]
    assert [(r["CHILD"], r["DECOM"]) for r in tables[EPISODES]] == [
        ("INYR1", "10/01/2025"),
        ("INYR1", "01/04/2025"),
    ]
    assert tables[HEADER][0] == {
        "CHILD": "INYR1",
        "SEX": "F",
        "DOB": "09/03/2012",
        "ETHNIC": "WBRI",
        "UPN": "UN3",
        "MOTHER": "0",
        "MC_DOB": "",
    }


def test_an_episode_ending_after_the_year_is_shown_open_as_it_was_on_31_march(year_2026):
    tables = writer.build_tables(year=CollectionYear(2026))

    first, second = tables[EPISODES]
    assert (first["DEC"], first["REC"], first["REASON_PLACE_CHANGE"]) == (
        "01/04/2025",
        "X1",
        "CARPL",
    )
    assert (second["DEC"], second["REC"], second["REASON_PLACE_CHANGE"]) == ("", "", "")
    # In the next year's return it has ended.
    later = writer.build_tables(year=CollectionYear(2027))
    assert [(r["CHILD"], r["DEC"], r["REC"]) for r in later[EPISODES]] == [
        ("INYR1", "01/06/2026", "E13"),
        ("LATE1", "", ""),
    ]


def test_the_command_writes_the_dfe_files_with_the_dfe_headings(year_2026, tmp_path):
    out = io.StringIO()

    call_command("export_ssda903", "--year", "2026", str(tmp_path), stdout=out)

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "episodes.csv",
        "header.csv",
        "reviews.csv",
    ]
    assert (tmp_path / "header.csv").read_text().splitlines()[0] == ",".join(DFE_HEADER)
    assert (tmp_path / "episodes.csv").read_text().splitlines()[0] == ",".join(DFE_EPISODES)
    assert (tmp_path / "reviews.csv").read_text().splitlines()[0] == "CHILD,DOB,REVIEW,REVIEW_CODE"
    assert read_table(tmp_path / "episodes.csv")[1]["DECOM"] == "01/04/2025"
    assert "header.csv: 1 rows" in out.getvalue()


def test_a_year_the_product_cannot_export_is_refused(administrator, tmp_path):
    with pytest.raises(ValidationError) as raised:
        ssda903_export(by=administrator, year=2017)
    assert "Choose a collection year from 2017-18" in str(raised.value)
    next_year = CollectionYear.containing(timezone.localdate()).end_year + 1
    with pytest.raises(CommandError):
        call_command("export_ssda903", "--year", str(next_year), str(tmp_path))


def test_only_an_administrator_may_export(social_worker, year_2026):
    with pytest.raises(PermissionDenied):
        ssda903_export(by=social_worker, year=2026)


def test_export_zip_holds_the_three_tables(year_2026):
    tables = writer.build_tables(year=CollectionYear(2026))
    archive = zipfile.ZipFile(io.BytesIO(writer.zip_bytes(tables)))

    assert sorted(archive.namelist()) == ["episodes.csv", "header.csv", "reviews.csv"]
    assert archive.read("header.csv").decode().startswith("CHILD,SEX,DOB")
    assert REVIEWS in tables


def test_export_reads_the_children_in_a_fixed_number_of_queries(
    team, django_assert_max_num_queries
):
    for n in range(30):
        child = ChildFactory(child_id=f"Q{n:04d}", team=team)
        episode(child, dt.date(2026, 1, 1))

    # Episodes with children, the kept tables' rows, the reviews, the allocation history.
    with django_assert_max_num_queries(4):
        tables = writer.build_tables(year=CollectionYear(2026))

    assert len(tables[HEADER]) == 30
    assert Child.objects.count() == 30
