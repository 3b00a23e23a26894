"""Measures of performance for managers (SPEC §6; seeds 002 §12, 004 "key measures of
performance"), each as a chart and a table, for a team (or every team) and a period, with the
month-by-month trend of the last 12 months beside the total (issue 16).

All of them are read from the stored tracker rows (and, for overdue alerts, the stored alerts):
dates already worked out and kept, counted and compared here, never a deadline worked out again.
Every count of children is the size of one cohort (tracker/dashboard/cohorts.py), and links to
the tracker filtered by that same cohort, so the figure is the number of children listed there.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from permanence.escaping import escape, text
from permanence.models.plans import SHORT_ROUTE_NAMES, Route, Status
from permanence.prepared import prepared_within
from tracker.dashboard.charts import BarChart, BarItem, bar_chart
from tracker.dashboard.cohorts import (
    COHORTS,
    NO_LINKS,
    OVERDUE_ALERTS,
    PROCEEDINGS_BANDS,
    Links,
    children,
    in_period,
    month_bounds,
    overdue_key,
    trend_months,
)
from tracker.dashboard.models import TrackerRow
from tracker.dashboard.selectors import NONE

# DfE adoption scorecard thresholds for 2013-16, the last set (in days): A1 and A10 14 months
# from entering care to moving in with the adoptive family, A2 4 months from court authority to
# place to the match.
A1_THRESHOLD = 426
A2_THRESHOLD = 121
PROCEEDINGS_WEEKS = 26  # Children Act 1989 s32
MAX_TEAM_BARS = 15
IN_THE_PERIOD = "in the period"


class Cell(str):
    """A table cell's text, with the address of the children behind it when it counts them, and
    what the link is about for a screen reader ("North team: second review due")."""

    url: str
    about: str

    def __new__(cls, text: object, url: str = "") -> Cell:
        cell = super().__new__(cls, str(text))
        cell.url, cell.about = url, ""
        return cell

    @property
    def children_word(self) -> str:
        return "child" if self == "1" else "children"

    def __html__(self) -> str:
        """The cell as the tables show it: the figure, linked to its children when it counts
        them (one cell written here, not a template included per cell)."""
        if not self.url:
            return escape(self)
        return (
            f'<a class="govuk-link" href="{escape(self.url)}">{escape(self)}'
            f'<span class="govuk-visually-hidden"> {self.children_word}, '
            f"{escape(self.about)}</span></a>"
        )


def _label_links(headers: list[str], rows: list[list[str]]) -> None:
    for cells in rows:
        for header, cell in zip(headers, cells, strict=False):
            if isinstance(cell, Cell) and cell.url:
                cell.about = f"{cells[0]}: {header.lower()}"


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric_from: int = 1  # columns from here on are numbers (right-aligned)

    def __post_init__(self) -> None:
        _label_links(self.headers, self.rows)

    def __html__(self) -> SafeString:
        """The table as the pages show it, written here rather than by a template: a page of
        measures has some 1,400 cells, and a template spends about 20 ms looking them up."""
        if not self.rows:
            return mark_safe("")  # noqa: S308 (nothing to show)
        out = [_head(self.caption, self.headers, self.numeric_from)]
        for cells in self.rows:
            out.append(_row(cells, self.numeric_from))
        out.append(_END)
        return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)

    # A template writes an object that is not text through str(), never __html__.
    __str__ = __html__


_HEADER = '<th scope="col" class="govuk-table__header">'
_HEADER_NUMERIC = '<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
_CELL = '<td class="govuk-table__cell">'
_CELL_NUMERIC = '<td class="govuk-table__cell govuk-table__cell--numeric">'
_END = "</tbody></table>\n"


def _head(caption: str, headers: list[str], numeric_from: int) -> str:
    """A table's opening, caption and header row, columns from NUMERIC_FROM right-aligned."""
    out = [
        '<table class="govuk-table app-table--compact">'
        '<caption class="govuk-table__caption govuk-table__caption--s">',
        text(caption),
        '</caption><thead class="govuk-table__head"><tr class="govuk-table__row">',
    ]
    for index, header in enumerate(headers):
        out += [_HEADER_NUMERIC if index >= numeric_from else _HEADER, text(header)]
        out.append("</th>")
    out.append('</tr></thead><tbody class="govuk-table__body">')
    return "".join(out)


