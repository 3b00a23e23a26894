"""The SPEC §5 counting rules, checked against a real calendar.

Every expected date below was worked out by hand from the 2025-2028 calendars and the gov.uk
list of England and Wales bank holidays, then cross-checked in Python. Weekday names are given
in the ids so that a failure reads as a calendar mistake, not a bare date.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from permanence import dates

LONDON = ZoneInfo("Europe/London")
GMT = timedelta(0)
BST = timedelta(hours=1)

# gov.uk "UK bank holidays", England and Wales, weekday dates only.
BANK_HOLIDAYS_ENGLAND_AND_WALES = {
    2026: [
        date(2026, 1, 1),  # Thu New Year's Day
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 4),  # Early May bank holiday
        date(2026, 5, 25),  # Spring bank holiday
        date(2026, 8, 31),  # Summer bank holiday
        date(2026, 12, 25),  # Fri Christmas Day
        date(2026, 12, 28),  # Mon Boxing Day (substitute day for Sat 26th)
    ],
    2027: [
        date(2027, 1, 1),  # Fri New Year's Day
        date(2027, 3, 26),  # Good Friday
        date(2027, 3, 29),  # Easter Monday
        date(2027, 5, 3),  # Early May bank holiday
        date(2027, 5, 31),  # Spring bank holiday
        date(2027, 8, 30),  # Summer bank holiday
        date(2027, 12, 27),  # Mon Christmas Day (substitute day for Sat 25th)
        date(2027, 12, 28),  # Tue Boxing Day (substitute day for Sun 26th)
    ],
}


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


# --- is_working_day ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2026, 3, 6), True, id="fri-ordinary"),
        pytest.param(date(2026, 3, 7), False, id="sat"),
        pytest.param(date(2026, 3, 8), False, id="sun"),
        pytest.param(date(2026, 3, 9), True, id="mon-ordinary"),
        pytest.param(date(2026, 4, 3), False, id="good-friday-2026"),
        pytest.param(date(2026, 4, 6), False, id="easter-monday-2026"),
        pytest.param(date(2026, 4, 7), True, id="tue-after-easter-2026"),
        pytest.param(date(2027, 3, 26), False, id="good-friday-2027"),
        pytest.param(date(2027, 3, 29), False, id="easter-monday-2027"),
        pytest.param(date(2026, 5, 4), False, id="early-may-2026"),
        pytest.param(date(2026, 5, 25), False, id="spring-bank-2026"),
        pytest.param(date(2027, 5, 3), False, id="early-may-2027"),
        pytest.param(date(2027, 5, 31), False, id="spring-bank-2027"),
        pytest.param(date(2026, 8, 31), False, id="summer-bank-2026"),
        pytest.param(date(2025, 12, 26), False, id="boxing-day-fri-2025"),
        pytest.param(date(2026, 12, 24), True, id="christmas-eve-thu-2026"),
        pytest.param(date(2026, 12, 25), False, id="christmas-fri-2026"),
        pytest.param(date(2026, 12, 28), False, id="boxing-substitute-mon-2026"),
        pytest.param(date(2026, 12, 29), True, id="tue-after-christmas-2026"),
        pytest.param(date(2026, 12, 31), True, id="new-years-eve-thu-2026"),
        pytest.param(date(2027, 1, 1), False, id="new-year-fri-2027"),
        pytest.param(date(2027, 12, 27), False, id="christmas-substitute-mon-2027"),
        pytest.param(date(2027, 12, 28), False, id="boxing-substitute-tue-2027"),
        pytest.param(date(2027, 12, 29), True, id="wed-after-christmas-2027"),
        pytest.param(date(2028, 1, 3), False, id="new-year-substitute-mon-2028"),
        pytest.param(date(2028, 1, 4), True, id="tue-after-new-year-2028"),
        # Holidays elsewhere in the UK are working days in England and Wales.
        pytest.param(date(2026, 1, 2), True, id="scotland-2-jan-fri"),
        pytest.param(date(2026, 8, 3), True, id="scotland-summer-mon"),
        pytest.param(date(2026, 11, 30), True, id="scotland-st-andrew-mon"),
        pytest.param(date(2026, 3, 17), True, id="ni-st-patrick-tue"),
        pytest.param(date(2026, 7, 13), True, id="ni-boyne-substitute-mon"),
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert dates.is_working_day(day) is expected


@pytest.mark.parametrize("year", sorted(BANK_HOLIDAYS_ENGLAND_AND_WALES))
def test_every_weekday_holiday_in_a_year_matches_gov_uk(year: int) -> None:
    non_working_weekdays = [
        d for d in _days_of(year) if d.weekday() < 5 and not dates.is_working_day(d)
    ]
    assert non_working_weekdays == BANK_HOLIDAYS_ENGLAND_AND_WALES[year]


def test_datetime_is_refused_because_it_would_miss_bank_holidays() -> None:
    with pytest.raises(TypeError):
        dates.is_working_day(datetime(2026, 12, 25, 9, 0, tzinfo=LONDON))


@pytest.mark.parametrize("day", [date(1871, 6, 1), date(2101, 3, 2), date(2206, 3, 2)], ids=str)
def test_years_without_a_bank_holiday_calendar_raise(day: date) -> None:
    # The holidays package silently returns nothing outside 1872-2100.
    with pytest.raises(ValueError, match="No bank holiday calendar"):
        dates.is_working_day(day)


# --- add_working_days / subtract_working_days -------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 3, 6), 1, date(2026, 3, 9), id="fri+1=mon"),
        pytest.param(date(2026, 3, 7), 1, date(2026, 3, 9), id="sat+1=mon"),
        pytest.param(date(2026, 3, 8), 1, date(2026, 3, 9), id="sun+1=mon"),
        pytest.param(date(2026, 3, 9), 5, date(2026, 3, 16), id="mon+5=next-mon"),
        pytest.param(date(2026, 3, 7), 0, date(2026, 3, 7), id="zero-returns-day-even-sat"),
        pytest.param(date(2026, 4, 2), 1, date(2026, 4, 7), id="thu+1-over-easter-2026=tue"),
        pytest.param(date(2026, 4, 2), 2, date(2026, 4, 8), id="thu+2-over-easter-2026=wed"),
        pytest.param(date(2027, 3, 25), 1, date(2027, 3, 30), id="thu+1-over-easter-2027=tue"),
        pytest.param(date(2026, 5, 1), 1, date(2026, 5, 5), id="fri+1-over-early-may-2026"),
        pytest.param(date(2027, 4, 30), 1, date(2027, 5, 4), id="fri+1-over-early-may-2027"),
        pytest.param(date(2026, 5, 22), 1, date(2026, 5, 26), id="fri+1-over-spring-2026"),
        pytest.param(date(2027, 5, 28), 1, date(2027, 6, 1), id="fri+1-over-spring-2027"),
        pytest.param(date(2026, 8, 28), 1, date(2026, 9, 1), id="fri+1-over-summer-2026"),
        pytest.param(date(2026, 12, 24), 1, date(2026, 12, 29), id="thu-24-dec-2026+1=tue-29"),
        pytest.param(date(2026, 12, 21), 5, date(2026, 12, 30), id="mon-21-dec-2026+5=wed-30"),
        pytest.param(date(2026, 12, 31), 1, date(2027, 1, 4), id="thu-31-dec-2026+1=mon-4"),
        pytest.param(date(2027, 12, 24), 1, date(2027, 12, 29), id="fri-24-dec-2027+1=wed-29"),
        pytest.param(date(2027, 12, 31), 1, date(2028, 1, 4), id="fri-31-dec-2027+1=tue-4"),
        # Negative n counts backwards, exactly as subtract_working_days does.
        pytest.param(date(2026, 4, 7), -1, date(2026, 4, 2), id="tue-1-over-easter=thu"),
        pytest.param(date(2027, 1, 4), -1, date(2026, 12, 31), id="mon-4-jan-1=thu-31-dec"),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert dates.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 3, 9), 1, date(2026, 3, 6), id="mon-1=fri"),
        pytest.param(date(2026, 3, 8), 1, date(2026, 3, 6), id="sun-1=fri"),
        pytest.param(date(2026, 3, 7), 1, date(2026, 3, 6), id="sat-1=fri"),
        pytest.param(date(2026, 3, 8), 0, date(2026, 3, 8), id="zero-returns-day-even-sun"),
        pytest.param(date(2026, 4, 7), 1, date(2026, 4, 2), id="tue-1-over-easter-2026=thu"),
        pytest.param(date(2027, 3, 30), 1, date(2027, 3, 25), id="tue-1-over-easter-2027=thu"),
        pytest.param(date(2026, 5, 26), 1, date(2026, 5, 22), id="tue-1-over-spring-2026=fri"),
        pytest.param(date(2026, 12, 29), 1, date(2026, 12, 24), id="tue-29-dec-2026-1=thu-24"),
        pytest.param(date(2027, 12, 29), 2, date(2027, 12, 23), id="wed-29-dec-2027-2=thu-23"),
        pytest.param(date(2027, 1, 4), 1, date(2026, 12, 31), id="mon-4-jan-2027-1=thu-31"),
        pytest.param(date(2028, 1, 4), 1, date(2027, 12, 31), id="tue-4-jan-2028-1=fri-31"),
        pytest.param(date(2026, 4, 2), -1, date(2026, 4, 7), id="negative-counts-forwards"),
    ],
)
def test_subtract_working_days(start: date, n: int, expected: date) -> None:
    assert dates.subtract_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("became_looked_after", "expected"),
    [
        pytest.param(date(2026, 3, 2), date(2026, 3, 30), id="mon-2-mar-2026-no-holidays"),
        pytest.param(date(2026, 3, 23), date(2026, 4, 22), id="over-easter-2026"),
        pytest.param(date(2026, 12, 11), date(2027, 1, 13), id="over-christmas-2026"),
    ],
)
def test_spec_first_review_is_20_working_days_after_becoming_looked_after(
    became_looked_after: date, expected: date
) -> None:
    assert dates.add_working_days(became_looked_after, 20) == expected


@pytest.mark.parametrize(
    ("became_looked_after", "expected"),
    [
        pytest.param(date(2026, 3, 7), date(2026, 3, 13), id="sat-counts-from-mon"),
        pytest.param(date(2026, 5, 22), date(2026, 6, 1), id="over-spring-bank-2026"),
        pytest.param(date(2026, 12, 23), date(2027, 1, 4), id="over-christmas-new-year"),
    ],
)
def test_spec_iro_allocated_5_working_days_after_becoming_looked_after(
    became_looked_after: date, expected: date
) -> None:
    assert dates.add_working_days(became_looked_after, 5) == expected


# --- working_day_cutoff -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forum", "expected_local", "expected_offset"),
    [
        pytest.param(
            date(2026, 3, 16), datetime(2026, 3, 11, 17), GMT, id="mon-forum=previous-wed"
        ),
        pytest.param(
            date(2026, 4, 7), datetime(2026, 3, 31, 17), BST, id="tue-forum-after-easter-2026"
        ),
        # BST began Sun 29 Mar 2026: the forum is in BST, the cut-off still in GMT.
        pytest.param(
            date(2026, 3, 30), datetime(2026, 3, 25, 17), GMT, id="forum-in-bst-cutoff-in-gmt"
        ),
        # GMT resumed Sun 25 Oct 2026: the forum is in GMT, the cut-off still in BST.
        pytest.param(
            date(2026, 10, 26), datetime(2026, 10, 21, 17), BST, id="forum-in-gmt-cutoff-in-bst"
        ),
        pytest.param(
            date(2026, 12, 29), datetime(2026, 12, 22, 17), GMT, id="tue-forum-after-christmas"
        ),
        pytest.param(
            date(2027, 1, 4), datetime(2026, 12, 29, 17), GMT, id="mon-forum-after-new-year"
        ),
        pytest.param(
            date(2027, 3, 30), datetime(2027, 3, 23, 17), GMT, id="tue-forum-after-easter-2027"
        ),
        # BST began Sun 28 Mar 2027, between the cut-off and the forum, across Easter too.
        pytest.param(
            date(2027, 4, 1), datetime(2027, 3, 25, 17), GMT, id="thu-forum-across-easter-2027"
        ),
    ],
)
def test_spec_part_1_due_3_working_days_before_forum_by_1700(
    forum: date, expected_local: datetime, expected_offset: timedelta
) -> None:
    cutoff = dates.working_day_cutoff(forum, 3)

    assert cutoff == expected_local.replace(tzinfo=LONDON)
    assert cutoff.tzinfo is not None
    assert cutoff.utcoffset() == expected_offset
    assert cutoff.astimezone(UTC) == (expected_local - expected_offset).replace(tzinfo=UTC)
    assert (cutoff.hour, cutoff.minute, cutoff.second) == (17, 0, 0)


@pytest.mark.parametrize(
    ("forum", "n", "hour", "tz", "expected_utc"),
    [
        pytest.param(
            date(2026, 3, 16), 3, 12, "Europe/London", datetime(2026, 3, 11, 12), id="noon-gmt"
        ),
        pytest.param(
            date(2026, 7, 13), 3, 17, "Europe/London", datetime(2026, 7, 8, 16), id="1700-bst"
        ),
        pytest.param(date(2026, 7, 13), 3, 17, "UTC", datetime(2026, 7, 8, 17), id="utc-zone"),
        pytest.param(
            date(2026, 3, 11), 0, 17, "Europe/London", datetime(2026, 3, 11, 17), id="zero-days"
        ),
    ],
)
def test_working_day_cutoff_hour_and_zone(
    forum: date, n: int, hour: int, tz: str, expected_utc: datetime
) -> None:
    cutoff = dates.working_day_cutoff(forum, n, hour=hour, tz=tz)

    assert cutoff.astimezone(UTC) == expected_utc.replace(tzinfo=UTC)
    assert cutoff.hour == hour


# --- add_months ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 1, 15), 3, date(2026, 4, 15), id="same-day"),
        pytest.param(date(2026, 6, 15), 0, date(2026, 6, 15), id="zero"),
        pytest.param(date(2026, 12, 15), 1, date(2027, 1, 15), id="into-next-year"),
        pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="31-jan+1-non-leap-2026"),
        pytest.param(date(2027, 1, 31), 1, date(2027, 2, 28), id="31-jan+1-non-leap-2027"),
        pytest.param(date(2028, 1, 31), 1, date(2028, 2, 29), id="31-jan+1-leap-2028"),
        pytest.param(date(2026, 1, 31), 13, date(2027, 2, 28), id="31-jan+13"),
        pytest.param(date(2028, 2, 29), 1, date(2028, 3, 29), id="29-feb+1"),
        pytest.param(date(2028, 2, 29), 12, date(2029, 2, 28), id="29-feb+12-non-leap"),
        pytest.param(date(2028, 2, 29), 48, date(2032, 2, 29), id="29-feb+48-leap"),
        pytest.param(date(2028, 2, 29), -12, date(2027, 2, 28), id="29-feb-12"),
        pytest.param(date(2026, 3, 31), -1, date(2026, 2, 28), id="31-mar-1"),
        pytest.param(date(2026, 5, 31), -1, date(2026, 4, 30), id="31-may-1"),
        pytest.param(date(2027, 1, 15), -1, date(2026, 12, 15), id="back-into-last-year"),
        pytest.param(date(2026, 8, 31), 1, date(2026, 9, 30), id="31-aug+1"),
        pytest.param(date(2026, 10, 31), 1, date(2026, 11, 30), id="31-oct+1"),
        pytest.param(date(2026, 12, 31), 2, date(2027, 2, 28), id="31-dec+2"),
        # SPEC: second review 3 months after the first; later reviews every 6 months.
        pytest.param(date(2026, 11, 30), 3, date(2027, 2, 28), id="review-3-months-30-nov"),
        pytest.param(date(2026, 8, 31), 6, date(2027, 2, 28), id="review-6-months-31-aug"),
        pytest.param(date(2027, 8, 31), 6, date(2028, 2, 29), id="review-6-months-into-leap"),
    ],
)
def test_add_months(start: date, n: int, expected: date) -> None:
    result = dates.add_months(start, n)

    assert result == expected
    assert type(result) is date


# --- add_weeks / add_days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 3, 2), 0, date(2026, 3, 2), id="zero"),
        pytest.param(date(2026, 3, 2), 1, date(2026, 3, 9), id="one"),
        pytest.param(date(2026, 3, 2), 2, date(2026, 3, 16), id="early-permanence-panel"),
        pytest.param(date(2026, 3, 2), 12, date(2026, 5, 25), id="gateway-12-weeks-bank-hol"),
        pytest.param(date(2026, 12, 28), 1, date(2027, 1, 4), id="over-new-year"),
        pytest.param(date(2028, 2, 22), 1, date(2028, 2, 29), id="onto-29-feb"),
        pytest.param(date(2026, 3, 2), -2, date(2026, 2, 16), id="negative"),
    ],
)
def test_add_weeks(start: date, n: int, expected: date) -> None:
    assert dates.add_weeks(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param(date(2026, 3, 2), 0, date(2026, 3, 2), id="zero"),
        pytest.param(date(2026, 2, 28), 1, date(2026, 3, 1), id="28-feb-non-leap"),
        pytest.param(date(2028, 2, 28), 1, date(2028, 2, 29), id="28-feb-leap"),
        pytest.param(date(2026, 12, 31), 1, date(2027, 1, 1), id="new-year"),
        pytest.param(date(2026, 12, 24), 1, date(2026, 12, 25), id="bank-holidays-count"),
        pytest.param(date(2026, 3, 1), -1, date(2026, 2, 28), id="negative"),
    ],
)
def test_add_days(start: date, n: int, expected: date) -> None:
    assert dates.add_days(start, n) == expected


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        pytest.param(date(2026, 3, 2), date(2026, 8, 30), id="mon-issue-ends-sun"),
        pytest.param(date(2026, 1, 15), date(2026, 7, 15), id="thu-issue-ends-wed"),
        pytest.param(date(2027, 9, 1), date(2028, 2, 29), id="ends-on-29-feb"),
    ],
)
def test_spec_court_timescale_is_26_weeks_beginning_with_day_of_issue(
    issued: date, expected: date
) -> None:
    concluded_by = dates.add_days(dates.add_weeks(issued, 26), -1)

    assert concluded_by == expected
    # "Beginning with" the day of issue: the issue day is day 1 of 182.
    assert (concluded_by - issued).days + 1 == 26 * 7


# --- weeks_between / working_days_between -------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(date(2026, 3, 2), date(2026, 3, 2), 0, id="same-day"),
        pytest.param(date(2026, 3, 2), date(2026, 3, 8), 0, id="6-days"),
        pytest.param(date(2026, 3, 2), date(2026, 3, 9), 1, id="7-days"),
        pytest.param(date(2026, 12, 28), date(2027, 1, 4), 1, id="over-new-year"),
        pytest.param(date(2026, 3, 2), date(2026, 8, 30), 25, id="181-days"),
        pytest.param(date(2026, 3, 2), date(2026, 8, 31), 26, id="182-days"),
        pytest.param(date(2026, 3, 2), date(2026, 3, 1), -1, id="1-day-back-floors"),
        pytest.param(date(2026, 3, 9), date(2026, 3, 2), -1, id="7-days-back"),
        pytest.param(date(2026, 3, 9), date(2026, 3, 1), -2, id="8-days-back-floors"),
    ],
)
def test_weeks_between(start: date, end: date, expected: int) -> None:
    assert dates.weeks_between(start, end) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(date(2026, 3, 6), date(2026, 3, 6), 0, id="same-day"),
        pytest.param(date(2026, 3, 6), date(2026, 3, 7), 0, id="fri-to-sat"),
        pytest.param(date(2026, 3, 6), date(2026, 3, 9), 1, id="fri-to-mon"),
        pytest.param(date(2026, 3, 2), date(2026, 3, 30), 20, id="first-review-span"),
        pytest.param(date(2026, 4, 2), date(2026, 4, 7), 1, id="over-easter-2026"),
        pytest.param(date(2026, 12, 24), date(2026, 12, 29), 1, id="over-christmas-2026"),
        pytest.param(date(2026, 12, 23), date(2027, 1, 4), 5, id="over-new-year-2027"),
        # 2026: 261 weekdays less 8 weekday bank holidays; 2027 likewise.
        pytest.param(date(2025, 12, 31), date(2026, 12, 31), 253, id="whole-2026"),
        pytest.param(date(2026, 12, 31), date(2027, 12, 31), 253, id="whole-2027"),
        # Backwards: the working days from end up to (not including) start, negated.
        pytest.param(date(2026, 3, 9), date(2026, 3, 6), -1, id="mon-to-fri"),
        pytest.param(date(2026, 3, 7), date(2026, 3, 6), -1, id="sat-to-fri-is-overdue"),
        pytest.param(date(2026, 4, 7), date(2026, 4, 2), -1, id="back-over-easter"),
        pytest.param(date(2026, 12, 31), date(2025, 12, 31), -253, id="back-whole-2026"),
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert dates.working_days_between(start, end) == expected


@pytest.mark.parametrize("n", [0, 1, 3, 5, 20, 60])
def test_working_days_between_inverts_add_and_subtract(n: int) -> None:
    # Every start day from December 2026 to January 2028 covers both awkward Christmases.
    first = date(2026, 12, 1)
    for offset in range((date(2028, 2, 1) - first).days):
        start = first + timedelta(days=offset)
        later = dates.add_working_days(start, n)
        earlier = dates.subtract_working_days(start, n)
        assert dates.working_days_between(start, later) == n, start
        assert dates.working_days_between(start, earlier) == -n, start


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 11, 3), date(2028, 2, 14)),
        (date(2028, 2, 14), date(2025, 11, 3)),
        (date(2026, 12, 26), date(2027, 1, 2)),
    ],
    ids=str,
)
def test_working_days_between_matches_counting_one_day_at_a_time(start: date, end: date) -> None:
    step = timedelta(days=1)
    if end >= start:
        span = [start + step * (i + 1) for i in range((end - start).days)]
        expected = sum(dates.is_working_day(d) for d in span)
    else:
        span = [end + step * i for i in range((start - end).days)]
        expected = -sum(dates.is_working_day(d) for d in span)

    assert dates.working_days_between(start, end) == expected


# --- Offset / apply_offset ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        pytest.param(date(2026, 12, 23), 5, "working_days", date(2027, 1, 4), id="iro"),
        pytest.param(date(2026, 4, 7), -1, "working_days", date(2026, 4, 2), id="wd-negative"),
        pytest.param(date(2026, 11, 30), 3, "months", date(2027, 2, 28), id="second-review"),
        pytest.param(date(2027, 2, 28), 12, "months", date(2028, 2, 28), id="sgo-12-months"),
        pytest.param(date(2026, 3, 2), 16, "weeks", date(2026, 6, 22), id="temp-approval"),
        pytest.param(date(2026, 3, 2), -1, "days", date(2026, 3, 1), id="days-negative"),
    ],
)
def test_offset_apply_and_apply_offset_agree(
    start: date, amount: int, unit: dates.Unit, expected: date
) -> None:
    assert dates.Offset(amount, unit).apply(start) == expected
    assert dates.apply_offset(start, amount, unit) == expected


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (5, "working_days", "5 working days"),
        (1, "working_days", "1 working day"),
        (3, "months", "3 months"),
        (1, "months", "1 month"),
        (1, "weeks", "1 week"),
        (26, "weeks", "26 weeks"),
        (1, "days", "1 day"),
        (0, "days", "0 days"),
        (-1, "weeks", "-1 week"),
    ],
)
def test_offset_str(amount: int, unit: dates.Unit, text: str) -> None:
    assert str(dates.Offset(amount, unit)) == text


@pytest.mark.parametrize("unit", ["fortnights", "years", "working days", "Days", ""])
def test_unknown_unit_raises_value_error(unit: str) -> None:
    with pytest.raises(ValueError, match="Unknown offset unit"):
        dates.Offset(1, unit)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Unknown offset unit"):
        dates.apply_offset(date(2026, 3, 2), 1, unit)


@pytest.mark.parametrize("amount", [1.5, "3", True, None])
def test_non_integer_amount_raises_value_error(amount: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        dates.Offset(amount, "days")  # type: ignore[arg-type]


def test_offset_is_frozen_and_hashable() -> None:
    offset = dates.Offset(5, "working_days")

    with pytest.raises(dataclasses.FrozenInstanceError):
        offset.amount = 6  # type: ignore[misc]
    assert offset == dates.Offset(5, "working_days")
    assert len({offset, dates.Offset(5, "working_days")}) == 1


def test_units_are_the_four_spec_units() -> None:
    assert set(dates.UNITS) == {"working_days", "days", "weeks", "months"}


# --- speed ----------------------------------------------------------------------------------------


def test_bank_holiday_calendar_is_built_once_per_year() -> None:
    # Periodic jobs recompute every deadline on every run; rebuilding the holidays calendar per
    # call would make that thousands of times slower.
    dates._bank_holidays.cache_clear()
    for i in range(100_000):
        dates.add_working_days(date(2026, 3, 2) + timedelta(days=i % 200), 20)

    assert dates._bank_holidays.cache_info().misses <= 2
