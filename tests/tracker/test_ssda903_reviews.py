"""Looked-after reviews in the SSDA903 return: imported into the reviews app, and exported."""

import datetime as dt

import pytest

from permanence.models import Child
from reviews import review_due_dates
from reviews.models import Review
from tests.factories.permanence import ChildFactory, EpisodeFactory
from tests.factories.reviews import ReviewFactory
from tests.tracker.ssda903_data import GOOD, copy_good, files_in, read_table, write_table
from tracker.ssda903 import writer
from tracker.ssda903.services import ssda903_import
from tracker.ssda903.tables import REVIEWS, CollectionYear

pytestmark = pytest.mark.django_db


def run_import(folder, by, **kwargs):
    return ssda903_import(files=files_in(folder), by=by, **kwargs)


def add_reviews(folder, *rows):
    path = folder / "reviews.csv"
    write_table(path, read_table(path) + [dict(zip(REVIEWS.columns, r, strict=True)) for r in rows])


def test_reviews_take_their_place_in_the_period_of_care(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    # A1001 became looked after on 05/05/2025: a first review, then a second.
    add_reviews(folder, ("A1001", "14/02/2010", "01/09/2025", "PN3"))

    report = run_import(folder, administrator, team=team)

    assert report.problems == []
    assert report.reviews.created == 3
    first, second = Review.objects.filter(child__child_id="A1001").order_by("held_on")
    since = dt.date(2025, 5, 5)
    assert (first.period_started_on, first.sequence, first.held_on, first.participation) == (
        since,
        1,
        dt.date(2025, 6, 2),
        "PN1",
    )
    assert first.due_on == review_due_dates.review_due(sequence=1, looked_after_since=since)
    assert (second.sequence, second.participation) == (2, "PN3")
    assert second.due_on == review_due_dates.review_due(
        sequence=2, looked_after_since=since, held=[dt.date(2025, 6, 2)]
    )
    record = second.history.latest()
    assert (record.history_user, record.history_change_reason) == (
        administrator,
        "SSDA903 import (2025-26)",
    )


def test_reimporting_reviews_changes_nothing_and_a_new_code_updates(administrator, team, tmp_path):
    run_import(GOOD, administrator, team=team)
    again = run_import(GOOD, administrator, team=team)
    assert (again.reviews.unchanged, again.reviews.created) == (2, 0)

    folder = copy_good(tmp_path)
    rows = read_table(folder / "reviews.csv")
    rows[0]["REVIEW_CODE"] = "PN4"
    write_table(folder / "reviews.csv", rows)
    changed = run_import(folder, administrator, team=team)

    assert changed.reviews.updated == 1
    assert Review.objects.get(child__child_id="A1001").participation == "PN4"
    assert Review.objects.count() == 2


def test_a_review_booked_in_the_service_becomes_the_review_held(administrator, team):
    child = ChildFactory(child_id="B2002", date_of_birth=dt.date(2019, 9, 1), team=team)
    EpisodeFactory(child=child, decom=dt.date(2026, 1, 20), legal_status="C1", place="U3")
    booked = ReviewFactory(
        child=child,
        period_started_on=dt.date(2026, 1, 20),
        sequence=1,
        due_on=dt.date(2026, 2, 17),
        held_on=None,
        participation="",
        planned_on=dt.date(2026, 2, 17),
    )

    report = run_import(GOOD, administrator, team=team)

    assert report.problems == []
    booked.refresh_from_db()
    assert (booked.held_on, booked.participation) == (dt.date(2026, 2, 17), "PN1")
    assert Review.objects.filter(child=child).count() == 1


def test_a_review_outside_any_period_of_care_rejects_the_child(administrator, team, tmp_path):
    folder = copy_good(tmp_path)
    add_reviews(folder, ("B2002", "01/09/2019", "05/01/2026", "PN1"))  # before 20/01/2026

    report = run_import(folder, administrator, team=team)

    found = [(p.file, p.row, p.column, p.child) for p in report.problems]
    assert found == [("reviews.csv", 4, "REVIEW", "B2002")]
    assert "is not in a period of care" in report.problems[0].message
    assert not Child.objects.filter(child_id="B2002").exists()
    assert not Review.objects.filter(child__child_id="B2002").exists()


def test_a_review_code_the_reviews_app_refuses_is_reported_on_its_cell(
    administrator, team, tmp_path
):
    folder = copy_good(tmp_path)
    add_reviews(folder, ("C3003", "30/06/2023", "01/11/2024", "PN2"))  # aged 1: must be PN0

    report = run_import(folder, administrator, team=team)

    assert [(p.row, p.column, p.child) for p in report.problems] == [(4, "REVIEW_CODE", "C3003")]
    assert "the code is PN0" in report.problems[0].message
    assert not Child.objects.filter(child_id="C3003").exists()


def test_a_review_whose_birth_date_differs_from_the_header_is_refused(
    administrator, team, tmp_path
):
    folder = copy_good(tmp_path)
    rows = read_table(folder / "reviews.csv")
    rows[1]["DOB"] = "02/09/2019"
    write_table(folder / "reviews.csv", rows)

    report = run_import(folder, administrator, team=team)

    assert [(p.row, p.column, p.child) for p in report.problems] == [(3, "DOB", "B2002")]


def test_export_lists_the_reviews_held_in_the_year(administrator, team):
    run_import(GOOD, administrator, team=team)
    child = Child.objects.get(child_id="C3003")
    ReviewFactory(
        child=child,
        period_started_on=dt.date(2024, 10, 10),
        held_on=dt.date(2024, 11, 5),
        participation="PN0",
    )  # held in 2024-25: not in the 2025-26 return
    ReviewFactory(
        child=child,
        period_started_on=dt.date(2024, 10, 10),
        sequence=2,
        held_on=None,
        participation="",
        cancelled=True,
    )

    tables = writer.build_tables(year=CollectionYear(2026))

    assert tables[REVIEWS] == [
        {"CHILD": "A1001", "DOB": "14/02/2010", "REVIEW": "02/06/2025", "REVIEW_CODE": "PN1"},
        {"CHILD": "B2002", "DOB": "01/09/2019", "REVIEW": "17/02/2026", "REVIEW_CODE": "PN1"},
    ]
