"""Each SSDA903 code list says the collection years each code is valid in, from 2017-18 (issue 18).

The years are the DfE validator's (csc-validator-be-903's ruleset for each year it knows,
2022-23 on; earlier years have its 2022-23 lists). A return is checked against its own year's
lists: a code valid only in another year is imported with a warning naming the DfE rule that
refuses it in the return's year, and an old year's return is exported with that year's codes.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from permanence.models import Child, Episode
from tests.tracker.ssda903_data import write_table
from tracker.ssda903.services import ssda903_export, ssda903_import
from tracker.ssda903.tables import EPISODES, HEADER, REVIEWS, SW_EPISODES, CollectionYear

pytestmark = pytest.mark.django_db

VALIDATOR_PYTHON = Path(settings.BASE_DIR) / ".venv-903" / "bin" / "python"
SCRIPT = Path(settings.BASE_DIR) / "scripts" / "code_years_903.py"


def one_child_return(
    tmp_path: Path, end_year: int, *, sex: str = "F", place: str = "U4", sw_reason: str = ""
) -> list[tuple[str, bytes]]:
    """A return for the year ending 31 March `end_year`: one child, one episode begun in it."""
    year = CollectionYear(end_year)
    child = f"OLD{end_year}"  # one child a year: an open episode in each would overlap
    decom = f"01/06/{year.start.year}"
    folder = tmp_path / f"y{end_year}-{sex}-{place}-{sw_reason}"
    folder.mkdir()
    header = {"CHILD": child, "SEX": sex, "DOB": "14/02/2010", "ETHNIC": "WBRI", "UPN": "UN1"}
    write_table(folder / HEADER.filename, [header], list(HEADER.columns))
    episode = {
        "CHILD": child,
        "DECOM": decom,
        "RNE": "S",
        "LS": "C2",
        "CIN": "N1",
        "PLACE": place,
        "PLACE_PROVIDER": "PR1",
        "HOME_POST": "SY1 1AG",
        "PL_POST": "SY2 5AF",
    }
    write_table(folder / EPISODES.filename, [episode], list(EPISODES.columns))
    write_table(folder / REVIEWS.filename, [], list(REVIEWS.columns))
    if sw_reason:
        sw = {
            "CHILD": child,
            "DOB": "14/02/2010",
            "SW_ID": "SW000001",
            "SW_DECOM": decom,
            "SW_REASON": sw_reason,
        }
        write_table(folder / SW_EPISODES.filename, [sw], list(SW_EPISODES.columns))
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]


def imported(tmp_path, administrator, team, end_year, **cells):
    report = ssda903_import(
        files=one_child_return(tmp_path, end_year, **cells),
        by=administrator,
        team=team,
        year=end_year,
    )
    assert report.problems == [], [p.located() for p in report.problems]
    return report


def warnings_on(report, column: str) -> list:
    return [w for w in report.warnings if w.column == column]


def test_the_code_lists_give_each_code_the_years_the_dfe_validator_accepts_it_in():
    if not VALIDATOR_PYTHON.exists():
        if os.environ.get("REQUIRE_VALIDATOR_903"):
            pytest.fail(f"REQUIRE_VALIDATOR_903 is set but {VALIDATOR_PYTHON} does not exist")
        pytest.skip("the DfE validator is not installed: run `make validate-903`")

    result = subprocess.run(  # noqa: S603
        [str(VALIDATOR_PYTHON), str(SCRIPT)], capture_output=True, text=True, timeout=300
    )

    found = json.loads(result.stdout)
    assert found["differences"] == [], result.stdout
    assert result.returncode == 0
    # The facts themselves: what changed between the years the validator knows.
    assert "H5" in found["years"]["PLACE"]["2025"] and "H5" not in found["years"]["PLACE"]["2026"]
    assert found["years"]["SEX"]["2024"] == ["1", "2"]
    assert found["years"]["SEX"]["2025"] == ["F", "M", "U"]
    assert "2023" not in found["years"]["SW_REASON"]


@pytest.mark.parametrize("old_year", [2018, 2022, 2025])
def test_a_placement_code_retired_in_2025_26_is_accepted_in_older_years_only(
    tmp_path, administrator, team, old_year
):
    older = imported(tmp_path, administrator, team, old_year, place="H5")
    assert warnings_on(older, "PLACE") == []

    later = imported(tmp_path, administrator, team, 2026, place="H5")

    [warning] = warnings_on(later, "PLACE")
    assert warning.rule == "146"
    assert "“H5” is a placement type code the DfE accepts up to 2024-25, not in 2025-26" in (
        warning.message
    )


def test_a_placement_code_of_2025_26_in_a_2017_18_return_is_warned_of(
    tmp_path, administrator, team
):
    report = imported(tmp_path, administrator, team, 2018, place="Z12")

    [warning] = warnings_on(report, "PLACE")
    assert warning.rule == "146"
    assert "accepts from 2025-26, not in 2017-18" in warning.message


def test_sex_written_1_is_accepted_up_to_2023_24_and_warned_of_after(tmp_path, administrator, team):
    older = imported(tmp_path, administrator, team, 2018, sex="1")
    assert warnings_on(older, "SEX") == []
    assert Child.objects.get(child_id="OLD2018").sex == "M"

    later = imported(tmp_path, administrator, team, 2025, sex="1")

    [warning] = warnings_on(later, "SEX")
    assert warning.rule == "101"
    assert "accepts up to 2023-24, not in 2024-25: it was imported as M" in warning.message


def test_sex_written_as_a_letter_before_2024_25_is_warned_of(tmp_path, administrator, team):
    report = imported(tmp_path, administrator, team, 2020, sex="F")

    [warning] = warnings_on(report, "SEX")
    assert warning.rule == "101"
    assert "“F” is a sex code the DfE accepts from 2024-25, not in 2019-20" in warning.message


def test_a_social_worker_change_reason_is_accepted_from_2023_24_only(tmp_path, administrator, team):
    collected = imported(tmp_path, administrator, team, 2024, sex="2", sw_reason="FCONTA")
    assert warnings_on(collected, "SW_REASON") == []

    before = imported(tmp_path, administrator, team, 2022, sex="2", sw_reason="FCONTA")

    [warning] = warnings_on(before, "SW_REASON")
    assert warning.rule == "SW13STG1"
    assert "accepts from 2023-24, not in 2021-22" in warning.message


def test_an_unknown_social_worker_change_reason_leaves_that_row_out_naming_the_rule(
    tmp_path, administrator, team
):
    report = ssda903_import(
        files=one_child_return(tmp_path, 2025, sex="M", sw_reason="NOTONE"),
        by=administrator,
        team=team,
        year=2025,
    )

    [problem] = report.problems
    assert (problem.column, problem.rule) == ("SW_REASON", "SW13STG1")
    assert Episode.objects.filter(child__child_id="OLD2025").count() == 1


def test_a_2018_19_return_is_exported_with_that_years_codes(tmp_path, administrator, team):
    imported(tmp_path, administrator, team, 2019, sex="2", place="H5")

    tables = ssda903_export(by=administrator, year=2019)

    assert [(r["CHILD"], r["SEX"]) for r in tables[HEADER]] == [("OLD2019", "2")]
    assert [(r["DECOM"], r["PLACE"]) for r in tables[EPISODES]] == [("01/06/2018", "H5")]