def _row(cells: list[str], numeric_from: int, bar: str = "", bar_at: int = 0) -> str:
    """One body row: the first cell is the row's header; BAR, when given, goes before the text
    of the cell at BAR_AT."""
    out = ['<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">']
    out += [text(cells[0]), "</th>"]
    for index, cell in enumerate(cells[1:], start=1):
        out.append(_CELL_NUMERIC if index >= numeric_from else _CELL)
        if bar and index == bar_at:
            out.append(bar)
        out += [text(cell), "</td>"]
    out.append("</tr>")
    return "".join(out)


def _trend_bar(width: float) -> str:
    return (
        '<svg class="app-trend-bar" viewBox="0 0 100 12" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f'<rect x="0" y="0" width="{width}" height="12"></rect></svg> '
    )


@dataclass
class Trend:
    """Month by month for the last 12 months: a row per month, the figures in cells (each count
    linked to its children) and a bar drawn beside the column BAR_COLUMN (0 to 100)."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    bars: list[float]
    bar_column: int = 1

    def __post_init__(self) -> None:
        _label_links(self.headers, self.rows)

    @property
    def lines(self) -> list[tuple[list[str], float]]:
        return list(zip(self.rows, self.bars, strict=True))

    def __html__(self) -> SafeString:
        """The month-by-month table, each month's bar drawn in the cell of BAR_COLUMN."""
        if not self.rows:
            return mark_safe("")  # noqa: S308 (nothing to show)
        out = [_head(self.caption, self.headers, 1)]
        for cells, bar in self.lines:
            out.append(_row(cells, 1, bar=_trend_bar(bar), bar_at=self.bar_column))
        out.append(_END)
        return mark_safe("".join(out))  # noqa: S308 (every text above is escaped)

    # A template writes an object that is not text through str(), never __html__.
    __str__ = __html__


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass
class Measure:
    key: str
    title: str
    summary: str
    explanation: str
    chart: BarChart
    table: Table
    notes: list[str] = field(default_factory=list)
    trend: Trend | None = None
    trend_note: str = ""
    behind: list[Link] = field(default_factory=list)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def _median(values: list[int]) -> int | None:
    return round(statistics.median(values)) if values else None


def _mean(values: list[int]) -> int | None:
    return round(statistics.fmean(values)) if values else None


