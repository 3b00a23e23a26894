"""National-scale synthetic data for the tracker (`manage.py seed_scale`).

The children, their periods of care, IRO allocations, reviews, meetings, Permanence Panel RAG
ratings and disruptions come from `tracker.bench.build` (the deadline engine's benchmark
builder). This adds what the tracker reads besides: each child's permanence plan, consistent
with their record (ratified at the second review or not yet, achieved when the child left care
by adoption, a special guardianship order or a return home, a pathway plan at 16), and a
matching panel for children placed for adoption. Everything is written in bulk with its history
(`tracker.bench.write`: COPY on PostgreSQL, `bulk_create_with_history` elsewhere), as every bulk
write of case data must be; then the deadline sweep works out every deadline, alert and tracker
row.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from forums.models import Meeting, MeetingType
from permanence import dates
from permanence.models import PATHWAY_PLAN_AGE, Child, Episode, Plan, User
from permanence.models.plans import LADDER, Route, Status
from reviews.models import Review
from tracker import bench, bulk

# Routes of children still in care, roughly as English authorities report them.
IN_CARE_ROUTES = (
    (Route.RETURN_HOME, 12),
    (Route.CONNECTED_PERSON, 14),
    (Route.SGO_CAO, 14),
    (Route.LONG_TERM_FOSTERING, 34),
    (Route.ADOPTION, 18),
    (Route.RESIDENTIAL, 8),
)
LEFT_CARE_ROUTES = {
    "E11": Route.ADOPTION,
    "E12": Route.ADOPTION,
    "E45": Route.SGO_CAO,
    "E4A": Route.RETURN_HOME,
    "E13": Route.RETURN_HOME,
}
PLACED_FOR_ADOPTION = {"A3", "A4", "A5", "A6"}
# One child in two hundred has a long record: hundreds of recorded changes in its history, as a
# child in care for years collects (issue 19: the child page and chronology at their longest).
BUSY_SHARE = 0.005
BUSY_CHANGES = 300


@dataclass
class Seeded:
    children: int = 0
    plans: int = 0
    superseded: int = 0
    matching_panels: int = 0
    busy_children: int = 0


def _pick(rng: random.Random, weighted) -> str:
    routes, weights = zip(*weighted, strict=True)
    return rng.choices(routes, weights=weights)[0]


def _contingency(rng: random.Random, route: str) -> str:
    if route == Route.PATHWAY_PLAN or rng.random() < 0.25:
        return ""
    others = [r for r in LADDER if r != route]
    return rng.choice(others)


def _plan_for(rng, child, period, reviews, today, by) -> list[dict]:
    """The child's plan versions (oldest first, as fields to write), consistent with the
    record."""
    start, end, rec = period["start"], period["end"], period["rec"]
    held = sorted(d for d in reviews if d)
    age = child["age"]
    if start is None:
        return []
    if end is not None:
        route = LEFT_CARE_ROUTES.get(rec, "")
        if not route:
            return []
        ratified = held[1] if len(held) > 1 else (held[0] if held else start)
        ratified = min(ratified, end)
        return [
            {
                "child_id": child["pk"],
                "route": route,
                "status": Status.ACHIEVED,
                "contingency_route": _contingency(rng, route),
                "summary": "Synthetic plan",
                "presented_on": ratified,
                "ratified_on": ratified,
                "ratified_as": "IRO at the second review",
                "achieved_on": end,
                "created_by_id": by.pk,
            }
        ]
    if age is not None and age >= PATHWAY_PLAN_AGE:
        route = Route.PATHWAY_PLAN
    else:
        route = _pick(rng, IN_CARE_ROUTES)
    if len(held) >= 2 and rng.random() < 0.85:
        ratified = held[1]
        roll = rng.random()
        fields = {
            "child_id": child["pk"],
            "route": route,
            "contingency_route": _contingency(rng, route),
            "summary": "Synthetic plan",
            "presented_on": ratified,
            "ratified_on": ratified,
            "ratified_as": "IRO at the second review",
            "created_by_id": by.pk,
        }
        # The protected status is given once, as the plan is built.
        if roll < 0.45:
            fields["status"] = Status.RATIFIED
        elif roll < 0.85:
            fields["status"] = Status.IN_IMPLEMENTATION
            fields["implementation_started_on"] = min(today, dates.add_days(ratified, 30))
        elif roll < 0.95:
            fields["status"] = Status.ACHIEVED
            fields["implementation_started_on"] = min(today, dates.add_days(ratified, 30))
            fields["achieved_on"] = min(today, dates.add_days(ratified, rng.randint(60, 400)))
        else:
            fields["status"] = Status.DISRUPTED
            fields["disrupted_on"] = min(today, dates.add_days(ratified, rng.randint(30, 300)))
        if rng.random() < 0.08 and route in LADDER and route != LADDER[0]:
            # An earlier version, ratified and then replaced by this one (SPEC §3).
            first = {
                "child_id": child["pk"],
                "version": 1,
                "route": LADDER[LADDER.index(route) - 1],
                "status": Status.SUPERSEDED,
                "summary": "Synthetic earlier plan",
                "presented_on": ratified,
                "ratified_on": ratified,
                "ratified_as": "IRO at the second review",
                "superseded_on": min(today, dates.add_days(ratified, 45)),
                "created_by_id": by.pk,
            }
            return [first, {"version": 2, **fields}]
        return [fields]
    if not held and rng.random() < 0.4:
        return []
    presented = len(held) >= 1 and rng.random() < 0.6
    return [
        {
            "child_id": child["pk"],
            "route": route,
            "status": Status.PRESENTED if presented else Status.DRAFT,
            "contingency_route": _contingency(rng, route),
            "summary": "Synthetic plan",
            "presented_on": held[-1] if presented else None,
            "created_by_id": by.pk,
        }
    ]


def seed(n: int, *, by: User, today: dt.date | None = None, seed: int = 903) -> Seeded:
    """Make N synthetic children with their histories and plans (child identifiers BN…)."""
    today = today or timezone.localdate()
    before = Child.objects.aggregate(top=Max("pk"))["top"] or 0
    bench.build(n, by=by, today=today, seed=seed)
    rng = random.Random(seed + 1)  # noqa: S311 (synthetic data, not security)
    new = Child.objects.filter(pk__gt=before, child_id__startswith=bench.PREFIX)
    children = {
        pk: {"pk": pk, "born": born, "age": None}
        for pk, born in new.order_by("pk").values_list("pk", "date_of_birth")
    }
    periods: dict[int, dict] = {}
    placed: dict[int, dt.date] = {}
    for child_id, decom, dec, rne, place, rec in (
        Episode.objects.filter(child__in=new)
        .order_by("child_id", "decom")
        .values_list("child_id", "decom", "dec", "rne", "place", "rec")
        .iterator(chunk_size=10_000)
    ):
        period = periods.get(child_id)
        if period is None or rne == "S":
            period = periods[child_id] = {"start": decom, "end": None, "rec": ""}
        period["end"], period["rec"] = dec, rec
        if place in PLACED_FOR_ADOPTION and child_id not in placed:
            placed[child_id] = decom
    reviews: dict[int, list] = defaultdict(list)
    for child_id, held in (
        Review.objects.filter(child__in=new, cancelled=False)
        .values_list("child_id", "held_on")
        .iterator(chunk_size=10_000)
    ):
        reviews[child_id].append(held)
    first_versions, second_versions = [], []
    for pk, child in children.items():
        born = child["born"]
        child["age"] = (
            today.year - born.year - ((today.month, today.day) < (born.month, born.day))
            if born
            else None
        )
        period = periods.get(pk, {"start": None, "end": None, "rec": ""})
        versions = _plan_for(rng, child, period, reviews.get(pk, []), today, by)
        if len(versions) == 2:
            first_versions.append(versions[0])
            second_versions.append(versions[1])
        elif versions:
            first_versions.append(versions[0])
    pks = bench.write(Plan, first_versions, by=by)
    if second_versions:
        earlier = {
            plan["child_id"]: pk
            for plan, pk in zip(first_versions, pks, strict=True)
            if plan["status"] == Status.SUPERSEDED
        }
        for plan in second_versions:
            plan["previous_id"] = earlier.get(plan["child_id"])
        bench.write(Plan, second_versions, by=by)
    matching = MeetingType.objects.filter(kind=MeetingType.Kind.MATCHING_PANEL).first()
    panels = []
    if matching is not None:
        for pk, on in placed.items():
            panel_on = dates.add_days(on, -rng.randint(14, 60))
            panels.append(
                {
                    "meeting_type_id": matching.pk,
                    "child_id": pk,
                    "scheduled_for": panel_on,
                    "held_on": panel_on,
                    "decisions": "Synthetic matching panel",
                    "match_carers": "Synthetic adopters",
                    "match_recommendation": Meeting.MatchRecommendation.RECOMMENDED,
                    "form_f_updated_on": dates.add_months(panel_on, -6),
                    "cpr_updated_on": dates.add_months(panel_on, -2),
                    "created_by_id": by.pk,
                }
            )
        bench.write(Meeting, panels, by=by)
    busy = _busy_histories(rng, list(children), today, by)
    return Seeded(
        children=len(children),
        plans=len(first_versions) + len(second_versions),
        superseded=len(second_versions),
        matching_panels=len(panels),
        busy_children=busy,
    )


def _busy_histories(rng: random.Random, pks: list[int], today: dt.date, by: User) -> int:
    """Give BUSY_SHARE of the children (at least one) BUSY_CHANGES recorded changes each, written
    straight into the history in bulk: the date each was told how to complain, moving."""
    if not pks:
        return 0
    chosen = rng.sample(pks, max(1, int(len(pks) * BUSY_SHARE)))
    model = Child.history.model
    latest = {
        row["id"]: row
        for row in model.objects.filter(id__in=chosen).order_by("id", "history_date").values()
    }
    columns = [name for name in next(iter(latest.values())) if name != "history_id"]
    rows = []
    for pk in chosen:
        base = dict(latest[pk])
        start = base["history_date"]
        for k in range(1, BUSY_CHANGES + 1):
            row = {
                **base,
                "history_type": "~",
                "history_date": start + dt.timedelta(minutes=k),
                "history_user_id": by.pk,
                "told_how_to_complain_on": today - dt.timedelta(days=BUSY_CHANGES - k),
            }
            rows.append(tuple(row[name] for name in columns))
    bulk.insert(model, columns, rows)
    return len(chosen)
