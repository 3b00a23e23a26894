"""Measures of performance for managers (SPEC §6; seeds 002 §12, 004 "key measures of
performance"), each as a chart and a table, for a team (or every team) and a period.

All of them are read from the stored tracker rows (and, for overdue alerts, the stored alerts):
dates already worked out and kept, counted and compared here, never a deadline worked out again.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from permanence.models.plans import SHORT_ROUTE_NAMES, Route, Status
from tracker.dashboard.charts import BarChart, BarItem, bar_chart
from tracker.dashboard.models import TrackerRow
from tracker.models import Alert

# DfE adoption scorecard thresholds for 2013-16, the last set (in days): A1 and A10 14 months
# from entering care to moving in with the adoptive family, A2 4 months from court authority to
# place to the match.
A1_THRESHOLD = 426
A2_THRESHOLD = 121
PROCEEDINGS_WEEKS = 26  # Children Act 1989 s32
PROCEEDINGS_BANDS = (
    (26, "Within 26 weeks"),
    (39, "27 to 39 weeks"),
    (52, "40 to 52 weeks"),
    (None, "More than 52 weeks"),
)
MAX_TEAM_BARS = 15


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric_from: int = 1  # columns from here on are numbers (right-aligned)


@dataclass
class Measure:
    key: str
    title: str
    summary: str
    explanation: str
    chart: BarChart
    table: Table
    notes: list[str] = field(default_factory=list)


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


def _in_period(name: str, start: dt.date | None, end: dt.date) -> Q:
    q = Q(**{f"{name}__isnull": False, f"{name}__lte": end})
    if start is not None:
        q &= Q(**{f"{name}__gte": start})
    return q


def ratified_by_second_review(rows: QuerySet[TrackerRow], start, end) -> Measure:
    """The share of children with a ratified plan by their second review (000-004)."""
    cohort = rows.filter(_in_period("second_review_due", start, end)).values_list(
        "team__name", "second_review_due", "second_review_held_on", "first_ratified_on"
    )
    teams: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for team, due, held, ratified in cohort.iterator(chunk_size=5000):
        by = held or due
        teams[team][0] += 1
        if ratified is not None and ratified <= by:
            teams[team][1] += 1
    total = sum(n for n, _ in teams.values())
    ratified = sum(r for _, r in teams.values())
    ordered = sorted(teams.items(), key=lambda kv: (kv[1][1] / kv[1][0], kv[0]))
    shown = ordered[:MAX_TEAM_BARS]
    items = [BarItem("All teams", 100 * ratified / total if total else 0, _pct(ratified, total))]
    items += [BarItem(team, 100 * r / n, f"{_pct(r, n)} of {n}") for team, (n, r) in shown]
    notes = []
    if len(ordered) > MAX_TEAM_BARS:
        notes.append(
            f"The chart shows the {MAX_TEAM_BARS} teams with the lowest share; the table has "
            "every team."
        )
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
            headers=["Team", "Second review due", "Plan ratified by then", "Share"],
            rows=[[t, str(n), str(r), _pct(r, n)] for t, (n, r) in ordered]
            + ([["All teams", str(total), str(ratified), _pct(ratified, total)]] if total else []),
        ),
        notes=notes,
    )


def days_to_plan_and_permanence(rows: QuerySet[TrackerRow], start, end) -> Measure:
    """Median days from becoming looked after to a ratified plan, and to permanence achieved."""
    to_plan: dict[str, list[int]] = defaultdict(list)
    to_permanence: dict[str, list[int]] = defaultdict(list)
    for route, began, ratified in (
        rows.filter(_in_period("first_ratified_on", start, end), period_start__isnull=False)
        .values_list("route", "period_start", "first_ratified_on")
        .iterator(chunk_size=5000)
    ):
        to_plan[route].append((ratified - began).days)
    for route, began, achieved in (
        rows.filter(_in_period("achieved_on", start, end), period_start__isnull=False)
        .values_list("route", "period_start", "achieved_on")
        .iterator(chunk_size=5000)
    ):
        to_permanence[route].append((achieved - began).days)
    all_plan = [d for values in to_plan.values() for d in values]
    all_perm = [d for values in to_permanence.values() for d in values]
    plan_median, perm_median = _median(all_plan), _median(all_perm)
    items = [
        BarItem(
            "To a ratified plan",
            plan_median or 0,
            f"{_days(plan_median)}, {len(all_plan)} children",
        ),
        BarItem(
            "To permanence achieved",
            perm_median or 0,
            f"{_days(perm_median)}, {len(all_perm)} children",
        ),
    ]
    routes = [r for r in Route.values if r in to_plan or r in to_permanence]
    table_rows = [
        [
            _cap(SHORT_ROUTE_NAMES.get(r, r)),
            str(len(to_plan.get(r, []))),
            _days(_median(to_plan.get(r, []))),
            str(len(to_permanence.get(r, []))),
            _days(_median(to_permanence.get(r, []))),
        ]
        for r in routes
    ]
    table_rows.append(
        [
            "Every route",
            str(len(all_plan)),
            _days(plan_median),
            str(len(all_perm)),
            _days(perm_median),
        ]
    )
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
    )


def adoption_scorecard(rows: QuerySet[TrackerRow], start, end) -> Measure:
    """DfE adoption scorecard A1, A2 and A10 for the children adopted in the period."""
    a1, a2, a10 = [], [], []
    for began, placed, moved_in, order, match in (
        rows.filter(_in_period("adopted_on", start, end))
        .values_list(
            "period_start",
            "placed_for_adoption_on",
            "moved_in_with_adopters_on",
            "placement_order_on",
            "match_decided_on",
        )
        .iterator(chunk_size=5000)
    ):
        if began and placed:
            a1.append((placed - began).days)
        if began and moved_in:
            a10.append((moved_in - began).days)
        matched = match or placed
        if order and matched:
            a2.append((matched - order).days)
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
                str(len(values)),
                _days(mean),
                _days(threshold),
                "–" if mean is None else ("Yes" if mean <= threshold else "No"),
            ]
        )
    adopted = max(len(a1), len(a10))
    return Measure(
        key="adoption",
        title="Adoption scorecard: A1, A2 and A10",
        summary=f"{adopted} child{'ren' if adopted != 1 else ''} adopted",
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
    )


def _band(weeks_days: int) -> str:
    for limit, label in PROCEEDINGS_BANDS:
        if limit is None or weeks_days <= limit * 7:
            return label
    return PROCEEDINGS_BANDS[-1][1]


def proceedings_against_26_weeks(rows: QuerySet[TrackerRow], start, end, today) -> Measure:
    """Care proceedings concluded in the period, and open now, against 26 weeks (s32; 004)."""
    concluded: Counter = Counter()
    open_now: Counter = Counter()
    for issued, finished in (
        rows.filter(_in_period("proceedings_concluded_on", start, end))
        .exclude(proceedings_issued_on__isnull=True)
        .values_list("proceedings_issued_on", "proceedings_concluded_on")
        .iterator(chunk_size=5000)
    ):
        # 26 weeks beginning with the day of issue: the day of issue counts as day one.
        concluded[_band((finished - issued).days + 1)] += 1
    for (issued,) in (
        rows.filter(court_stage="issued", proceedings_issued_on__isnull=False)
        .values_list("proceedings_issued_on")
        .iterator(chunk_size=5000)
    ):
        open_now[_band((today - issued).days + 1)] += 1
    done = sum(concluded.values())
    within = concluded[PROCEEDINGS_BANDS[0][1]]
    items = [
        BarItem(f"Concluded {label.lower()}", concluded[label], str(concluded[label]))
        for _, label in PROCEEDINGS_BANDS
    ] + [
        BarItem(f"Still open, {label.lower()} so far", open_now[label], str(open_now[label]))
        for _, label in PROCEEDINGS_BANDS
    ]
    return Measure(
        key="proceedings",
        title="Care proceedings against 26 weeks",
        summary=(
            f"{_pct(within, done)} of {done} concluded within 26 weeks; "
            f"{sum(open_now.values()) - open_now[PROCEEDINGS_BANDS[0][1]]} open beyond 26 weeks"
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
            items=items if (done or open_now) else [],
        ),
        table=Table(
            caption="Care proceedings by length",
            headers=["Length", "Concluded in the period", "Still open"],
            rows=[
                [label, str(concluded[label]), str(open_now[label])]
                for _, label in PROCEEDINGS_BANDS
            ],
        ),
    )


def overdue_alerts_by_rule(rows: QuerySet[TrackerRow], start, end) -> Measure:
    """Deadlines that went overdue in the period, by rule, and how many are still open (SPEC §5)."""
    alerts = Alert.objects.filter(
        child_id__in=rows.order_by().values("child_id"), level=Alert.Level.OVERDUE, due__lte=end
    )
    if start is not None:
        alerts = alerts.filter(due__gte=start)
    counts = list(
        alerts.values("rule__name", "rule__order")
        .annotate(total=Count("pk"), still_open=Count("pk", filter=Q(closed_at__isnull=True)))
        .order_by("-total", "rule__order")
    )
    total = sum(c["total"] for c in counts)
    return Measure(
        key="alerts",
        title="Overdue alerts by deadline",
        summary=f"{total} overdue alert{'s' if total != 1 else ''}",
        explanation=(
            "Alerts raised because a deadline due in the period went overdue, by deadline, and "
            "how many of them are still open (the event has not been recorded)."
        ),
        chart=bar_chart(
            id="chart-alerts",
            title="Overdue alerts by deadline",
            description=f"{total} overdue alerts in the period.",
            items=[
                BarItem(c["rule__name"], c["total"], f"{c['total']} ({c['still_open']} open)")
                for c in counts
            ],
        ),
        table=Table(
            caption="Overdue alerts by deadline",
            headers=["Deadline", "Overdue alerts", "Still open"],
            rows=[[c["rule__name"], str(c["total"]), str(c["still_open"])] for c in counts],
        ),
    )


def children_by_route_and_status(rows: QuerySet[TrackerRow]) -> Measure:
    """How many children are on each route, and at which status of the plan (today)."""
    grid: dict[str, Counter] = defaultdict(Counter)
    for route, status, n in (
        rows.order_by().values_list("route", "plan_status").annotate(n=Count("pk"))
    ):
        grid[route][status] += n
    statuses = [s for s in Status.values if s != Status.SUPERSEDED]
    routes = [r for r in Route.values if r in grid] + ([""] if "" in grid else [])

    def name(route: str) -> str:
        return _cap(SHORT_ROUTE_NAMES.get(route, route)) if route else "No plan yet"

    totals = {r: sum(grid[r].values()) for r in routes}
    everyone = sum(totals.values())
    return Measure(
        key="routes",
        title="Children by route and plan status",
        summary=f"{everyone} child{'ren' if everyone != 1 else ''}",
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
            rows=[[name(r), *(str(grid[r][s]) for s in statuses), str(totals[r])] for r in routes],
        ),
    )


def measures(
    *, rows: QuerySet[TrackerRow], start: dt.date | None, end: dt.date, today: dt.date
) -> list[Measure]:
    """Every measure for these rows (already limited to the user's children and the team)."""
    return [
        ratified_by_second_review(rows, start, end),
        days_to_plan_and_permanence(rows, start, end),
        adoption_scorecard(rows, start, end),
        proceedings_against_26_weeks(rows, start, end, today),
        overdue_alerts_by_rule(rows, start, end),
        children_by_route_and_status(rows),
    ]
