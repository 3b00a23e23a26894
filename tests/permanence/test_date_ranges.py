"""Which dates are plausible, by kind (permanence.date_ranges), and the models' own floor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from permanence.date_ranges import DateKind
from permanence.forms import gds_date
from permanence.models import Episode
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.tracker.ssda903_data import copy_good, files_in, set_cell
from tracker.ssda903.services import ssda903_import

TODAY = dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("kind", "day", "problem"),
    [
        (DateKind.BIRTH, dt.date(1900, 1, 1), None),
        (DateKind.BIRTH, dt.date(1899, 12, 31), "X must be on or after 1 January 1900"),
        (DateKind.BIRTH, TODAY, None),
        (DateKind.BIRTH, dt.date(2026, 4, 1), "X must be today or in the past; for an unborn"),
        (DateKind.EXPECTED_BIRTH, dt.date(2027, 1, 31), None),  # 10 months on, clamped
        (DateKind.EXPECTED_BIRTH, dt.date(2027, 2, 1), "X must be no more than 10 months from"),
        (DateKind.HAPPENED, dt.date(1990, 1, 1), None),
        (DateKind.HAPPENED, dt.date(1989, 12, 31), "X must be on or after 1 January 1990"),
        (DateKind.HAPPENED, TODAY, None),
        (DateKind.HAPPENED, dt.date(2026, 4, 1), "X must be today or in the past"),
        (DateKind.EVENT, dt.date(2028, 3, 31), None),
        (DateKind.EVENT, dt.date(2028, 4, 1), "X must be no more than 2 years from today"),
        (DateKind.EVENT, dt.date(1989, 12, 31), "X must be on or after 1 January 1990"),
        (DateKind.EVENT, dt.date(2020, 6, 1), None),  # a past event: its own form may refuse it
    ],
)
def test_each_kind_of_date_has_its_sensible_range(kind, day, problem):
    found = kind.range(TODAY).problem(day, "X")
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem), found


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("99999999999", "3", "2026"), "Date held must be a real date"),
        (("3", "99999999999", "2026"), "Date held must be a real date"),
        (
            ("3", "3", "99999999999"),
            "Date held must include a year with 4 numbers, for example 2024",
        ),
        (("29", "2", "2025"), "Date held must be a real date"),
        (("3", "3", "26"), "Date held must include a year with 4 numbers, for example 2024"),
        (("3", "", "2026"), "Date held must include a month"),
        (("", "", "2026"), "Date held must include a day and month"),
        (("3", "x", "2026"), "Date held must be a real date"),
        (("3", "3", "1800"), "Date held must be on or after 1 January 1990"),
        (("3", "3", "9999"), "Date held must be today or in the past"),
    ],
)
def test_the_date_field_says_what_is_wrong(parts, message):
    field = gds_date("Date held", kind=DateKind.HAPPENED)
    with pytest.raises(ValidationError) as exc:
        field.clean(list(parts))
    assert exc.value.messages == [message]


def test_the_date_field_takes_a_real_date():
    field = gds_date("Date held", kind=DateKind.HAPPENED)
    today = timezone.localdate()
    assert field.clean([str(today.day), f"{today.month:02d}", str(today.year)]) == today
    assert gds_date("Date held", required=False).clean(["", "", ""]) is None


@pytest.mark.django_db
def test_a_child_born_in_1800_is_refused_by_the_model(team):
    child = ChildFactory.build(team=team, date_of_birth=dt.date(1800, 5, 1))
    with pytest.raises(ValidationError) as exc:
        child.full_clean()
    assert exc.value.message_dict["date_of_birth"] == [
        "Date of birth must be on or after 1 January 1900"
    ]


@pytest.mark.django_db
def test_an_unborn_child_due_in_two_years_is_refused_by_the_model(team):
    due = timezone.localdate() + dt.timedelta(days=730)
    child = ChildFactory.build(team=team, date_of_birth=None, expected_date_of_birth=due, sex="")
    with pytest.raises(ValidationError) as exc:
        child.full_clean()
    assert exc.value.message_dict["expected_date_of_birth"] == [
        "Expected date of birth must be no more than 10 months from today"
    ]


@pytest.mark.django_db
def test_an_episode_from_the_1990s_is_a_real_record_but_one_ending_tomorrow_is_not(team):
    child = ChildFactory(team=team, date_of_birth=dt.date(1985, 6, 1))
    old = Episode(child=child, decom=dt.date(1994, 2, 1), rne="S", legal_status="C1", place="U6")
    old.full_clean()  # an authority's old records are not refused for their age
    episode = EpisodeFactory(child=ChildFactory(team=team))
    episode.dec, episode.rec = timezone.localdate() + dt.timedelta(days=1), "E4A"
    with pytest.raises(ValidationError) as exc:
        episode.full_clean()
    assert exc.value.message_dict["dec"] == ["The end date cannot be in the future"]


@pytest.mark.django_db
def test_an_import_with_a_child_born_in_1800_says_so_on_that_row(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    set_cell(folder, "header.csv", 3, "DOB", "14/02/1800")  # B2002
    set_cell(folder, "reviews.csv", 3, "DOB", "14/02/1800")  # the same child's review row

    report = ssda903_import(files=files_in(folder), by=administrator, team=team)

    rows = [(p.file, p.row, p.column, p.child) for p in report.sorted_problems()]
    assert rows == [("header.csv", 3, "DOB", "B2002")]
    assert "on or after 1 January 1900" in report.problems[0].message


def test_a_date_renamed_by_its_form_is_named_in_its_messages():
    field = gds_date("Date")
    field.label_text = "Date of the panel"  # as the matching panel's form does
    with pytest.raises(ValidationError) as exc:
        field.clean(["3", "March", "2026"])
    assert exc.value.messages == ["Date of the panel must be a real date"]
