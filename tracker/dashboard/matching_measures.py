"""Days to a match, for the measures page (issue 14): from entering care to the placement and
from the placement order to the match (the adoption scorecard's A1 and A2, counted here from
the match the agency decision maker approved), and from the plan's ratification to the match,
for adoption and long-term fostering. One measure with its chart and its table, in the same
shape as the others (`tracker.dashboard.measures.Measure`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from permanence.models import OrderRecord, PotentialMatch
from permanence.models.plans import Route
from permanence.prepared import prepared_within
from tracker.dashboard.charts import BarItem, bar_chart
from tracker.dashboard.measures import A1_THRESHOLD, A2_THRESHOLD, Measure, Table
from tracker.dashboard.models import TrackerRow

FIGURES = (
    ("care_to_placed", "Adoption: entering care to moving in with the family", A1_THRESHOLD),
    ("order_to_match", "Adoption: placement order to the approved match", A2_THRESHOLD),
    ("ratified_to_match_adoption", "Adoption: plan ratified to the approved match", None),
    ("ratified_to_match_ltf", "Long-term fostering: plan ratified to the approved match", None),
)


def _days(value: float | None) -> str:
    if value is None:
        return "–"
    value = round(value)
    return f"{value} day{'s' if value != 1 else ''}"


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


@prepared_within
def _approved(rows, row_ids, start, end) -> QuerySet:
    """Each match approved in the period for the rows' children, with the child's stored row
    (entering care, the plan first ratified, the placement order) and the latest placement order
    made, for a row that has none: compiled once per process (permanence.prepared)."""
    approved = PotentialMatch.objects.filter(
        plan__child_id__in=row_ids,
        decision=PotentialMatch.Decision.APPROVED,
        decided_on__lte=end,
    )
    if start is not None:
        approved = approved.filter(decided_on__gte=start)
    latest_order = (
        OrderRecord.objects.filter(
            child_id=OuterRef("plan__child_id"),
            kind=OrderRecord.Kind.PLACEMENT_ORDER,
            status=OrderRecord.Status.MADE,
            made_on__isnull=False,
        )
        .order_by("-made_on")
        .values("made_on")[:1]
    )
    return (
        approved.annotate(order_made_on=Subquery(latest_order))
        .order_by("decided_on")
        .values_list(
            "plan__child_id",
            "plan__route",
            "decided_on",
            "placed_on",
            "plan__child__tracker_row__period_start",
            "plan__child__tracker_row__first_ratified_on",
            Coalesce("plan__child__tracker_row__placement_order_on", "order_made_on"),
        )
    )


def _values(rows: QuerySet[TrackerRow], start: dt.date | None, end: dt.date) -> tuple[dict, int]:
    """Days for each figure, one value a child, for the matches approved in the period; and how
    many children had a match approved (the latest approved match of each)."""
    latest: dict[int, tuple] = {}
    for child_id, route, decided_on, placed_on, began, ratified, order in _approved(
        rows, start, end
    ):
        latest[child_id] = (route, decided_on, placed_on, began, ratified, order)
    if not latest:
        return {}, 0
    values: dict[str, list[int]] = defaultdict(list)
    for route, decided_on, placed_on, began, ratified, order in latest.values():
        if route == Route.ADOPTION:
            if began and placed_on:
                values["care_to_placed"].append((placed_on - began).days)
            if order:
                values["order_to_match"].append((decided_on - order).days)
            if ratified:
                values["ratified_to_match_adoption"].append((decided_on - ratified).days)
        elif route == Route.LONG_TERM_FOSTERING and ratified:
            values["ratified_to_match_ltf"].append((decided_on - ratified).days)
    return values, len(latest)


def days_to_match(rows: QuerySet[TrackerRow], start: dt.date | None, end: dt.date) -> Measure:
    """Days from care, the placement order and the plan's ratification to the approved match."""
    values, counted = _values(rows, start, end)
    items, table_rows = [], []
    for key, label, threshold in FIGURES:
        found = values.get(key, [])
        mean = _mean(found)
        text = _days(mean) + (f"; threshold {threshold}" if threshold else "")
        items.append(
            BarItem(
                label,
                mean or 0,
                text,
                target=threshold,
                target_text=f"threshold {threshold} days" if threshold else "",
            )
        )
        table_rows.append(
            [
                label,
                str(len(found)),
                _days(mean),
                _days(min(found)) if found else "–",
                _days(max(found)) if found else "–",
                _days(threshold),
            ]
        )
    matched = len(values.get("care_to_placed", []))
    return Measure(
        key="days-to-match",
        title="Days to a match",
        summary=(
            f"{counted} child{'ren' if counted != 1 else ''} matched in the period"
            if counted
            else "No match approved in the period"
        ),
        explanation=(
            "For each child whose match the agency decision maker approved in the period: the "
            "average days from entering care to moving in with the adoptive family, from the "
            "placement order to the approved match, and from the plan's ratification to the "
            "approved match. The black marks are the adoption scorecard thresholds."
        ),
        chart=bar_chart(
            id="chart-days-to-match",
            title="Average days to a match, with the scorecard thresholds",
            description="; ".join(
                f"{label}: {_days(_mean(values.get(key, [])))}" for key, label, _ in FIGURES
            ),
            items=items if counted else [],
        ),
        table=Table(
            caption="Days to a match",
            headers=["Measure", "Children", "Average", "Shortest", "Longest", "Threshold"],
            rows=table_rows,
        ),
        notes=[f"{matched} of them moved in with an adoptive family."] if matched else [],
    )
