"""The children behind each figure on the measures pages (issue 16).

Every count a measure shows is the number of tracker rows that one `Cohort` selects for the
period (or a calendar month of it). The same cohort, named in the address as
``?measure=<key>&period=<period>`` or ``&month=YYYY-MM``, is the tracker dashboard's filter, so
the figure on the measure is the number of children the tracker lists behind its link.

A cohort is a filter on the stored rows (and, for overdue alerts and the timeliness measures, on
the stored alerts and deadline instances): dates already worked out and kept, never a deadline
worked out again.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote_plus

from django.db.models import DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.urls import reverse

from tracker.models import Alert, Deadline, DeadlineRule

# Care proceedings by length, counting the day of issue as the first (Children Act 1989 s32).
PROCEEDINGS_BANDS = (
    ("within-26-weeks", 26, "Within 26 weeks"),
    ("27-to-39-weeks", 39, "27 to 39 weeks"),
    ("40-to-52-weeks", 52, "40 to 52 weeks"),
    ("more-than-52-weeks", None, "More than 52 weeks"),
)
TREND_MONTHS = 12


def children(n: int) -> str:
    """ "1 child", "2 children": the count as people read it."""
    return f"{n} child" if n == 1 else f"{n} children"


def in_period(name: str, start: dt.date | None, end: dt.date) -> Q:
    q = Q(**{f"{name}__isnull": False, f"{name}__lte": end})
    if start is not None:
        q &= Q(**{f"{name}__gte": start})
    return q


# -- months --------------------------------------------------------------------------------------


def month_bounds(first: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """A calendar month as a period: its first day to its last, or to today in this month."""
    first = first.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, min(last, today)


def trend_months(end: dt.date) -> list[dt.date]:
    """The first days of the 12 calendar months that end with END's month, oldest first."""
    months = []
    year, month = end.year, end.month
    for _ in range(TREND_MONTHS):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def parse_month(value: str) -> dt.date | None:
    """ "2025-09" as 1 September 2025; None when it is not a month."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (value or "").strip())
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    return dt.date(year, month, 1) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


def when_text(start: dt.date | None, end: dt.date, month: dt.date | None = None) -> str:
    if month is not None:
        return f"in {month:%B %Y}"
    if start is None:
        return f"on or before {end.day} {end:%B %Y}"
    return f"between {start.day} {start:%B %Y} and {end.day} {end:%B %Y}"


# -- the cohorts ---------------------------------------------------------------------------------


def _ratified_by_second_review() -> Q:
    return Q(
        first_ratified_on__isnull=False,
        first_ratified_on__lte=Coalesce(F("second_review_held_on"), F("second_review_due")),
    )


def _not_ratified_by_second_review() -> Q:
    return Q(first_ratified_on__isnull=True) | Q(
        first_ratified_on__gt=Coalesce(F("second_review_held_on"), F("second_review_due"))
    )


def _days_between(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def _length_band(longest: int | None, shorter: int | None) -> tuple[int | None, int | None]:
    """A band as days after the first day: more than SHORTER weeks, up to LONGEST weeks."""
    return (
        None if longest is None else longest * 7 - 1,
        None if shorter is None else shorter * 7 - 1,
    )


def _concluded_band(longest: int | None, shorter: int | None) -> Callable[[dt.date], Q]:
    upper, lower = _length_band(longest, shorter)

    def condition(today: dt.date) -> Q:
        length = _days_between("proceedings_concluded_on", "proceedings_issued_on")
        q = Q(proceedings_issued_on__isnull=False)
        if upper is not None:
            q &= Q(LessThanOrEqual(length, dt.timedelta(days=upper)))
        if lower is not None:
            q &= Q(GreaterThan(length, dt.timedelta(days=lower)))
        return q

    return condition


def _open_band(longest: int | None, shorter: int | None) -> Callable[[dt.date], Q]:
    upper, lower = _length_band(longest, shorter)

    def condition(today: dt.date) -> Q:
        q = Q(court_stage="issued", proceedings_issued_on__isnull=False)
        if upper is not None:
            q &= Q(proceedings_issued_on__gte=today - dt.timedelta(days=upper))
        if lower is not None:
            q &= Q(proceedings_issued_on__lt=today - dt.timedelta(days=lower))
        return q

    return condition


def _everyone(today: dt.date) -> Q:
    return Q()


@dataclass(frozen=True)
class Cohort:
    """The children one figure counts: WHO is how the tracker describes them ("{when}" is the
    period); COLUMN is the row's date the period (or month) applies to, None for "as things
    stand today"; CONDITION is the rest of what it asks of a row."""

    key: str
    who: str
    column: str | None = None
    condition: Callable[[dt.date], Q] = field(default=_everyone)

    def q(self, start: dt.date | None, end: dt.date, today: dt.date) -> Q:
        q = self.condition(today)
        if self.column is not None:
            q &= in_period(self.column, start, end)
        return q

    def sentence(self, start: dt.date | None, end: dt.date, month: dt.date | None = None) -> str:
        return "Children " + self.who.format(when=when_text(start, end, month)) + "."