def _days(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{value} day{'s' if value != 1 else ''}"


def _span(end: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """The trend's 12 calendar months, the last one ending with the period (or today)."""
    months = trend_months(end)
    return months[0], month_bounds(months[-1], today)[1]


def _month_label(month: dt.date) -> str:
    return f"{month:%B %Y}"


def _scaled(values: list[float]) -> list[float]:
    top = max([*values, 0]) or 1
    return [round(100 * v / top, 1) for v in values]


def _behind(links: Links, key: str, n: int, **filters) -> Link:
    cohort = COHORTS[key]
    text = f"{children(n)} {cohort.who.format(when=IN_THE_PERIOD)}"
    return Link(text, links.url(key, **filters) if n else "")


def _by_month(grouped: list[dict]) -> dict[dt.date, dict]:
    """The lines of a statement grouped by `month` (`_overdue_by_month`), by their month."""
    out = {}
    for line in grouped:
        month = line.pop("month")
        if isinstance(month, dt.datetime):
            month = month.date()
        out[month] = line
    return out


@prepared_within
def _overdue_by_rule(rows, row_ids, start, end) -> QuerySet:
    """The rows' alerts that went overdue in the period, counted by rule (compiled once per
    process: permanence.prepared)."""
    return (
        OVERDUE_ALERTS.alerts(start, end)
        .filter(child_id__in=row_ids)
        .values("rule__code", "rule__name", "rule__order")
        .annotate(
            total=_Count("pk"),
            still_open=_Count("pk", filter=Q(closed_at__isnull=True)),
            children=_Count("child_id", distinct=True),
        )
        .order_by("-total", "rule__order")
    )


@prepared_within
def _overdue_by_month(rows, row_ids, trend_start, trend_end) -> QuerySet:
    """The rows' alerts that went overdue in the trend's months, counted by the month they
    were due."""
    return (
        OVERDUE_ALERTS.alerts(trend_start, trend_end)
        .filter(child_id__in=row_ids)
        .order_by()
        .annotate(month=TruncMonth("due"))
        .values("month")
        .annotate(n=_Count("pk"), children=_Count("child_id", distinct=True))
        .order_by("month")
    )


# -- what the measures read --------------------------------------------------------------------

# The flags of a dated row: the cohorts it belongs to, in the period ("_p") or in the trend's
# 12 months ("_t"). The days to a plan, to permanence and the adoption scorecard are worked out
# from each child's dates; the others only need the month of their trend.
DATED_COHORTS = {
    "plan": ("plan-ratified", "pt"),
    "perm": ("permanence-achieved", "pt"),
    "adopted": ("adopted", "pt"),
    "review": ("second-review-due", "t"),
    "ratified": ("ratified-by-second-review", "t"),
    "concluded": ("proceedings-concluded", "t"),
    "within": (f"proceedings-concluded-{PROCEEDINGS_BANDS[0][0]}", "t"),
}


# Each row of a cohort above has its cohort's date in the period or the trend's months (the
# days and the scorecard), or in the trend's months only (the others).
def _dated_columns() -> dict[str, str]:
    columns: dict[str, str] = {}
    for key, which in DATED_COHORTS.values():
        column = COHORTS[key].column
        columns[column] = columns.get(column, "") + which
    return columns


DATED_COLUMNS = _dated_columns()
DATED_FIELDS = (
    "route",
    "period_start",
    "first_ratified_on",
    "achieved_on",
    "adopted_on",
    "placed_for_adoption_on",
    "moved_in_with_adopters_on",
    "placement_order_on",
    "match_decided_on",
    "second_review_due",
    "proceedings_concluded_on",
)


# Each dated row's flags: the cohort and the span, "plan_p" a plan ratified in the period.
DATED_FLAGS = tuple(
    f"{name}_{span}" for name, (_key, which) in DATED_COHORTS.items() for span in which
)
_DATED_NAMES = (*DATED_FIELDS, *DATED_FLAGS)


def _flag(q: Q) -> Case:
    """True for the rows Q selects, as a filter by Q would (a condition that is unknown is not
    met)."""
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


class _Count(Count):
    """COUNT, which PostgreSQL and SQLite both return as a whole number already: Django's own
    int() of each value is left out (a head of service's grouped counts are some 8,000 values)."""

    def get_db_converters(self, connection):
        return self.output_field.get_db_converters(connection)


@prepared_within
def _counts(rows, row_ids, start, end, *, today) -> QuerySet:
    """`Reading.counts`, compiled once per process and day (permanence.prepared): only the
    reader's rows' own conditions are compiled on each request. The open proceedings' bands
    count back from TODAY."""
    bands = [key for key, _, _ in PROCEEDINGS_BANDS]

    def q(key: str) -> Q:
        return COHORTS[key].q(start, end, today)

    counts = {
        "n": _Count("pk"),
        "review": _Count("pk", filter=q("second-review-due")),
        "ratified": _Count("pk", filter=q("ratified-by-second-review")),
        **{
            f"concluded_{key}": _Count("pk", filter=q(f"proceedings-concluded-{key}"))
            for key in bands
        },
        **{f"open_{key}": _Count("pk", filter=q(f"proceedings-open-{key}")) for key in bands},
        "overdue": _Count("pk", filter=OVERDUE_ALERTS.q(start, end, today)),
    }
    grouped = rows.order_by().values("team_id", "team__name", "route", "plan_status")
    return grouped.annotate(**counts)


@prepared_within
def _dated(rows, row_ids, start, end, trend_start, trend_end, first, last, *, today) -> QuerySet:
    """`Reading.dated`, compiled once per process as `_counts` is. FIRST and LAST span both the
    period and the trend's months (worked out by the caller: a kept statement cannot choose
    between its dates)."""
    spans = {"p": (start, end), "t": (trend_start, trend_end)}
    flags = {
        f"{name}_{span}": COHORTS[key].q(*spans[span], today)
        for name, (key, which) in DATED_COHORTS.items()
        for span in which
    }
    # The rows read are those with a date in its span (cheaper to ask than every flag);
    # a row is counted only under the flags it has.
    wanted = Q()
    for column, which in DATED_COLUMNS.items():
        wanted |= in_period(column, *((first, last) if "p" in which else spans["t"]))
    return (
        rows.filter(wanted)
        .order_by()
        .annotate(**{name: _flag(q) for name, q in flags.items()})
        .values_list(*DATED_FIELDS, *flags, named=True)
    )


class Reading:
    """What the measures read from the stored rows, once for the whole page (issue 19):

    - `counts`: one aggregate over every row, grouped by team, route and plan status, with each
      count for the period side by side (conditional counts, each the filter of its cohort);
    - `dated`: the rows of the cohorts whose days or months are worked out here (a plan
      ratified, permanence achieved, adopted, the second review due, proceedings concluded, in
      the period or the trend's 12 months), each with a flag per cohort it belongs to.

    Each is read when first asked for, so a measure worked out on its own reads only its own.
    """

    def __init__(
        self, rows: QuerySet[TrackerRow], start: dt.date | None, end: dt.date, today: dt.date
    ) -> None:
        self.rows, self.start, self.end, self.today = rows, start, end, today
        self.months = trend_months(end)
        self.trend_start, self.trend_end = _span(end, today)

    @cached_property
    def counts(self) -> list[dict]:
        return _counts(self.rows, self.start, self.end, today=self.today)

    def total(self, name: str) -> int:
        return sum(line[name] for line in self.counts)

    @cached_property
    def dated(self) -> list:
        start, trend_start = self.start, self.trend_start
        first = None if start is None else min(start, trend_start)
        last = max(self.end, self.trend_end)
        return _dated(
            self.rows, start, self.end, trend_start, self.trend_end, first, last, today=self.today
        )

    @cached_property
    def _flagged(self) -> dict[str, list]:
        dated = self.dated
        places = {name: place for place, name in enumerate(_DATED_NAMES)}
        return {flag: [line for line in dated if line[places[flag]]] for flag in DATED_FLAGS}

    def flagged(self, flag: str) -> list:
        """The dated rows with FLAG."""
        return self._flagged[flag]

    def trend(self, flag: str, column: str) -> dict[dt.date, list]:
        """The dated rows with FLAG in the trend's months, by the calendar month of COLUMN."""
        out: dict[dt.date, list] = defaultdict(list)
        for line in self.flagged(flag):
            out[getattr(line, column).replace(day=1)].append(line)
        return out


def _reading(reading, rows, start, end, today) -> Reading:
    return reading if reading is not None else Reading(rows, start, end, today)


def ratified_by_second_review(
    rows: QuerySet[TrackerRow],
    start,
    end,
    *,
    today: dt.date | None = None,
    links: Links = NO_LINKS,
    reading: Reading | None = None,
) -> Measure:
    """The share of children with a ratified plan by their second review (000-004)."""
    today = today or end
    reading = _reading(reading, rows, start, end, today)
    by_team: dict[tuple, list[int]] = {}
    for line in reading.counts:
        if line["review"]:
            counts = by_team.setdefault((line["team_id"], line["team__name"]), [0, 0])
            counts[0] += line["review"]
            counts[1] += line["ratified"]
    teams = {team: (n, r) for team, (n, r) in sorted(by_team.items(), key=lambda kv: kv[0][0])}
    total = sum(n for n, _ in teams.values())
    ratified = sum(r for _, r in teams.values())
    ordered = sorted(teams.items(), key=lambda kv: (kv[1][1] / kv[1][0], kv[0][1]))
    shown = ordered[:MAX_TEAM_BARS]
    items = [BarItem("All teams", 100 * ratified / total if total else 0, _pct(ratified, total))]
    items += [BarItem(team, 100 * r / n, f"{_pct(r, n)} of {n}") for (_, team), (n, r) in shown]
    notes = []
    if len(ordered) > MAX_TEAM_BARS:
        notes.append(
            f"The chart shows the {MAX_TEAM_BARS} teams with the lowest share; the table has "
            "every team."
        )

    def cells(n: int, r: int, team=None, month=None) -> list[str]:
        return [
            Cell(n, links.url("second-review-due", team=team, month=month) if n else ""),
            Cell(r, links.url("ratified-by-second-review", team=team, month=month) if r else ""),
            Cell(
                n - r,
                links.url("not-ratified-by-second-review", team=team, month=month) if n - r else "",
            ),
            _pct(r, n),
        ]

    by_month = reading.trend("review_t", "second_review_due")
    months = reading.months
    trend_lines = [
        {"n": len(lines), "r": sum(line.ratified_t for line in lines)}
        for lines in (by_month.get(m, []) for m in months)
    ]
    return Measure(
        key="ratified",
        title="Plans ratified by the second review",
        summary=f"{_pct(ratified, total)} ({ratified} of {total})" if total else "No children",
        explanation=(
            "Children whose second looked-after review was due in the period, and how many had "
            "a plan ratified by the date of that review (the date it was held, or was due if it "
            "has not been held)."
        ),
        chart=bar_chart(
            id="chart-ratified",
            title="Share of children with a ratified plan by their second review",
            description=f"All teams: {_pct(ratified, total)}. By team, lowest share first.",
            items=items if total else [],
        ),
        table=Table(
            caption="Plans ratified by the second review, by team",
            headers=[
                "Team",
                "Second review due",
                "Plan ratified by then",
                "No plan ratified by then",
                "Share",
            ],
            rows=[[t, *cells(n, r, team=pk)] for (pk, t), (n, r) in ordered]
            + ([["All teams", *cells(total, ratified)]] if total else []),
        ),
        notes=notes,
        trend=Trend(
            caption="Plans ratified by the second review, month by month (by the month the "
            "review was due)",
            headers=[
                "Month",
                "Share",
                "Second review due",
                "Plan ratified by then",
                "No plan ratified by then",
            ],
            rows=[
                [
                    _month_label(m),
                    _pct(line["r"], line["n"]),
                    *cells(line["n"], line["r"], month=m)[:3],
                ]
                for m, line in zip(months, trend_lines, strict=True)
            ],
            bars=[100 * line["r"] / line["n"] if line["n"] else 0 for line in trend_lines],
        ),
        behind=[
            _behind(links, "second-review-due", total),
            _behind(links, "not-ratified-by-second-review", total - ratified),
        ]
        if total
        else [],
    )


def _days_since_care(reading: Reading, flag: str, key: str) -> list[tuple[str, dt.date, int]]:
    """(route, the day, days since the period of care began) for each dated row with FLAG."""
    column = COHORTS[key].column
    return [
        (line.route, getattr(line, column), (getattr(line, column) - line.period_start).days)
        for line in reading.flagged(flag)
    ]


def days_to_plan_and_permanence(
    rows: QuerySet[TrackerRow],
    start,
    end,
    *,
    today: dt.date | None = None,
    links: Links = NO_LINKS,
    reading: Reading | None = None,
) -> Measure:
    """Median days from becoming looked after to a ratified plan, and to permanence achieved."""
    today = today or end
    reading = _reading(reading, rows, start, end, today)
    to_plan: dict[str, list[int]] = defaultdict(list)
    to_permanence: dict[str, list[int]] = defaultdict(list)
    for route, _, days in _days_since_care(reading, "plan_p", "plan-ratified"):
        to_plan[route].append(days)
    for route, _, days in _days_since_care(reading, "perm_p", "permanence-achieved"):
        to_permanence[route].append(days)
    all_plan = [d for values in to_plan.values() for d in values]
    all_perm = [d for values in to_permanence.values() for d in values]
    plan_median, perm_median = _median(all_plan), _median(all_perm)
    items = [
        BarItem(
            "To a ratified plan",
            plan_median or 0,
            f"{_days(plan_median)}, {children(len(all_plan))}",
        ),
        BarItem(
            "To permanence achieved",
            perm_median or 0,
            f"{_days(perm_median)}, {children(len(all_perm))}",
        ),
    ]

    def cells(plan: list[int], perm: list[int], **filters) -> list[str]:
        return [
            Cell(len(plan), links.url("plan-ratified", **filters) if plan else ""),
            _days(_median(plan)),
            Cell(len(perm), links.url("permanence-achieved", **filters) if perm else ""),
            _days(_median(perm)),
        ]

    routes = [r for r in Route.values if r in to_plan or r in to_permanence]
    table_rows = [
        [
            _cap(SHORT_ROUTE_NAMES.get(r, r)),
            *cells(to_plan.get(r, []), to_permanence.get(r, []), route=r),
        ]
        for r in routes
    ]
    if "" in to_plan or "" in to_permanence:
        table_rows.append(["No plan now", *cells(to_plan[""], to_permanence[""], route=NONE)])
    table_rows.append(["Every route", *cells(all_plan, all_perm)])

    plan_months: dict[dt.date, list[int]] = defaultdict(list)
    perm_months: dict[dt.date, list[int]] = defaultdict(list)
    for flag, key, months_of in (
        ("plan_t", "plan-ratified", plan_months),
        ("perm_t", "permanence-achieved", perm_months),
    ):
        for _, day, days in _days_since_care(reading, flag, key):
            months_of[day.replace(day=1)].append(days)
    months = reading.months
    return Measure(
        key="timeliness",
        title="Days from becoming looked after to a plan and to permanence",
        summary=(
            f"Median {_days(plan_median)} to a ratified plan; {_days(perm_median)} to permanence"
        ),
        explanation=(
            "For plans first ratified in the period, and permanence achieved in the period (the "
            "order made or the long-term match approved): the median number of days since the "
            "child's latest period of care began."
        ),
        chart=bar_chart(
            id="chart-timeliness",
            title="Median days from becoming looked after",
            description=(
                f"To a ratified plan: {_days(plan_median)}. "
                f"To permanence achieved: {_days(perm_median)}."
            ),
            items=items if (all_plan or all_perm) else [],
        ),
        table=Table(
            caption="Median days from becoming looked after, by route",
            headers=[
                "Route",
                "Plans ratified",
                "Median days to a ratified plan",
                "Permanence achieved",
                "Median days to permanence",
            ],
            rows=table_rows,
        ),
        trend=Trend(
            caption="Median days from becoming looked after, month by month",
            headers=[
                "Month",
                "Median days to a ratified plan",
                "Plans ratified",
                "Median days to permanence",
                "Permanence achieved",
            ],
            rows=[
                [_month_label(m), plan, plans, perm, perms]
                for m in months
                for plans, plan, perms, perm in [
                    cells(plan_months.get(m, []), perm_months.get(m, []), month=m)
                ]
            ],
            bars=_scaled([_median(plan_months.get(m, [])) or 0 for m in months]),
        ),
        behind=[
            link
            for link in (
                _behind(links, "plan-ratified", len(all_plan)),
                _behind(links, "permanence-achieved", len(all_perm)),
            )
            if link.url
        ],
    )


def adoption_scorecard(
    rows: QuerySet[TrackerRow],
    start,
    end,
    *,
    today: dt.date | None = None,
    links: Links = NO_LINKS,
    reading: Reading | None = None,
) -> Measure:
    """DfE adoption scorecard A1, A2 and A10 for the children adopted in the period."""
    today = today or end
    reading = _reading(reading, rows, start, end, today)

    def scorecard(flag: str):
        """A1, A2 and A10 days, how many children, and A1 days by the month of adoption."""
        a1, a2, a10 = [], [], []
        a1_by_month: dict[dt.date, list[int]] = defaultdict(list)
        n = 0
        for line in reading.flagged(flag):
            adopted_on, began = line.adopted_on, line.period_start
            placed, moved_in = line.placed_for_adoption_on, line.moved_in_with_adopters_on
            order, match = line.placement_order_on, line.match_decided_on
            n += 1
            if began and placed:
                a1.append((placed - began).days)
                a1_by_month[adopted_on.replace(day=1)].append((placed - began).days)
            if began and moved_in:
                a10.append((moved_in - began).days)
            matched = match or placed
            if order and matched:
                a2.append((matched - order).days)
        return a1, a2, a10, n, a1_by_month

    a1, a2, a10, adopted, _ = scorecard("adopted_p")
    figures = [
        ("A1", "Entering care to moving in with the adoptive family", a1, A1_THRESHOLD),
        ("A2", "Court authority to place to the match with a family", a2, A2_THRESHOLD),
        ("A10", "A1, adjusted for foster carers who adopt", a10, A1_THRESHOLD),
    ]
    items = []
    table_rows = []
    for code, label, values, threshold in figures:
        mean = _mean(values)
        items.append(
            BarItem(
                f"{code}: {label}",
                mean or 0,
                f"{_days(mean)}; threshold {threshold}",
                target=threshold,
                target_text=f"threshold {threshold} days",
            )
        )
        table_rows.append(
            [
                f"{code}: {label}",
                Cell(len(values), links.url(f"adopted-{code.lower()}") if values else ""),
                _days(mean),
                _days(threshold),
                "–" if mean is None else ("Yes" if mean <= threshold else "No"),
            ]
        )
    months = reading.months
    *_, trend_a1 = scorecard("adopted_t")
    trend_adopted = {m: len(lines) for m, lines in reading.trend("adopted_t", "adopted_on").items()}
    return Measure(
        key="adoption",
        title="Adoption scorecard: A1, A2 and A10",
        summary=f"{children(adopted)} adopted",
        explanation=(
            "The Department for Education's average times, in days, for the children adopted in "
            "the period. A2 counts from the placement order to the matching panel's "
            "recommendation, or to the day the child was placed for adoption when no matching "
            "panel is recorded. The black marks are the scorecard thresholds (2013 to 2016)."
        ),
        chart=bar_chart(
            id="chart-adoption",
            title="Adoption scorecard average days, with thresholds",
            description="; ".join(
                f"{code}: {_days(_mean(values))}" for code, _, values, _ in figures
            ),
            items=items if adopted or a2 else [],
        ),
        table=Table(
            caption="Adoption scorecard measures",
            headers=["Measure", "Children", "Average", "Threshold", "Within threshold"],
            rows=table_rows,
        ),
        trend=Trend(
            caption="Children adopted, month by month, with the average A1 days",
            headers=["Month", "Children adopted", "A1 average"],
            rows=[
                [
                    _month_label(m),
                    Cell(
                        trend_adopted.get(m, 0),
                        links.url("adopted", month=m) if trend_adopted.get(m) else "",
                    ),
                    _days(_mean(trend_a1.get(m, []))),
                ]
                for m in months
            ],
            bars=_scaled([trend_adopted.get(m, 0) for m in months]),
        ),
        behind=[_behind(links, "adopted", adopted)] if adopted else [],
    )


def proceedings_against_26_weeks(
    rows: QuerySet[TrackerRow],
    start,
    end,
    today,
    *,
    links: Links = NO_LINKS,
    reading: Reading | None = None,
) -> Measure:
    """Care proceedings concluded in the period, and open now, against 26 weeks (s32; 004)."""
    reading = _reading(reading, rows, start, end, today)
    bands = [(key, label) for key, _, label in PROCEEDINGS_BANDS]
    concluded = {key: reading.total(f"concluded_{key}") for key, _ in bands}
    open_now = {key: reading.total(f"open_{key}") for key, _ in bands}
    done = sum(concluded.values())
    within_key = bands[0][0]
    within = concluded[within_key]
    beyond = sum(open_now.values()) - open_now[within_key]
    items = [
        BarItem(f"Concluded {label.lower()}", concluded[key], str(concluded[key]))
        for key, label in bands
    ] + [
        BarItem(f"Still open, {label.lower()} so far", open_now[key], str(open_now[key]))
        for key, label in bands
    ]
    by_month = reading.trend("concluded_t", "proceedings_concluded_on")
    months = reading.months
    trend_lines = [
        {"n": len(lines), "within": sum(line.within_t for line in lines)}
        for lines in (by_month.get(m, []) for m in months)
    ]
    within_cohort = f"proceedings-concluded-{within_key}"
    return Measure(
        key="proceedings",
        title="Care proceedings against 26 weeks",
        summary=(
            f"{_pct(within, done)} of {done} concluded within 26 weeks; "
            f"{beyond} open beyond 26 weeks"
        ),
        explanation=(
            "Proceedings concluded in the period by how long they took, counting the day of issue "
            "as the first day (Children Act 1989 section 32), and the proceedings still open "
            "today by how long they have run."
        ),
        chart=bar_chart(
            id="chart-proceedings",
            title="Care proceedings by length",
            description=f"{within} of {done} concluded within 26 weeks.",
            items=items if (done or any(open_now.values())) else [],
        ),
        table=Table(
            caption="Care proceedings by length",
            headers=["Length", "Concluded in the period", "Still open"],
            rows=[
                [
                    label,
                    Cell(
                        concluded[key],
                        links.url(f"proceedings-concluded-{key}") if concluded[key] else "",
                    ),
                    Cell(
                        open_now[key],
                        links.url(f"proceedings-open-{key}") if open_now[key] else "",
                    ),
                ]
                for key, label in bands
            ],
        ),
        trend=Trend(
            caption="Care proceedings concluded, month by month, and how many within 26 weeks",
            headers=["Month", "Within 26 weeks", "Concluded", "Concluded within 26 weeks"],
            rows=[
                [
                    _month_label(m),
                    _pct(line["within"], line["n"]),
                    Cell(
                        line["n"],
                        links.url("proceedings-concluded", month=m) if line["n"] else "",
                    ),
                    Cell(
                        line["within"],
                        links.url(within_cohort, month=m) if line["within"] else "",
                    ),
                ]
                for m, line in zip(months, trend_lines, strict=True)
            ],
            bars=[100 * line["within"] / line["n"] if line["n"] else 0 for line in trend_lines],
        ),
        behind=[
            link
            for link in (
                _behind(links, "proceedings-concluded", done),
                _behind(links, "proceedings-open-beyond-26-weeks", beyond),
            )
            if link.url
        ],
    )


def overdue_alerts_by_rule(
    rows: QuerySet[TrackerRow],
    start,
    end,
    *,
    today: dt.date | None = None,
    links: Links = NO_LINKS,
    reading: Reading | None = None,
) -> Measure:
    """Deadlines that went overdue in the period, by rule, and how many are still open (SPEC §5)."""
    today = today or end
    reading = _reading(reading, rows, start, end, today)
    counts = _overdue_by_rule(rows, start, end)
    total = sum(c["total"] for c in counts)
    # The rows of the children with an overdue alert in the period: the tracker behind the link.
    all_children = reading.total("overdue") if total else 0
    by_month = _by_month(_overdue_by_month(rows, reading.trend_start, reading.trend_end))
    months = reading.months
    trend_lines = [by_month.get(m, {"n": 0, "children": 0}) for m in months]
    return Measure(
        key="alerts",
        title="Overdue alerts by deadline",
        summary=f"{total} overdue alert{'s' if total != 1 else ''}"
        + (f", for {children(all_children)}" if total else ""),
        explanation=(
            "Alerts raised because a deadline due in the period went overdue, by deadline, and "
            "how many of them are still open (the event has not been recorded)."
        ),
        chart=bar_chart(
            id="chart-alerts",
            title="Overdue alerts by deadline",
            description=f"{total} overdue alert{'s' if total != 1 else ''} in the period.",
            items=[
                BarItem(c["rule__name"], c["total"], f"{c['total']} ({c['still_open']} open)")
                for c in counts
            ],
        ),
        table=Table(
            caption="Overdue alerts by deadline",
            headers=["Deadline", "Overdue alerts", "Still open", "Children"],
            rows=[
                [
                    c["rule__name"],
                    str(c["total"]),
                    str(c["still_open"]),
                    Cell(c["children"], links.url(overdue_key(c["rule__code"]))),
                ]
                for c in counts
            ],
        ),
        trend=Trend(
            caption="Overdue alerts, month by month (by the month the deadline was due)",
            headers=["Month", "Overdue alerts", "Children"],
            rows=[
                [
                    _month_label(m),
                    str(line["n"]),
                    Cell(
                        line["children"],
                        links.url("overdue-alerts", month=m) if line["children"] else "",
                    ),
                ]
                for m, line in zip(months, trend_lines, strict=True)
            ],
            bars=_scaled([line["n"] for line in trend_lines]),
        ),
        behind=[_behind(links, "overdue-alerts", all_children)] if all_children else [],
    )


def children_by_route_and_status(
    rows: QuerySet[TrackerRow], *, links: Links = NO_LINKS, reading: Reading | None = None
) -> Measure:
    """How many children are on each route, and at which status of the plan (today)."""
    if reading is None:
        today = timezone.localdate()
        reading = Reading(rows, None, today, today)
    grid: dict[str, Counter] = defaultdict(Counter)
    for line in reading.counts:
        grid[line["route"]][line["plan_status"]] += line["n"]
    statuses = [s for s in Status.values if s != Status.SUPERSEDED]
    routes = [r for r in Route.values if r in grid] + ([""] if "" in grid else [])

    def name(route: str) -> str:
        return _cap(SHORT_ROUTE_NAMES.get(route, route)) if route else "No plan yet"

    def cell(n: int, route: str, status: str = "") -> str:
        if not n:
            return str(n)
        return Cell(n, links.url(route=route or NONE, status=status))

    totals = {r: sum(grid[r].values()) for r in routes}
    everyone = sum(totals.values())
    return Measure(
        key="routes",
        title="Children by route and plan status",
        summary=children(everyone),
        explanation="Today's plans: each child's route and the status of the plan in force.",
        chart=bar_chart(
            id="chart-routes",
            title="Children by route",
            description="; ".join(f"{name(r)}: {totals[r]}" for r in routes),
            items=[BarItem(name(r), totals[r], str(totals[r])) for r in routes],
        ),
        table=Table(
            caption="Children by route and plan status",
            headers=["Route", *(Status(s).label for s in statuses), "Total"],
            rows=[
                [
                    name(r),
                    *(cell(grid[r][s], r, s) for s in statuses),
                    cell(totals[r], r),
                ]
                for r in routes
            ],
        ),
        trend_note=(
            "These are today's figures: the tracker keeps each child's plan as it stands, not "
            "its history, so there is no month-by-month trend."
        ),
        behind=[Link(children(everyone), links.url())] if everyone and links.enabled else [],
    )


def measures(
    *,
    rows: QuerySet[TrackerRow],
    start: dt.date | None,
    end: dt.date,
    today: dt.date,
    links: Links = NO_LINKS,
) -> list[Measure]:
    """Every measure for these rows (already limited to the user's children and the team): the
    rows are read twice for them all (`Reading`), the overdue alerts twice."""
    reading = Reading(rows, start, end, today)
    return [
        ratified_by_second_review(rows, start, end, today=today, links=links, reading=reading),
        days_to_plan_and_permanence(rows, start, end, today=today, links=links, reading=reading),
        adoption_scorecard(rows, start, end, today=today, links=links, reading=reading),
        proceedings_against_26_weeks(rows, start, end, today, links=links, reading=reading),
        overdue_alerts_by_rule(rows, start, end, today=today, links=links, reading=reading),
        children_by_route_and_status(rows, links=links, reading=reading),
    ]
