"""Importing an SSDA903 return: children, episodes and reviews, whole children or nothing."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from permanence.models import Child, Episode
from tests.factories.permanence import ChildFactory, EpisodeFactory, TeamFactory
from tests.tracker.ssda903_data import GOOD, copy_good, files_in, read_table, set_cell, write_table
from tracker.ssda903.models import ReturnRow
from tracker.ssda903.services import ssda903_import

pytestmark = pytest.mark.django_db


def run_import(folder, by, **kwargs):
    return ssda903_import(files=files_in(folder), by=by, **kwargs)


def problems_of(report):
    return [(p.file, p.row, p.column, p.child) for p in report.sorted_problems()]


def test_import_creates_children_episodes_from_the_dfe_layout(administrator, team):
    report = run_import(GOOD, administrator, team=team)

    assert report.problems == []
    assert (report.children.created, report.episodes.created) == (3, 4)
    mother = Child.objects.get(child_id="A1001")
    assert mother.date_of_birth == dt.date(2010, 2, 14)
    assert (mother.sex, mother.ethnicity, mother.upn) == ("F", "WBRI", "UN2")
    assert mother.is_mother is True
    assert mother.mothers_child_dob == dt.date(2026, 1, 3)
    assert mother.team == team
    assert mother.social_worker is None and mother.iro is None
    # The return holds no names: the identifier stands in until the worker records one.
    assert mother.full_name == "Child A1001"
    first, second = mother.episodes.order_by("decom")
    assert (first.decom, first.dec, first.rec, first.reason_place_change) == (
        dt.date(2025, 5, 5),
        dt.date(2025, 8, 12),
        "X1",
        "CARPL",
    )
    assert (first.cin, first.home_post, first.pl_post, first.urn) == (
        "N2",
        "SY1 1AG",
        "SY2 5AF",
        "SC900001",
    )
    assert (second.rne, second.place, second.place_provider, second.dec) == ("P", "K2", "PR4", None)
    assert Child.objects.get(child_id="C3003").is_mother is False
    assert Child.objects.get(child_id="B2002").is_mother is None


def test_import_records_who_imported_and_why_in_the_history(administrator, team):
    run_import(GOOD, administrator, team=team)

    child = Child.objects.get(child_id="B2002")
    record = child.history.latest()
    assert record.history_user == administrator
    assert record.history_change_reason == "SSDA903 import (2025-26)"
    episode_record = child.episodes.get().history.latest()
    assert episode_record.history_user == administrator
    assert episode_record.history_change_reason == "SSDA903 import (2025-26)"


def test_importing_the_same_return_twice_changes_nothing(administrator, team):
    run_import(GOOD, administrator, team=team)
    histories = (Child.history.count(), Episode.history.count())

    again = run_import(GOOD, administrator, team=team)

    assert (again.children.unchanged, again.episodes.unchanged) == (3, 4)
    assert (again.children.created, again.children.updated, again.episodes.created) == (0, 0, 0)
    assert (Child.history.count(), Episode.history.count()) == histories


def test_import_updates_what_changed_and_keeps_the_rest(administrator, team, other_team):
    child = ChildFactory(child_id="B2002", first_name="Leo", last_name="Hart", team=other_team)
    EpisodeFactory(child=child, decom=dt.date(2026, 1, 20), legal_status="V2", place="U3")
    earlier = EpisodeFactory(
        child=child,
        decom=dt.date(2025, 3, 1),
        place="U6",
        dec=dt.date(2025, 4, 1),
        rec="E13",
    )

    report = run_import(GOOD, administrator, team=team)

    child.refresh_from_db()
    assert report.children.updated == 1
    # The return's facts win; what it does not carry (name, team) is left alone.
    assert (child.full_name, child.team, child.ethnicity) == ("Leo Hart", other_team, "MWBC")
    assert child.episodes.get(decom=dt.date(2026, 1, 20)).legal_status == "C1"
    assert child.episodes.filter(pk=earlier.pk).exists()
    assert report.episodes.updated == 1


def test_dry_run_reports_what_would_happen_and_changes_nothing(administrator, team):
    report = run_import(GOOD, administrator, team=team, dry_run=True)

    assert report.dry_run
    assert (report.children.created, report.episodes.created) == (3, 4)
    assert not Child.objects.exists()
    assert not Episode.objects.exists()
    assert not Child.history.exists()


def test_new_children_join_the_first_team_when_none_is_chosen(administrator):
    first = TeamFactory(name="Aardvark team")
    TeamFactory(name="Zebra team")

    run_import(GOOD, administrator)

    assert set(Child.objects.values_list("team", flat=True)) == {first.pk}


def test_only_an_administrator_may_import(social_worker, team):
    with pytest.raises(PermissionDenied):
        run_import(GOOD, social_worker, team=team)
    assert not Child.objects.exists()


def test_placed_adoption_and_sw_episodes_are_kept_and_a_reimport_changes_nothing(
    administrator, team
):
    report = run_import(GOOD, administrator, team=team)
    again = run_import(GOOD, administrator, team=team)

    assert (report.other_rows.created, again.other_rows.unchanged) == (2, 2)
    kept = ReturnRow.objects.order_by("table")
    assert [(r.child.child_id, r.table, r.year, r.key) for r in kept] == [
        ("C3003", "PlacedAdoption", 2026, "01/06/2025"),
        ("A1001", "SWEpisodes", 2026, "05/05/2025|SW0001"),
    ]
    assert kept[0].values == {
        "DATE_PLACED": "01/06/2025",
        "DATE_PLACED_CEASED": "15/09/2025",
        "REASON_PLACED_CEASED": "",
    }
    record = kept[0].history.latest()
    assert (record.history_user, record.history_change_reason) == (
        administrator,
        "SSDA903 import (2025-26)",
    )


def test_a_zip_of_the_return_is_read_like_a_folder(administrator, team):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files_in(GOOD):
            archive.writestr(f"return/{name}", content)

    report = ssda903_import(files=[("return.zip", buffer.getvalue())], by=administrator, team=team)

    assert report.problems == []
    assert report.children.created == 3


def test_every_other_dfe_table_is_kept_and_a_bad_row_is_left_out_alone(
    administrator, team, tmp_path
):
    folder = copy_good(tmp_path)
    (folder / "oc2.csv").write_text(
        "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
        "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\r\n"
        "A1001,14/02/2010,12,,0,1,1,1,1,0,,\r\n"
        "Z9999,01/01/2015,,SDQ1,0,1,1,1,1,0,,\r\n"
    )
    (folder / "missing.csv").write_text(
        "CHILD,DOB,MISSING,MIS_START,MIS_END\r\n"
        "A1001,14/02/2010,M,01/09/2025,03/09/2025\r\n"
        "A1001,14/02/2010,A,2025-10-01,\r\n"
    )

    report = run_import(folder, administrator, team=team)

    assert problems_of(report) == [
        ("missing.csv", 3, "MIS_START", "A1001"),
        ("oc2.csv", 3, "CHILD", "Z9999"),
    ]
    assert "(DfE rule INT05)" in report.sorted_problems()[1].message
    assert report.rejected == []
    assert report.children.created == 3
    assert set(ReturnRow.objects.values_list("table", "key")) == {
        ("OC2", ""),
        ("Missing", "01/09/2025"),
        ("PlacedAdoption", "01/06/2025"),
        ("SWEpisodes", "05/05/2025|SW0001"),
    }


# Bad input: each is reported by file, row and column, and nothing of that child is imported.


def test_a_missing_column_stops_the_import_and_names_it(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    rows = read_table(folder / "episodes.csv")
    columns = [c for c in rows[0] if c != "URN"]
    write_table(folder / "episodes.csv", rows, columns)

    report = run_import(folder, administrator, team=team)

    assert report.stopped
    assert problems_of(report) == [("episodes.csv", 1, "URN", "")]
    assert "The URN column is missing" in report.problems[0].message
    assert not Child.objects.exists()


def test_an_extra_column_stops_the_import_and_names_it(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    rows = read_table(folder / "header.csv")
    for row in rows:
        row["NAME"] = "Someone"
    write_table(folder / "header.csv", rows)

    report = run_import(folder, administrator, team=team)

    assert report.stopped
    assert problems_of(report) == [("header.csv", 1, "NAME", "")]
    assert "NAME is not a column of the DfE Header table" in report.problems[0].message
    assert not Child.objects.exists()


def test_a_missing_required_table_stops_the_import(administrator, team, tmp_path):
    folder = copy_good(tmp_path, without=("reviews.csv",))

    report = run_import(folder, administrator, team=team)

    assert report.stopped
    assert problems_of(report) == [("reviews.csv", None, None, "")]
    assert "There is no Reviews table" in report.problems[0].message
    assert not Child.objects.exists()


def test_an_unknown_code_rejects_that_child_only(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "episodes.csv", 3, "LS", "Q7")  # A1001's second episode

    report = run_import(folder, administrator, team=team)

    assert problems_of(report) == [("episodes.csv", 3, "LS", "A1001")]
    assert report.problems[0].message == (
        "“Q7” is not an SSDA903 legal status (LS) code (DfE rule 144)"
    )
    assert [r.child_id for r in report.rejected] == ["A1001"]
    # Nothing of that child, not even its good first episode or its Header row.
    assert not Child.objects.filter(child_id="A1001").exists()
    assert set(Child.objects.values_list("child_id", flat=True)) == {"B2002", "C3003"}


def test_a_date_that_is_not_a_date_rejects_that_child(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "episodes.csv", 4, "DECOM", "2026-01-20")  # B2002

    report = run_import(folder, administrator, team=team)

    assert problems_of(report) == [("episodes.csv", 4, "DECOM", "B2002")]
    assert report.problems[0].message == (
        "“2026-01-20” is not a date: write dates as dd/mm/yyyy, for example 27/03/2024 "
        "(DfE rule 141)"
    )
    assert not Child.objects.filter(child_id="B2002").exists()
    assert Child.objects.count() == 2


def test_an_impossible_date_is_not_a_date(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "header.csv", 3, "DOB", "31/02/2019")  # B2002

    report = run_import(folder, administrator, team=team)

    assert problems_of(report) == [("header.csv", 3, "DOB", "B2002")]
    assert "“31/02/2019” is not a real date" in report.problems[0].message


def test_an_episode_before_the_birth_date_rejects_that_child(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "header.csv", 4, "DOB", "01/01/2025")  # C3003, whose episode began 2024

    report = run_import(folder, administrator, team=team)

    # The PlacedAdoption row's date of birth no longer matches the Header's either.
    assert problems_of(report) == [
        ("episodes.csv", 5, "DECOM", "C3003"),
        ("placed_adoption.csv", 2, "DOB", "C3003"),
    ]
    assert "cannot start before the child's date of birth (01/01/2025)" in (
        report.sorted_problems()[0].message
    )
    assert not Child.objects.filter(child_id="C3003").exists()
    assert Child.objects.count() == 2


def test_an_existing_child_is_left_as_it_was_when_its_rows_are_rejected(
    administrator, team, tmp_path
):
    run_import(GOOD, administrator, team=team)
    folder = copy_good(tmp_path)
    set_cell(folder, "header.csv", 2, "ETHNIC", "WOTH")  # a change that would be accepted
    set_cell(folder, "episodes.csv", 3, "PLACE", "ZZ")  # and one that is not

    report = run_import(folder, administrator, team=team)

    assert [r.child_id for r in report.rejected] == ["A1001"]
    assert Child.objects.get(child_id="A1001").ethnicity == "WBRI"


def test_rows_for_a_child_with_no_header_row_are_rejected(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "episodes.csv", 4, "CHILD", "Z9999")

    report = run_import(folder, administrator, team=team)

    assert ("episodes.csv", 4, "CHILD", "Z9999") in problems_of(report)
    assert not Child.objects.filter(child_id="Z9999").exists()


def test_a_blank_required_cell_is_reported(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "header.csv", 2, "SEX", "")

    report = run_import(folder, administrator, team=team)

    assert problems_of(report) == [("header.csv", 2, "SEX", "A1001")]
    assert report.problems[0].message == "SEX is blank: enter the sex (DfE rule 101)"


def test_an_overlap_with_an_episode_already_held_is_reported(administrator, team, tmp_path):
    child = ChildFactory(child_id="B2002", date_of_birth=dt.date(2019, 9, 1), team=team)
    EpisodeFactory(child=child, decom=dt.date(2025, 12, 1))  # open, before the return's

    report = run_import(GOOD, administrator, team=team)

    assert problems_of(report) == [("episodes.csv", 4, "DECOM", "B2002")]
    assert "overlaps the episode that started on 01/12/2025" in report.problems[0].message
    assert child.episodes.count() == 1


def test_the_command_imports_a_folder_and_reports_rejected_rows(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "episodes.csv", 3, "LS", "Q7")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("import_ssda903", str(folder), "--team", team.name, stdout=out, stderr=err)

    assert "episodes.csv, row 3, LS [A1001]: “Q7” is not an SSDA903 legal status" in (
        err.getvalue()
    )
    assert "1 child was not imported" in str(raised.value)
    assert "Children: 2 were created" in out.getvalue()
    assert Child.objects.count() == 2


def test_the_command_dry_run_changes_nothing(administrator, team):
    out = io.StringIO()

    call_command("import_ssda903", str(GOOD), "--dry-run", "--user", "admin", stdout=out)

    assert "Children: 3 would be created" in out.getvalue()
    assert "dry run: nothing was changed" in out.getvalue()
    assert not Child.objects.exists()


def test_the_command_stops_on_a_file_with_the_wrong_columns(team, tmp_path):
    folder = copy_good(tmp_path)
    rows = read_table(folder / "reviews.csv")
    write_table(folder / "reviews.csv", rows, ["CHILD", "DOB", "REVIEW"])
    err = io.StringIO()

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_ssda903", str(folder), stdout=io.StringIO(), stderr=err)

    assert "reviews.csv, row 1, REVIEW_CODE: The REVIEW_CODE column is missing" in err.getvalue()
    assert not Child.objects.exists()


def test_a_child_given_twice_in_the_header_is_rejected(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    rows = read_table(folder / "header.csv")
    write_table(folder / "header.csv", rows + [dict(rows[1], ETHNIC="WOTH")])

    report = run_import(folder, administrator, team=team)

    assert problems_of(report) == [("header.csv", 5, "CHILD", "B2002")]
    assert "B2002 has a second Header row (the first is row 3)" in report.problems[0].message
    assert not Child.objects.filter(child_id="B2002").exists()


def test_two_episodes_starting_the_same_day_are_rejected(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "episodes.csv", 3, "DECOM", "05/05/2025")

    report = run_import(folder, administrator, team=team)

    assert ("episodes.csv", 3, "DECOM", "A1001") in problems_of(report)
    assert not Child.objects.filter(child_id="A1001").exists()


def test_a_row_longer_than_its_headings_is_rejected(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    path = folder / "header.csv"
    lines = path.read_text().splitlines()
    lines[3] += ",surplus"  # C3003
    path.write_text("\r\n".join(lines) + "\r\n")

    report = run_import(folder, administrator, team=team)

    assert problems_of(report) == [("header.csv", 4, None, "C3003")]
    assert "This row has 8 values but the file has 7 columns" in report.problems[0].message
    assert Child.objects.count() == 2


def test_a_row_with_no_child_is_reported_on_its_own(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "reviews.csv", 2, "CHILD", "")

    report = run_import(folder, administrator, team=team)

    assert problems_of(report) == [("reviews.csv", 2, "CHILD", "")]
    assert report.problems[0].message == "CHILD is blank: enter the child identifier"
    assert Child.objects.count() == 3


def test_the_command_reads_a_zip_file(team, tmp_path):
    archive_path = tmp_path / "return.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for name, content in files_in(GOOD):
            archive.writestr(name, content)
    out = io.StringIO()

    call_command("import_ssda903", str(archive_path), stdout=out, stderr=io.StringIO())

    assert "3 children were imported" in out.getvalue()
