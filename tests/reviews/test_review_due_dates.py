"""When the IRO and each review are due (004, SPEC §5): dates around weekends, Christmas and
month ends, worked out by hand."""

import datetime as dt

import pytest

from reviews import review_due_dates

# The schedule reads the administrator's timescales (the fixture's defaults here).
pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("looked_after", "due"),
    [
        (D(2026, 6, 1), D(2026, 6, 29)),  # a Monday: four weeks later
        (D(2026, 6, 6), D(2026, 7, 3)),  # a Saturday: counting starts on the Monday
        (D(2026, 6, 7), D(2026, 7, 3)),  # a Sunday: the same
        (D(2026, 12, 11), D(2027, 1, 13)),  # over Christmas, Boxing Day (Mon) and New Year
        (D(2026, 5, 22), D(2026, 6, 22)),  # over the spring bank holiday (25 May)
    ],
)
def test_first_review_is_20_working_days_after_becoming_looked_after(looked_after, due):
    assert review_due_dates.review_due(sequence=1, looked_after_since=looked_after) == due


@pytest.mark.parametrize(
    ("looked_after", "due"),
    [
        (D(2026, 6, 1), D(2026, 6, 8)),  # Monday to Monday
        (D(2026, 6, 5), D(2026, 6, 12)),  # Friday: the weekend does not count
        (D(2026, 12, 23), D(2027, 1, 4)),  # 24, 29, 30, 31 December, 4 January
    ],
)
def test_iro_is_due_5_working_days_after_becoming_looked_after(looked_after, due):
    assert review_due_dates.iro_allocation_due(looked_after) == due


@pytest.mark.parametrize(
    ("first_held", "due"),
    [
        (D(2027, 1, 31), D(2027, 4, 30)),  # April has no 31st: its last day
        (D(2026, 11, 30), D(2027, 2, 28)),  # no 30 February: the 28th
        (D(2027, 11, 29), D(2028, 2, 29)),  # a leap year
        (D(2026, 10, 15), D(2027, 1, 15)),  # same day three months on, across the year end
        (D(2026, 12, 24), D(2027, 3, 24)),  # calendar months: bank holidays do not move it
    ],
)
def test_second_review_is_3_months_after_the_first_was_held(first_held, due):
    assert (
        review_due_dates.review_due(sequence=2, looked_after_since=D(2026, 1, 1), held=[first_held])
        == due
    )


@pytest.mark.parametrize(
    ("previous_held", "due"),
    [
        (D(2026, 8, 31), D(2027, 2, 28)),
        (D(2027, 3, 31), D(2027, 9, 30)),
        (D(2027, 6, 30), D(2027, 12, 30)),
        (D(2027, 8, 29), D(2028, 2, 29)),
    ],
)
def test_later_reviews_are_6_months_after_the_one_before(previous_held, due):
    held = [D(2026, 1, 1), D(2026, 4, 1), previous_held]
    assert (
        review_due_dates.review_due(sequence=4, looked_after_since=D(2025, 12, 1), held=held) == due
    )


def test_the_next_date_counts_from_the_day_held_not_the_day_due():
    # Held late on 20 May rather than by 1 April: the third is due 20 November.
    held = [D(2026, 1, 2), D(2026, 5, 20)]
    assert review_due_dates.review_due(
        sequence=3, looked_after_since=D(2025, 12, 1), held=held
    ) == D(2026, 11, 20)


def test_a_review_cannot_be_dated_until_the_one_before_is_held():
    with pytest.raises(ValueError, match="has not been held"):
        review_due_dates.review_due(
            sequence=3, looked_after_since=D(2026, 1, 1), held=[D(2026, 2, 1)]
        )


@pytest.mark.parametrize(
    ("due", "state"),
    [
        (D(2026, 6, 9), "overdue"),
        (D(2026, 6, 10), "due_soon"),  # due today
        (D(2026, 7, 1), "due_soon"),  # three weeks ahead
        (D(2026, 7, 2), "upcoming"),
    ],
)
def test_due_state(due, state):
    assert review_due_dates.due_state(due, D(2026, 6, 10)) == state


def test_the_schedule_follows_the_timescale_source(monkeypatch):
    """An administrator's value (tracker's rule table, tested there) replaces the default."""
    from permanence import timescales

    monkeypatch.setattr(
        timescales,
        "_source",
        lambda code: (
            timescales.Timescale(code, 15, "working_days") if code == "first_review" else None
        ),
    )
    assert review_due_dates.review_due(sequence=1, looked_after_since=D(2026, 6, 1)) == D(
        2026, 6, 22
    )
