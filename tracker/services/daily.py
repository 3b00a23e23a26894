"""The daily sweep, set-based: move statuses as the date passes and raise the alerts that brings.

A child's due dates change only when something is recorded on their record, and that change
already refreshes the child once it commits (tracker.signals). What the passing of a day changes
is which of the stored deadlines are due soon or overdue. So the daily job, instead of working
every child out again, does in the database:

1. children with an event dated between the last sweep and today (a forum that has sat, a
   matching panel booked for yesterday, a care episode ending today: "an event dated after today
   has not happened yet", tracker.deadlines.calculators) are worked out again in full, in
   committed batches, as a refresh does: the passing date changes more than their statuses;
   so are the children with anything recorded since the last sweep (from the history), in case
   a refresh on commit was lost;
2. one UPDATE per kind of status change (to overdue, to due soon, back to upcoming), with the
   cut-off dates worked out in Python once per warning window from the one date function
   (`permanence.dates.add_days`, as `tracker.deadlines.engine.status_of` uses);
3. alerts: open ones move up a level in one UPDATE, new ones are inserted with
   ON CONFLICT DO NOTHING on (child, rule, due), and a closed one for the same deadline opens
   again, as the full sweep does;
4. the alerts owing a notice (just raised, just overdue, not yet escalated) are told through the
   outbox exactly as the full sweep tells them (`tracker.services.alerts`): the same people,
   the same words, the backlog at go-live told to nobody;
5. the tracker's rows of the children whose deadlines moved are worked out again.

Steps 2 to 5 commit together, under the sweep lock. The full recomputation
(`tracker.services.deadlines.deadlines_sweep`) stays as the weekly repair job and
`manage.py sweep_deadlines --full`; tests/tracker/test_daily_sweep.py holds the two to the same
statuses, alerts, notifications and tracker rows over simulated days.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, F, Q
from django.utils import timezone

from forums.models import Booking, ForumSession
from permanence import dates
from permanence.models import Child, Plan, User
from permanence.notifications import notify_many
from tracker import bulk
from tracker.backlog import go_live_date
from tracker.dashboard.services import tracker_rows_refresh
from tracker.deadlines import registry, sources
from tracker.deadlines.calculators import RuleConfig
from tracker.deadlines.engine import ALERTING, Directory
from tracker.deadlines.facts import ChildScope, child_facts
from tracker.models import Alert, Deadline, DeadlineRule, SweepRun
from tracker.services import alerts as alert_service
from tracker.services.deadlines import (
    BATCH_SIZE,
    SweepSummary,
    _lock,
    _refresh_batch,
    _require_system,
    active_rules,
    batched,
    deadlines_sweep,
    sweep_run_record,
)

logger = logging.getLogger(__name__)

Status = Deadline.Status
Level = Alert.Level
# Models read by the deadlines whose rows reach the child other than by a `child` field.
CHILD_PATHS = {Child: "pk", ForumSession: "bookings__child_id"}
# Plans achieved end the monthly permanency planning meetings (tracker.deadlines.facts).
DATED_MODELS = tuple(dict.fromkeys((*sources.TRIGGERS, Plan)))


def _child_path(model, depth: int = 0) -> str:
    """The lookup from a row of MODEL to its child: its own `child`, or through what it belongs
    to (a Part 1's booking, an assessment's meeting, a family finder's plan)."""
    if model in CHILD_PATHS:
        return CHILD_PATHS[model]
    keys = [
        f
        for f in model._meta.concrete_fields
        if (f.many_to_one or f.one_to_one) and f.related_model
    ]
    for key in keys:
        if key.related_model is Child:
            return key.attname
    if depth < 2:
        for key in keys:
            try:
                return f"{key.name}__{_child_path(key.related_model, depth + 1)}"
            except LookupError:
                continue
    raise LookupError(f"{model.__name__}: no way to its child")


def _dated_fields(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, DateField)
        and not (getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))
    ]