@dataclass(frozen=True)
class AlertCohort(Cohort):
    """The children with an overdue alert whose deadline fell due in the period (any deadline,
    or the one RULE)."""

    rule: str = ""

    def q(self, start: dt.date | None, end: dt.date, today: dt.date) -> Q:
        return Q(child_id__in=self.alerts(start, end).values("child_id"))

    def alerts(self, start: dt.date | None, end: dt.date):
        alerts = Alert.objects.filter(level=Alert.Level.OVERDUE, due__lte=end)
        if start is not None:
            alerts = alerts.filter(due__gte=start)
        if self.rule:
            alerts = alerts.filter(rule__code=self.rule)
        return alerts


@dataclass(frozen=True)
class DeadlineCohort(Cohort):
    """The children with a deadline counted in one timeliness measure (or, with LATE, one of
    them not met on time)."""

    measure: str = ""
    late: bool = False

    def q(self, start: dt.date | None, end: dt.date, today: dt.date) -> Q:
        from tracker.dashboard.timeliness import BY_KEY

        deadlines = BY_KEY[self.measure].instances(Deadline.objects.all(), start, end, today)
        if self.late:
            deadlines = deadlines.exclude(outcome=Deadline.Outcome.ON_TIME)
        return Q(child_id__in=deadlines.order_by().values("child_id"))


OVERDUE_ALERTS = AlertCohort("overdue-alerts", "with a deadline due {when} that went overdue")
SECOND_REVIEW = "whose second looked-after review was due {when}"
COHORTS: dict[str, Cohort] = {
    c.key: c
    for c in (
        Cohort("second-review-due", SECOND_REVIEW, "second_review_due"),
        Cohort(
            "ratified-by-second-review",
            SECOND_REVIEW + ", with a plan ratified by it",
            "second_review_due",
            lambda today: _ratified_by_second_review(),
        ),
        Cohort(
            "not-ratified-by-second-review",
            SECOND_REVIEW + ", with no plan ratified by it",
            "second_review_due",
            lambda today: _not_ratified_by_second_review(),
        ),
        Cohort(
            "plan-ratified",
            "whose plan was first ratified {when}",
            "first_ratified_on",
            lambda today: Q(period_start__isnull=False),
        ),
        Cohort(
            "permanence-achieved",
            "who achieved permanence {when}",
            "achieved_on",
            lambda today: Q(period_start__isnull=False),
        ),
        Cohort("adopted", "adopted {when}", "adopted_on"),
        Cohort(
            "adopted-a1",
            "adopted {when} whose dates of entering care and moving in are recorded (A1)",
            "adopted_on",
            lambda today: Q(period_start__isnull=False, placed_for_adoption_on__isnull=False),
        ),
        Cohort(
            "adopted-a2",
            "adopted {when} whose placement order and match are recorded (A2)",
            "adopted_on",
            lambda today: (
                Q(placement_order_on__isnull=False)
                & (Q(match_decided_on__isnull=False) | Q(placed_for_adoption_on__isnull=False))
            ),
        ),
        Cohort(
            "adopted-a10",
            "adopted {when} whose dates of entering care and moving in with the family are "
            "recorded (A10)",
            "adopted_on",
            lambda today: Q(period_start__isnull=False, moved_in_with_adopters_on__isnull=False),
        ),
        Cohort(
            "proceedings-concluded",
            "whose care proceedings concluded {when}",
            "proceedings_concluded_on",
            lambda today: Q(proceedings_issued_on__isnull=False),
        ),
        *(
            Cohort(
                f"proceedings-concluded-{key}",
                f"whose care proceedings concluded {{when}}, {label.lower()}",
                "proceedings_concluded_on",
                _concluded_band(weeks, PROCEEDINGS_BANDS[i - 1][1] if i else None),
            )
            for i, (key, weeks, label) in enumerate(PROCEEDINGS_BANDS)
        ),
        *(
            Cohort(
                f"proceedings-open-{key}",
                f"whose care proceedings are still open, {label.lower()} so far",
                None,
                _open_band(weeks, PROCEEDINGS_BANDS[i - 1][1] if i else None),
            )
            for i, (key, weeks, label) in enumerate(PROCEEDINGS_BANDS)
        ),
        Cohort(
            "proceedings-open-beyond-26-weeks",
            "whose care proceedings are still open after more than 26 weeks",
            None,
            _open_band(None, PROCEEDINGS_BANDS[0][1]),
        ),
        OVERDUE_ALERTS,
    )
}
OVERDUE_RULE_PREFIX = "overdue-"
DEADLINES_PREFIX = "deadlines-"
LATE_SUFFIX = "-not-on-time"


