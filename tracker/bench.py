"""Synthetic children with realistic histories, for `manage.py bench_sweep`.

Seeded randomness, so that two runs build the same authority: periods of care of up to six
years with changes of placement and legal status, connected-person placements, care
proceedings, IRO allocations and reviews held roughly on time, and (when the forums app has
them) care planning meetings, Legal Gateway hearings, Permanence Panels and disruptions.
Every row is written with its history, as every bulk write of case data must be: on PostgreSQL
with COPY and the history copied from the rows in one INSERT … SELECT (`write`), elsewhere with
`bulk_create_with_history`. Children are made and written a chunk at a time, so memory stays
flat however many are asked for.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from forums.models import Disruption, Meeting, MeetingType
from permanence import dates
from permanence.models import Child, Episode, Service, Team, User
from permanence.roles import Role
from reviews.models import IroAllocation, Review
from tracker import bulk

PREFIX = "BN"
CHILDREN_PER_WORKER = 25
WORKERS_PER_TEAM = 8
CHILDREN_PER_IRO = 60
# From this many children a synthetic authority has several services (a further one for each
# SERVICE_CHILDREN more, up to four) and caseloads of uneven size (a quarter to three times the
# average); smaller builds, as the tests make, keep one service and even caseloads.
SERVICE_CHILDREN = 4000
MAX_SERVICES = 4
CASELOAD_WEIGHTS = (0.25, 0.5, 0.8, 1, 1, 1, 1.3, 1.6, 2, 3)
# Children made and written at a time: each chunk's rows are a few megabytes.
CHUNK = 5000
# The columns simple_history adds to every historical table.
HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type"}


@dataclass
class Built:
    children: int = 0
    episodes: int = 0
    reviews: int = 0
    allocations: int = 0
    meetings: int = 0
    disruptions: int = 0
    users: int = 0
    extra: dict = field(default_factory=dict)


def write(model, rows: list[dict], *, by: User) -> list[int]:
    """Insert ROWS (field attname -> value; every other field takes its default, as a new
    instance would) with a "created" history record each, as `bulk_create_with_history` does;
    the new primary keys, in order.

    On PostgreSQL the rows go in with COPY under keys taken from the table's sequence, and
    their history is copied from them in the database (one INSERT … SELECT): no model instance
    is built and no value prepared twice, which is most of the cost of a large build. Elsewhere
    (SQLite for the tests) it is `bulk_create_with_history` itself."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        bulk_create_with_history(objects, model, batch_size=2000, default_user=by)
        return [obj.pk for obj in objects]
    now = timezone.now()
    given = set().union(*(row.keys() for row in rows))
    spec = []  # (attname, default, field needing its value prepared or None)
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        prepare = f if f.get_internal_type() == "JSONField" else None
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = now
        else:
            default = f.get_default()
            if f.attname not in given and (
                (default is None and f.null) or isinstance(default, DatabaseDefault)
            ):
                continue  # the column's own default (NULL, or its db_default)
        if prepare is not None:
            default = f.get_db_prep_save(default, connection)
        spec.append((f.attname, default, prepare if f.attname in given else None))
    columns = [attname for attname, _, _ in spec]
    if any(prepare for _, _, prepare in spec):
        values = [
            tuple(
                default
                if attname not in row
                else (row[attname] if f is None else f.get_db_prep_save(row[attname], connection))
                for attname, default, f in spec
            )
            for row in rows
        ]
    else:
        values = [tuple([row.get(a, d) for a, d, _ in spec]) for row in rows]
    pks = bulk.insert(model, columns, values, returning_pk=True)
    _copy_history(model, pks, by=by, when=now)
    return pks