def children_dated_between(since: dt.date, today: dt.date) -> list[int]:
    """Children with anything on their record dated from SINCE to TODAY: whatever the
    calculators compare with today (held on or before it, due on or after it) can have turned
    since the last sweep. One query per kind of record; a time of day is read generously (a day
    either side), since working one child too many out again costs little."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(since - dt.timedelta(days=1), dt.time(), tzinfo=tz)
    end = dt.datetime.combine(today + dt.timedelta(days=2), dt.time(), tzinfo=tz)
    found: set[int] = set()
    for model in DATED_MODELS:
        q = Q()
        for field in _dated_fields(model):
            if isinstance(field, DateTimeField):
                q |= Q(**{f"{field.name}__gte": start, f"{field.name}__lt": end})
            else:
                q |= Q(**{f"{field.name}__range": (since, today)})
        if not q:
            continue
        path = _child_path(model)
        found.update(
            pk
            for pk in model.objects.filter(q).order_by().values_list(path, flat=True).distinct()
            if pk
        )
    return sorted(found)


def children_recorded_since(moment: dt.datetime) -> set[int]:
    """Children with anything the deadlines read recorded (added, changed, removed) since
    MOMENT, from the history every case record keeps: their refresh on commit should have worked
    them out already, but one lost (a worker down, the broker away) is put right here."""
    found: set[int] = set()
    for model in DATED_MODELS:
        history = getattr(model, "history", None)
        if history is None:
            continue
        rows = history.model.objects.filter(history_date__gte=moment).order_by()
        if model is Child:
            found.update(rows.values_list("id", flat=True).distinct())
        elif model is ForumSession:
            sessions = list(rows.values_list("id", flat=True).distinct())
            found.update(
                Booking.objects.filter(session_id__in=sessions)
                .values_list("child_id", flat=True)
                .distinct()
            )
        else:
            path = _child_path(model)
            found.update(pk for pk in rows.values_list(path, flat=True).distinct() if pk)
    return found


def last_sweep_started() -> dt.datetime | None:
    """When the last daily or full sweep that finished began: every child's stored deadlines
    were worked out then or since."""
    run = (
        SweepRun.objects.filter(kind__in=[SweepRun.Kind.DAILY, SweepRun.Kind.FULL])
        .order_by("-started_at")
        .first()
    )
    return run.started_at if run is not None else None


def warned_until(today: dt.date, warning_days: int) -> dt.date:
    """The last due date already due soon TODAY with this warning: the latest D with
    add_days(D, -warning_days) <= today (`status_of`), found with the one date function."""
    day = today + dt.timedelta(days=warning_days)
    while dates.add_days(day, -warning_days) > today:
        day -= dt.timedelta(days=1)
    while dates.add_days(day + dt.timedelta(days=1), -warning_days) <= today:
        day += dt.timedelta(days=1)
    return day


def status_conditions(
    rules: list[tuple[RuleConfig, registry.RuleSpec]], today: dt.date, now: dt.datetime
) -> dict[str, list[Q]]:
    """For each status the date can move a deadline to, which stored rows should have it today:
    the same rule as `status_of`, as conditions on the rows, a row matching any one of them.

    They come apart by whether the deadline has a time of day and by warning window, so that
    with the pending deadlines' index (status, due_at, rule, due) each is a range read of the
    rows to move, not a scan of every deadline."""
    by_window: dict[int, list[int]] = defaultdict(list)
    for config, _ in rules:
        by_window[config.warning_days].append(config.pk)
    by_day = Q(due_at__isnull=True, due__gte=today)
    by_time = Q(due_at__isnull=False, due_at__gte=now)
    soon, later = [], []
    for window, pks in sorted(by_window.items()):
        cut = warned_until(today, window)
        soon.append(Q(rule_id__in=pks, due__lte=cut))
        later.append(Q(rule_id__in=pks, due__gt=cut))
    return {
        Status.OVERDUE: [
            Q(due_at__isnull=True, due__lt=today),
            Q(due_at__isnull=False, due_at__lt=now),
        ],
        Status.DUE_SOON: [by_day & q for q in soon] + [by_time & _any(soon)],
        Status.UPCOMING: [by_day & q for q in later] + [by_time & _any(later)],
    }


def _any(conditions: list[Q]) -> Q:
    found = Q(pk__in=[])
    for condition in conditions:
        found |= condition
    return found


def deadlines_sweep_daily(
    *, by: User, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE
) -> SweepSummary:
    """The daily sweep (06:00): what the passing of the date changes, set-based (see the module
    docstring). With no sweep before it to build on, it is the full recomputation."""
    _require_system(by)
    now = now or timezone.now()
    today = timezone.localdate(now)
    last = last_sweep_started()
    if last is None or last > now:
        return deadlines_sweep(by=by, now=now, batch_size=batch_size, kind=SweepRun.Kind.DAILY)
    since = timezone.localdate(last)
    rules, directory = active_rules(), Directory.load()
    summary = SweepSummary()
    again = set(children_dated_between(since, today)) | children_recorded_since(last)
    for batch in batched(sorted(again), batch_size):
        summary += _refresh_batch(ChildScope(pks=batch), rules, directory, now)
    summary += _date_moves(rules, directory, now, since)
    summary.children = Child.objects.count()
    logger.info("Daily deadline sweep: %s", summary)
    sweep_run_record(kind=SweepRun.Kind.DAILY, started_at=now, summary=summary)
    return summary


@transaction.atomic
def _date_moves(rules, directory: Directory, now: dt.datetime, since: dt.date) -> SweepSummary:
    _lock()
    today = timezone.localdate(now)
    summary = SweepSummary()
    active = [config.pk for config, _ in rules]
    moved: set[int] = set()
    pending = Q(rule_id__in=active, due__isnull=False, met_on__isnull=True)
    for status, conditions in status_conditions(rules, today, now).items():
        # Every other status by name rather than "not this one", so that the pending
        # deadlines' index is read for each (a stored status is always one of these).
        others = [other for other in Status.values if other != status]
        found = [
            row
            for condition in conditions
            for row in Deadline.objects.filter(pending & condition, status__in=others)
            .order_by()
            .values_list("pk", "child_id", "current")
        ]
        moved.update(child for _, child, current in found if current)
        for pks in batched([pk for pk, _, _ in found], BATCH_SIZE):
            summary.deadlines_written += Deadline.objects.filter(pk__any_of=pks).update(
                status=status, updated_at=now
            )
    counts = _alerts_move(active, now)
    summary.alerts_raised, summary.alerts_updated = counts.raised, counts.updated
    configs = {config.pk: config for config, _ in rules}
    _tell(configs, directory, now, counts)
    summary.alerts_escalated, summary.notifications = counts.escalated, counts.notifications
    # The RAG reads the second review's date against today (tracker.dashboard.rag): rows whose
    # current deadline fell due since the last sweep are looked at again too.
    # Every rule named, so that the (rule, due) index reads each rule's few days.
    moved.update(
        Deadline.objects.filter(
            rule_id__in=list(DeadlineRule.objects.values_list("pk", flat=True)),
            current=True,
            due__range=(since - dt.timedelta(days=1), today),
        )
        .order_by()
        .values_list("child_id", flat=True)
        .distinct()
    )
    for batch in batched(sorted(moved), BATCH_SIZE):
        tracker_rows_refresh(scope=ChildScope(pks=batch), now=now)
    return summary


def _alerts_move(active: list[int], now: dt.datetime) -> alert_service.AlertCounts:
    """Alerts in line with today's statuses: open ones at the deadline's level, a closed one
    for the same deadline opened again, the rest raised.

    One read finds all three: the alerting deadlines beside their alert, if any, keeping those
    whose alert is missing, closed or at another level (one pass over the alerting deadlines
    and the alerts, where a statement for each took three)."""
    counts = alert_service.AlertCounts()
    if not active:
        return counts
    alerting = Deadline.objects.filter(
        current=True, status__in=ALERTING, rule_id__in=active, due__isnull=False
    ).values_list("child_id", "rule_id", "due", "anchor_on", "status", "owner_id")
    sql, params = alerting.order_by().query.sql_with_params()
    qn = connection.ops.quote_name
    alert_table = qn(Alert._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.*, a.id, a.closed_at IS NOT NULL, a.level FROM ({sql}) d "  # noqa: S608
            f"LEFT JOIN {alert_table} a ON a.child_id = d.child_id AND a.rule_id = d.rule_id "
            "AND a.due = d.due "
            "WHERE a.id IS NULL OR a.closed_at IS NOT NULL OR a.level <> d.status",
            params,
        )
        found = cursor.fetchall()
    to_level: dict[str, list[int]] = defaultdict(list)
    closed: dict[int, tuple] = {}
    new = []
    as_date = Deadline._meta.get_field("due").to_python  # SQLite hands dates back as text
    for child, rule, due, anchor, status, owner, pk, is_closed, level in found:
        due, anchor = as_date(due), as_date(anchor)
        if pk is None:
            new.append((child, rule, due, anchor, status, owner))
        elif is_closed:
            closed[pk] = (status, owner, anchor)
        elif level != status:
            to_level[status].append(pk)
    for level in (Level.OVERDUE, Level.DUE_SOON):
        for pks in batched(sorted(to_level[level]), BATCH_SIZE):
            counts.updated += Alert.objects.filter(pk__any_of=pks).update(level=level)
    # The same deadline's alert closed (its event recorded, then removed again): it opens again
    # rather than a second being raised. Rare.
    reopened = list(Alert.objects.filter(pk__in=list(closed)))
    for alert in reopened:
        alert.closed_at, alert.close_reason = None, ""
        alert.level, alert.owner_id, alert.anchor_on = closed[alert.pk]
    Alert.objects.bulk_update(
        reopened, ["closed_at", "close_reason", "level", "owner", "anchor_on"], batch_size=1000
    )
    counts.updated += len(reopened)
    # In the deadlines' own order (due, child, rule), as they were read one by one before.
    new.sort(key=lambda row: (row[2], row[0], row[1]))
    # A deadline due before the service went live is its backlog: raised, told to nobody.
    went_live = go_live_date() if new else None
    created = Alert.objects.bulk_create(
        [
            Alert(
                child_id=child,
                rule_id=rule,
                due=due,
                anchor_on=anchor,
                level=level,
                owner_id=owner,
                raised_at=now,
                backlog=went_live is not None and due < went_live,
            )
            for child, rule, due, anchor, level, owner in new
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    counts.raised = len(created)
    return counts


def _owing() -> Q:
    """Open alerts whose owner has not been told at this level, or overdue and not escalated
    (`tracker.services.alerts._owes_notice`)."""
    return Q(closed_at__isnull=True, backlog=False) & (
        ~Q(notified_level=F("level")) | Q(level=Level.OVERDUE, escalated_at__isnull=True)
    )


def _tell(
    rules: dict[int, RuleConfig],
    directory: Directory,
    now: dt.datetime,
    counts: alert_service.AlertCounts,
) -> None:
    """Tell whoever is owed a notice, the way the full sweep does, through the outbox."""
    owed = alert_service._read(Alert.objects.filter(_owing(), rule_id__in=list(rules)))
    if not owed:
        return
    facts = child_facts(Child.objects.filter(pk__any_of={a.child_id for a in owed}))
    changed: dict[int, alert_service._Alert] = {}
    notes = alert_service._notifications(owed, facts, rules, directory, now, changed, counts)
    alert_service.write_alerts(
        list(changed.values()), ["notified_level", "notified_at", "escalated_at"]
    )
    notify_many(notes, now=now, insert=bulk.insert, queue=alert_service.queue_emails)
    counts.notifications = len(notes)