def overdue_key(rule_code: str) -> str:
    return f"{OVERDUE_RULE_PREFIX}{rule_code.replace('_', '-')}"


def deadlines_key(measure: str, *, late: bool = False) -> str:
    return f"{DEADLINES_PREFIX}{measure}{LATE_SUFFIX if late else ''}"


def resolve(key: str) -> Cohort | None:
    """The cohort an address names, or None when it names none."""
    key = (key or "").strip()
    if key in COHORTS:
        return COHORTS[key]
    if key.startswith(DEADLINES_PREFIX):
        from tracker.dashboard.timeliness import BY_KEY

        name = key.removeprefix(DEADLINES_PREFIX)
        late = name.endswith(LATE_SUFFIX)
        name = name.removesuffix(LATE_SUFFIX)
        if name in BY_KEY:
            title = BY_KEY[name].title
            return DeadlineCohort(
                key,
                f"with a deadline due {{when}} counted in “{title}”"
                + (" that was not met on time" if late else ""),
                measure=name,
                late=late,
            )
    if key.startswith(OVERDUE_RULE_PREFIX):
        code = key.removeprefix(OVERDUE_RULE_PREFIX).replace("-", "_")
        name = DeadlineRule.objects.filter(code=code).values_list("name", flat=True).first()
        if name:
            return AlertCohort(
                key, f"with a deadline “{name}” due {{when}} that went overdue", rule=code
            )
    return None


# -- links to the tracker ------------------------------------------------------------------------


@dataclass(frozen=True)
class Links:
    """Addresses of the tracker filtered to a figure's children, for the team and period the
    measures page shows. No links (`enabled` False) when a measure is worked out elsewhere."""

    team: int | None = None
    period: str = ""
    enabled: bool = True

    def url(self, cohort: str | None = None, *, month: dt.date | None = None, **filters) -> str:
        if not self.enabled:
            return ""
        params: dict[str, str] = {}
        if self.team:
            params["team"] = str(self.team)
        params.update({name: str(value) for name, value in filters.items() if value})
        if cohort:
            params["measure"] = cohort
            if month is not None:
                params["month"] = f"{month:%Y-%m}"
            elif self.period:
                params["period"] = self.period
        if not params:
            return self.base
        # As urlencode writes it; the names are this code's own, so only the values are quoted.
        query = "&".join(f"{name}={quote_plus(value)}" for name, value in params.items())
        return f"{self.base}?{query}"

    @cached_property
    def base(self) -> str:
        """The tracker's address, looked up once for the hundreds of links of a page."""
        return reverse("tracker:dashboard")


NO_LINKS = Links(enabled=False)