def _copy_history(model, pks: list[int], *, by: User, when: dt.datetime) -> None:
    """The "created" history record of each of these rows, copied from the row as it stands
    (PostgreSQL): what `bulk_history_create` writes, in one statement."""
    history = model.history.model
    qn = connection.ops.quote_name
    source = {f.attname: f.column for f in model._meta.concrete_fields}
    into, select = [], []
    for f in history._meta.concrete_fields:
        if f.attname in HISTORY_COLUMNS or f.attname == "history_user_id":
            continue
        into.append(qn(f.column))
        select.append(qn(source[f.attname]))
    into += [qn("history_date"), qn("history_type"), qn("history_user_id")]
    pk = qn(model._meta.pk.column)
    if pks[-1] - pks[0] + 1 == len(pks):  # one run of keys, as a sequence gives one session
        where, params = f"{pk} BETWEEN %s AND %s", [pks[0], pks[-1]]
    else:
        where, params = f"{pk} = ANY(%s)", [pks]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(history._meta.db_table)} ({', '.join(into)}) "  # noqa: S608
            f"SELECT {', '.join(select)}, %s, '+', %s FROM {qn(model._meta.db_table)} "
            f"WHERE {where}",
            [when, by.pk, *params],
        )


def _users(n_children: int, by: User, service: Service) -> tuple[list[Team], dict]:
    n_workers = max(1, n_children // CHILDREN_PER_WORKER)
    n_teams = max(1, n_workers // WORKERS_PER_TEAM)
    n_iros = max(1, n_children // CHILDREN_PER_IRO)
    services = [service] + [
        Service.objects.get_or_create(name=f"Bench service {k}")[0]
        for k in range(2, min(MAX_SERVICES, 1 + n_children // SERVICE_CHILDREN) + 1)
    ]
    existing = Team.objects.filter(name__startswith="Bench team ").count()
    teams = [
        Team(name=f"Bench team {i + 1}", service=services[i % len(services)])
        for i in range(existing, n_teams)
    ]
    bulk_create_with_history(teams, Team, default_user=by)
    teams = list(Team.objects.filter(name__startswith="Bench team ").order_by("pk"))[:n_teams]
    specs = (
        [(f"bench_sw{i}", Role.SOCIAL_WORKER, teams[i % n_teams]) for i in range(n_workers)]
        + [(f"bench_tm{i}", Role.TEAM_MANAGER, teams[i]) for i in range(n_teams)]
        + [(f"bench_iro{i}", Role.IRO, None) for i in range(n_iros)]
        + [("bench_hos", Role.HEAD_OF_SERVICE, None), ("bench_cps", Role.CPS_DUTY, None)]
        + [(f"bench_hos{k}", Role.HEAD_OF_SERVICE, None) for k in range(2, len(services) + 1)]
    )
    service_of = {f"bench_hos{k}": services[k - 1] for k in range(2, len(services) + 1)}
    have = set(
        User.objects.filter(username__startswith="bench_").values_list("username", flat=True)
    )
    new = [
        User(
            username=name,
            first_name=name.split("_")[1],
            last_name="Bench",
            email=f"{name}@bench.invalid",
            team=team,
            service=None if team else service_of.get(name, service),
            password=make_password(None),  # unusable: nobody signs in as these
        )
        for name, _, team in specs
        if name not in have
    ]
    bulk_create_with_history(new, User, default_user=by)
    users = {u.username: u for u in User.objects.filter(username__startswith="bench_")}
    groups = {g.name: g for g in Group.objects.all()}
    through = User.groups.through
    links = [
        through(user_id=users[name].pk, group_id=groups[Role(role).label].pk)
        for name, role, _ in specs
        if name not in have
    ]
    through.objects.bulk_create(links, ignore_conflicts=True)
    workers = [users[f"bench_sw{i}"] for i in range(n_workers)]
    iros = [users[f"bench_iro{i}"] for i in range(n_iros)]
    return teams, {"workers": workers, "iros": iros, "by": by}


def build(n: int, *, by: User, today: dt.date | None = None, seed: int = 903) -> Built:
    """Make N synthetic children (identifiers BN000001…) with their histories."""
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    service, _ = Service.objects.get_or_create(name="Bench service")
    teams, people = _users(n, by, service)
    workers, iros = people["workers"], people["iros"]
    start_number = Child.objects.filter(child_id__startswith=PREFIX).count()
    types = {
        t.code: t.pk
        for t in MeetingType.objects.filter(
            code__in=["care-planning", "legal-gateway", "permanence-panel", "early-permanence"]
        )
    }
    built = Built()
    caseloads = _caseloads(workers, n, seed)
    for first in range(0, n, CHUNK):
        children, plans = [], []
        for i in range(first, min(n, first + CHUNK)):
            number = start_number + i + 1
            worker = caseloads[i]
            years = rng.randint(0, 16)
            born = dates.add_days(today, -(years * 365 + rng.randint(30, 364)))
            child = {
                "child_id": f"{PREFIX}{number:06d}",
                "first_name": "Bench",
                "last_name": f"Child {number}",
                "date_of_birth": born,
                "sex": rng.choice("MF"),
                "ethnicity": "WBRI",
                "team_id": worker.team_id,
                "social_worker_id": worker.pk if rng.random() > 0.03 else None,
                "iro_id": rng.choice(iros).pk if rng.random() > 0.05 else None,
            }
            plan = _history(rng, today, born)
            stage = plan["court"]
            child["court_stage"] = stage[0]
            child["proceedings_issued_on"] = stage[1]
            child["proceedings_concluded_on"] = stage[2]
            children.append(child)
            plans.append(plan)
        pks = write(Child, children, by=by)
        _write_records(built, children, pks, plans, types, by)
    return built


def _write_records(
    built: Built, children: list[dict], pks: list[int], plans: list[dict], types: dict, by: User
) -> None:
    """Write these children's periods of care, IRO allocations, reviews, meetings and
    disruptions."""
    episodes, allocations, reviews, meetings, disruptions = [], [], [], [], []
    for child, pk, plan in zip(children, pks, plans, strict=True):
        iro = child["iro_id"]
        for decom, dec, rne, ls, place, rec in plan["episodes"]:
            episodes.append(
                {
                    "child_id": pk,
                    "decom": decom,
                    "dec": dec,
                    "rne": rne,
                    "legal_status": ls,
                    "place": place,
                    "rec": rec,
                    "place_provider": "PR1",
                }
            )
        start = plan["start"]
        if iro and plan["allocated_on"]:
            allocations.append(
                {
                    "child_id": pk,
                    "iro_id": iro,
                    "allocated_on": plan["allocated_on"],
                    "allocated_by_id": by.pk,
                }
            )
        for sequence, (due, held) in enumerate(plan["reviews"], start=1):
            reviews.append(
                {
                    "child_id": pk,
                    "period_started_on": start,
                    "sequence": sequence,
                    "due_on": due,
                    "held_on": held,
                    "participation": "PN1" if held else "",
                    "iro_id": iro,
                    "created_by_id": by.pk,
                }
            )
        for code, held, decision, rag in plan["meetings"]:
            if code in types:
                meetings.append(
                    {
                        "meeting_type_id": types[code],
                        "child_id": pk,
                        "scheduled_for": held,
                        "held_on": held,
                        "gateway_decision": decision,
                        "rag_rating": rag,
                        "created_by_id": by.pk,
                    }
                )
        if plan["disrupted_on"]:
            on = plan["disrupted_on"]
            disruptions.append(
                {
                    "child_id": pk,
                    "disrupted_on": on,
                    "carer_name": "Bench carer",
                    "details": "Synthetic",
                    "carer_review_due_on": dates.add_weeks(on, 2),
                    "fee_paid_until": dates.add_weeks(on, 2),
                    "recorded_by_id": by.pk,
                }
            )
    write(Episode, episodes, by=by)
    write(IroAllocation, allocations, by=by)
    write(Review, reviews, by=by)
    write(Meeting, meetings, by=by)
    write(Disruption, disruptions, by=by)
    built.children += len(children)
    built.episodes += len(episodes)
    built.allocations += len(allocations)
    built.reviews += len(reviews)
    built.meetings += len(meetings)
    built.disruptions += len(disruptions)


def _caseloads(workers: list[User], n: int, seed: int) -> list[User]:
    """Each child's social worker: in turn for a small build; for a large one, drawn so that
    caseloads differ in size, as they do in a real service."""
    if n < SERVICE_CHILDREN:
        return [workers[i % len(workers)] for i in range(n)]
    rng = random.Random(seed + 7)  # noqa: S311 (synthetic data, not security)
    weights = [rng.choice(CASELOAD_WEIGHTS) for _ in workers]
    return rng.choices(workers, weights=weights, k=n)


def _history(rng: random.Random, today: dt.date, born: dt.date) -> dict:
    """One child's record: periods of care, court, IRO, reviews, meetings."""
    age_days = (today - born).days
    plan = {
        "episodes": [],
        "start": None,
        "allocated_on": None,
        "reviews": [],
        "meetings": [],
        "disrupted_on": None,
        "court": ("none", None, None),
    }
    start = dates.add_days(today, -rng.randint(1, min(age_days, 6 * 365)))
    plan["start"] = start
    left = rng.random() < 0.15
    end = dates.add_days(today, -rng.randint(0, max(0, (today - start).days - 1))) if left else None
    connected = rng.random() < 0.15
    places = ["U1", "U2", "U3"] if connected else ["U4", "U5", "U6", "K2", "A5"]
    steps = [start]
    span_end = end or today
    for _ in range(rng.randint(0, 3)):
        step = dates.add_days(start, rng.randint(1, max(1, (span_end - start).days)))
        if step < span_end and step not in steps:
            steps.append(step)
    steps.sort()
    statuses = ["V2", "C1", "C2", "E1"]
    for index, decom in enumerate(steps):
        if index + 1 < len(steps):
            dec, rec = steps[index + 1], "X1"  # a new episode begins the same day
        elif end is not None:
            dec, rec = end, rng.choice(["E4A", "E45", "E13", "E11"])
        else:
            dec, rec = None, ""
        plan["episodes"].append(
            (
                decom,
                dec,
                "S" if index == 0 else rng.choice(["P", "L", "T"]),
                statuses[min(index, 3)] if rng.random() > 0.2 else "V2",
                rng.choice(places),
                rec,
            )
        )
    if rng.random() < 0.95:
        plan["allocated_on"] = dates.add_working_days(start, rng.randint(0, 8))
    # Reviews: 20 working days, 3 months, then 6-monthly; mostly on time, some late, the
    # latest sometimes not yet held.
    due = dates.add_working_days(start, 20)
    horizon = end or today
    while due <= dates.add_months(horizon, 6):
        held = dates.add_days(due, rng.randint(-10, 12))
        if held > horizon or rng.random() < 0.04:
            plan["reviews"].append((due, None))
            break
        plan["reviews"].append((due, held))
        due = dates.add_months(held, 3 if len(plan["reviews"]) == 1 else 6)
    # Care planning meetings roughly every 6 weeks over the last year of care.
    meeting_from = max(start, dates.add_days(horizon, -365))
    day = dates.add_days(meeting_from, rng.randint(20, 50))
    while day <= horizon:
        plan["meetings"].append(("care-planning", day, "", ""))
        day = dates.add_days(day, rng.randint(35, 52))
    panel_on = dates.add_days(start, rng.randint(3, 20))
    if (today - start).days < 120 and panel_on <= today and rng.random() < 0.7:
        plan["meetings"].append(("early-permanence", panel_on, "", ""))
    court = rng.random()
    if court < 0.25:
        issued = dates.add_days(today, -rng.randint(1, 300))
        concluded = dates.add_days(issued, rng.randint(120, 240))
        if concluded <= today:
            plan["court"] = ("concluded", issued, concluded)
        else:
            plan["court"] = ("issued", issued, None)
        gateway = dates.add_days(issued, -rng.randint(7, 30))
        plan["meetings"].append(("legal-gateway", gateway, "care_proceedings", ""))
        panel = dates.add_days(gateway, rng.randint(24, 35))
        for _ in range(2):
            if panel <= today:
                rag = rng.choice(["red", "amber", "green"])
                plan["meetings"].append(("permanence-panel", panel, "", rag))
            panel = dates.add_days(panel, rng.randint(60, 80))
    elif court < 0.35:
        plan["court"] = ("pre_proceedings", None, None)
        hearing = dates.add_days(today, -rng.randint(1, 120))
        plan["meetings"].append(("legal-gateway", hearing, "pre_proceedings", ""))
    if rng.random() < 0.01:
        plan["disrupted_on"] = dates.add_days(today, -rng.randint(0, 30))
    return plan
