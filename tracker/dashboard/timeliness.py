"""Timeliness measures (issue 12): how many deadlines were met on time, by month, team and the
person responsible, with the list of the deadlines behind each figure.

One class per measure holds its configuration and its `fetch()` (as djangoproject.com's
dashboard does). Every figure is read from the stored deadline instances: their due date, the
date they were met and how they turned out were worked out when the sweep wrote them; nothing
here works out a due date or how late something was.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from tracker.dashboard.charts import BarChart, BarItem, bar_chart
from tracker.dashboard.cohorts import NO_LINKS, Links, children, deadlines_key
from tracker.dashboard.measures import Table
from tracker.models import Deadline

Outcome = Deadline.Outcome
MAX_BARS = 15
NOBODY = "Nobody allocated"


@dataclass
class Counts:
    """How many deadlines fell due, and how many of them were met on time."""

    due: int = 0
    on_time: int = 0

    @property
    def not_on_time(self) -> int:
        return self.due - self.on_time

    @property
    def share(self) -> float:
        return 100 * self.on_time / self.due if self.due else 0

    @property
    def percent(self) -> str:
        return f"{round(self.share)}%" if self.due else "–"

    def cells(self) -> list[str]:
        return [str(self.due), str(self.on_time), str(self.not_on_time), self.percent]


@dataclass
class Figure:
    """One measure as the page shows it: the headline, a chart, and the tables behind it."""

    key: str
    title: str
    explanation: str
    total: Counts
    chart: BarChart
    tables: list[Table] = field(default_factory=list)
    # How many children the deadlines belong to, and those with one not met on time, each with
    # the tracker filtered to them.
    children: int = 0
    children_url: str = ""
    late_children: int = 0
    late_children_url: str = ""

    @property
    def children_text(self) -> str:
        return children(self.children)

    @property
    def late_children_text(self) -> str:
        return children(self.late_children)

    @property
    def summary(self) -> str:
        if not self.total.due:
            return "Nothing fell due in this period"
        return f"{self.total.percent} on time ({self.total.on_time} of {self.total.due})"


def _month(day: dt.date) -> str:
    return f"{day:%B %Y}"


def _table(caption: str, first: str, groups: dict[str, Counts], order: list[str]) -> Table:
    return Table(
        caption=caption,
        headers=[first, "Fell due", "On time", "Late or missed", "On time (%)"],
        rows=[[name, *groups[name].cells()] for name in order],
    )


@dataclass(frozen=True)
class TimelinessMeasure:
    """Deadlines under RULES that fell due in a period, and how many were met on time."""

    key: str
    title: str
    rules: tuple[str, ...]
    explanation: str

    def instances(
        self, deadlines: QuerySet[Deadline], start: dt.date | None, end: dt.date, today: dt.date
    ) -> QuerySet[Deadline]:
        """The deadlines counted: due in the period, and either met or already past their due
        date (one due today and not yet met may still be met on time)."""
        qs = deadlines.filter(rule__code__in=self.rules, due__isnull=False, due__lte=end)
        if start is not None:
            qs = qs.filter(due__gte=start)
        return qs.filter(Q(met_on__isnull=False) | Q(due__lt=today))

    def listed(
        self, deadlines: QuerySet[Deadline], start: dt.date | None, end: dt.date, today: dt.date
    ) -> QuerySet[Deadline]:
        """The same deadlines for the list: missed first, then late, then still not met, then
        those met on time; the most recently due first within each."""
        rank = Case(
            When(outcome=Outcome.MISSED, then=Value(0)),
            When(outcome=Outcome.LATE, then=Value(1)),
            When(outcome=Outcome.OPEN, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        return (
            self.instances(deadlines, start, end, today)
            .select_related("child", "child__team", "rule", "owner")
            .annotate(rank=rank)
            .order_by("rank", "-due", "child__last_name", "child__first_name", "pk")
        )

    def fetch(
        self,
        deadlines: QuerySet[Deadline],
        start: dt.date | None,
        end: dt.date,
        today: dt.date,
        links: Links = NO_LINKS,
    ) -> Figure:
        total = Counts()
        everyone: set[int] = set()
        late: set[int] = set()
        by_month: dict[str, Counts] = defaultdict(Counts)
        by_team: dict[str, Counts] = defaultdict(Counts)
        by_person: dict[str, Counts] = defaultdict(Counts)
        months: dict[str, dt.date] = {}
        rows = (
            self.instances(deadlines, start, end, today)
            .order_by()
            .values_list(
                "due",
                "outcome",
                "child__team__name",
                "owner__first_name",
                "owner__last_name",
                "child_id",
            )
        )
        for due, outcome, team, first, last, child in rows.iterator(chunk_size=5000):
            on_time = outcome == Outcome.ON_TIME
            everyone.add(child)
            if not on_time:
                late.add(child)
            month = _month(due)
            months.setdefault(month, due.replace(day=1))
            person = f"{first} {last}".strip() if (first or last) else NOBODY
            for counts in (total, by_month[month], by_team[team or "No team"], by_person[person]):
                counts.due += 1
                counts.on_time += on_time
        month_order = sorted(by_month, key=months.__getitem__)
        # Lowest share first: the teams and people a manager would look at.
        team_order = sorted(by_team, key=lambda t: (by_team[t].share, t))
        person_order = sorted(by_person, key=lambda p: (by_person[p].share, p))
        shown = month_order[-MAX_BARS:]
        items = [
            BarItem(m, by_month[m].share, f"{by_month[m].percent} of {by_month[m].due}")
            for m in shown
        ]
        return Figure(
            key=self.key,
            title=self.title,
            explanation=self.explanation,
            total=total,
            chart=bar_chart(
                id=f"chart-{self.key}",
                title=f"{self.title}, by month due",
                description=(
                    f"{total.percent} on time overall."
                    + (
                        f" The last {MAX_BARS} months are shown."
                        if len(month_order) > MAX_BARS
                        else ""
                    )
                ),
                items=items if total.due else [],
            ),
            tables=[
                _table(f"{self.title}, by month due", "Month", by_month, month_order),
                _table(f"{self.title}, by team", "Team", by_team, team_order),
                _table(f"{self.title}, by person responsible", "Person", by_person, person_order),
            ]
            if total.due
            else [],
            children=len(everyone),
            children_url=links.url(deadlines_key(self.key)) if everyone else "",
            late_children=len(late),
            late_children_url=links.url(deadlines_key(self.key, late=True)) if late else "",
        )


MEASURES: tuple[TimelinessMeasure, ...] = (
    TimelinessMeasure(
        key="reviews",
        title="Reviews held on time",
        rules=("first_review", "second_review", "later_review"),
        explanation=(
            "Looked-after reviews due in the period: the first within 20 working days of "
            "becoming looked after, the second within 3 months of the first, and each later "
            "one within 6 months of the one before. On time means held on or before the day "
            "it was due."
        ),
    ),
    TimelinessMeasure(
        key="iro",
        title="IRO allocated within 5 working days",
        rules=("iro_allocated",),
        explanation=(
            "Children who became looked after and whose IRO was due to be allocated in the "
            "period: on time means allocated within 5 working days."
        ),
    ),
    TimelinessMeasure(
        key="part1",
        title="Part 1 sent on time",
        rules=("part1_submitted",),
        explanation=(
            "Part 1 for each permanency forum booking due in the period: on time means sent to "
            "CPS duty on or before the day it was due, 3 working days before the forum."
        ),
    ),
    TimelinessMeasure(
        key="gateway",
        title="Legal Gateway re-reviews on time",
        rules=("legal_gateway_rereview",),
        explanation=(
            "Cases in pre-proceedings or looked after under section 20 come back to the Legal "
            "Gateway Panel within 12 weeks: on time means heard again by the day it was due."
        ),
    ),
    TimelinessMeasure(
        key="proceedings",
        title="Care proceedings concluded within 26 weeks",
        rules=("proceedings_concluded",),
        explanation=(
            "Care proceedings whose 26 weeks (counting the day of issue as the first) ended in "
            "the period: on time means concluded within them."
        ),
    ),
)

BY_KEY = {measure.key: measure for measure in MEASURES}


def visible_deadlines(rows) -> QuerySet[Deadline]:
    """The deadline instances of the children behind these tracker rows (already limited to
    what the reader may see, and to the team chosen)."""
    return Deadline.objects.filter(child_id__in=rows.order_by().values("child_id"))


def figures(
    *, rows, start: dt.date | None, end: dt.date, today: dt.date, links: Links = NO_LINKS
) -> list[Figure]:
    """Every timeliness measure for the children behind ROWS."""
    deadlines = visible_deadlines(rows)
    return [measure.fetch(deadlines, start, end, today, links) for measure in MEASURES]
