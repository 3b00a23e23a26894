"""Alerts: raise one per due-soon or overdue deadline, tell its owner, escalate, close (SPEC §5).

Runs inside the sweep's transaction for a batch of children, after their deadline rows have been
worked out. Everything it writes for the batch (alerts, their "told" marks, the notifications)
commits together, so a sweep killed halfway has either done a batch completely or not at all,
and the next run finishes the job without telling anyone twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from permanence.access import child_visibility_branches, union_of_children
from permanence.models import Child, NotificationKind, User
from permanence.notifications import (
    Note,
    notification_emails_queue,
    notification_parts,
    notification_text,
    notify_many,
)
from tracker import bulk
from tracker.backlog import go_live_date
from tracker.deadlines import registry
from tracker.deadlines.calculators import RuleConfig, permanence_achieved
from tracker.deadlines.engine import ALERTING, Directory, Row
from tracker.deadlines.facts import ChildFacts, ChildScope
from tracker.models import Alert, Deadline

_SENTINEL = 987654321987
Level = Alert.Level
Reason = Alert.CloseReason
NEW_ALERT_COLUMNS = [
    "child_id",
    "rule_id",
    "due",
    "anchor_on",
    "level",
    "owner_id",
    "raised_at",
    "notified_level",
    "notified_at",
    "escalated_at",
    "close_reason",
    "backlog",
]
ALERT_FIELDS = [
    "level",
    "owner",
    "anchor_on",
    "notified_level",
    "notified_at",
    "escalated_at",
    "closed_at",
    "close_reason",
]


OPEN_FIELDS = (
    "pk",
    "child_id",
    "rule_id",
    "due",
    "anchor_on",
    "level",
    "owner_id",
    "raised_at",
    "notified_level",
    "notified_at",
    "escalated_at",
    "closed_at",
    "close_reason",
    "backlog",
)


class _Alert:
    """An alert as the sweep handles it: plain attributes, read with values_list (a model
    instance per open alert costs more than the rest of a no-change rerun)."""

    __slots__ = OPEN_FIELDS

    def __init__(self, *values, **named) -> None:
        for name, value in zip(OPEN_FIELDS, values, strict=False):
            setattr(self, name, value)
        for name in OPEN_FIELDS[len(values) :]:
            setattr(self, name, named.get(name, _DEFAULTS.get(name)))

    def to_model(self) -> Alert:
        return Alert(**{name: getattr(self, name) for name in OPEN_FIELDS})


_DEFAULTS = {"notified_level": "", "close_reason": "", "backlog": False}


def _read(qs) -> list[_Alert]:
    return [_Alert(*values) for values in qs.order_by().values_list(*OPEN_FIELDS)]


@dataclass
class AlertCounts:
    raised: int = 0
    updated: int = 0
    closed: int = 0
    escalated: int = 0
    notifications: int = 0
    notification_ids: list[int] = field(default_factory=list)


def _close_reason(
    alert: _Alert,
    row: Row | None,
    *,
    rule: RuleConfig | None,
    child: ChildFacts | None,
    today: dt.date,
) -> str:
    if row is None:
        if (
            rule is not None
            and child is not None
            and permanence_achieved(child, today)
            and registry.ends_when_achieved(rule.code)
        ):
            # Its timescale led to permanence, which the plan has now achieved.
            return Reason.PERMANENCE_ACHIEVED
        return Reason.NO_LONGER_APPLIES
    if row.status == Deadline.Status.MET and row.due == alert.due:
        return Reason.MET
    if row.anchor_on and alert.anchor_on and row.anchor_on > alert.anchor_on:
        # A recurring deadline moves on from the event that met it (the next review, the next
        # care planning meeting), so a later start means the awaited event was recorded.
        return Reason.MET
    if row.status == Deadline.Status.UPCOMING and row.due == alert.due:
        return Reason.NOT_DUE_YET
    return Reason.NO_LONGER_APPLIES


def sync_alerts(
    *,
    scope: ChildScope,
    rows: dict[tuple[int, int], Row],
    facts: dict[int, ChildFacts],
    rules: dict[int, RuleConfig],
    directory: Directory,
    now: dt.datetime,
) -> AlertCounts:
    """Make the batch's alerts match its deadlines, and tell the people who need telling."""
    counts = AlertCounts()
    wanted = {
        (child, rule, row.due): row
        for (child, rule), row in rows.items()
        if row.status in ALERTING and rule in rules
    }
    changed: dict[int, _Alert] = {}
    handled = set()
    open_alerts = _read(Alert.objects.filter(scope.q("child__"), closed_at__isnull=True))
    for alert in open_alerts:
        key = (alert.child_id, alert.rule_id, alert.due)
        row = wanted.get(key)
        if row is None:
            alert.closed_at = now
            alert.close_reason = _close_reason(
                alert,
                rows.get(key[:2]),
                rule=rules.get(alert.rule_id),
                child=facts.get(alert.child_id),
                today=timezone.localdate(now),
            )
            changed[alert.pk] = alert
            counts.closed += 1
            continue
        handled.add(key)
        if _update(alert, row):
            changed[alert.pk] = alert
            counts.updated += 1
    missing = {key: row for key, row in wanted.items() if key not in handled}
    if missing:
        # The same deadline may have an alert that closed (its event recorded, then removed
        # again): that one opens again rather than raising a second.
        closed = _read(
            Alert.objects.filter(
                child_id__any_of={child for child, _, _ in missing}, closed_at__isnull=False
            )
        )
        for alert in closed:
            key = (alert.child_id, alert.rule_id, alert.due)
            if key in missing:
                row = missing.pop(key)
                alert.closed_at, alert.close_reason = None, ""
                _update(alert, row)
                changed[alert.pk] = alert
                open_alerts.append(alert)
                counts.updated += 1
    new = [
        (child, rule, due, row.anchor_on, row.status, row.owner_id, now)
        for (child, rule, due), row in missing.items()
    ]
    counts.raised = len(new)
    # A deadline due before the service went live is its backlog: raised (so it is never raised
    # again) but told to nobody; managers review it on the backlog page (tracker.backlog).
    went_live = go_live_date() if new else None
    # New alerts are told about in the same pass, so they are written already marked.
    fresh = [
        _Alert(
            child_id=c,
            rule_id=r,
            due=d,
            anchor_on=a,
            level=lv,
            owner_id=o,
            raised_at=t,
            backlog=went_live is not None and d < went_live,
        )
        for c, r, d, a, lv, o, t in new
    ]
    live = [a for a in open_alerts if a.closed_at is None] + fresh
    notes = _notifications(live, facts, rules, directory, now, changed, counts)
    bulk.insert(
        Alert,
        NEW_ALERT_COLUMNS,
        [tuple(getattr(a, column) for column in NEW_ALERT_COLUMNS) for a in fresh],
    )
    write_alerts(list(changed.values()), ALERT_FIELDS)
    # Each row owes its e-mail from the start (the outbox): a sweep killed before its e-mails
    # went leaves them owed, and the outbox job sends them.
    pks = notify_many(notes, now=now, insert=bulk.insert, queue=queue_emails)
    counts.notifications = len(notes)
    counts.notification_ids = [pk for pk, note in zip(pks, notes, strict=True) if note.email]
    return counts


def write_alerts(alerts: list[_Alert], fields: list[str]) -> None:
    """Write FIELDS of these alerts: on PostgreSQL in one UPDATE from an array per column
    (bulk_update's CASE per row and column: 0.4 s in the database alone for the daily sweep's
    first batch at 20,000 children, against 0.07 s)."""
    if not alerts:
        return
    if connection.vendor != "postgresql":
        Alert.objects.bulk_update([a.to_model() for a in alerts], fields, batch_size=1000)
        return
    model_fields = [Alert._meta.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    columns = [qn(f.column) for f in model_fields]
    arrays = ", ".join(f"%s::{f.cast_db_type(connection)}[]" for f in model_fields)
    sets = ", ".join(f"{column} = told.{column}" for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(Alert._meta.db_table)} AS alert SET {sets} "  # noqa: S608
            f"FROM unnest(%s::bigint[], {arrays}) AS told (id, {', '.join(columns)}) "
            "WHERE alert.id = told.id",
            [
                [a.pk for a in alerts],
                *([getattr(a, f.attname) for a in alerts] for f in model_fields),
            ],
        )


def _update(alert: _Alert, row: Row) -> bool:
    before = (alert.level, alert.owner_id, alert.anchor_on)
    alert.level, alert.owner_id, alert.anchor_on = row.status, row.owner_id, row.anchor_on
    return before != (alert.level, alert.owner_id, alert.anchor_on)


def _drop_the_desk_outside_its_scope(plan: list, directory: Directory, child_ids: set) -> None:
    """CPS duty is told only about children it may open (permanence.access): a rule that copies
    the desk in (the Achieving Early Permanence Panel, say) names a child outside its scope
    only to those who may see it. One query per member of the desk, not per alert."""
    desk = {pk for people in directory.cps_duty.values() for pk in people}
    told = {p for _, _, people in plan for p in people} & desk
    if not told:
        return
    sees = {}
    batch = Q(pk__any_of=list(child_ids))
    for user in User.objects.filter(pk__in=told).select_related("team"):
        # Each of the desk's relationships asked of this batch's children on its own, so the
        # batch drives every look-up: one subquery of the whole authority's panel meetings
        # beside a few hundred children made PostgreSQL rescan it for each child once it no
        # longer fitted in memory (100,000 children: over 90 s a batch).
        branches = child_visibility_branches(user)
        parts = union_of_children([branch & batch for branch in branches]) if branches else []
        sees[user.pk] = {row["pk"] for row in parts}
    for index, (alert, kind, people) in enumerate(plan):
        kept = [p for p in people if p not in sees or alert.child_id in sees[p]]
        if len(kept) != len(people):
            plan[index] = (alert, kind, kept)


def queue_emails(notification_ids: list[int]) -> None:
    """Hand the batch's e-mails to the workers as one outbox run; if the broker is down the
    outbox job sends them later (`manage.py bench_sweep` patches this to send none)."""
    notification_emails_queue(notification_ids)


Plan = list[tuple[_Alert, str, list[int]]]  # (alert, "owner" or "escalation", people to tell)
TEMPLATES = {
    ("owner", Level.DUE_SOON): "tracker/notifications/due_soon.txt",
    ("owner", Level.OVERDUE): "tracker/notifications/overdue.txt",
    ("escalation", Level.OVERDUE): "tracker/notifications/escalated.txt",
}


def _owes_notice(alert: _Alert) -> bool:
    """Its owner has not been told at this level, or an overdue alert is not yet escalated."""
    return alert.notified_level != alert.level or _owes_escalation(alert)


def _owes_escalation(alert: _Alert) -> bool:
    return alert.level == Level.OVERDUE and alert.escalated_at is None


def _owners(alert: _Alert, rule: RuleConfig, child: ChildFacts, directory: Directory) -> list:
    """The alert's owner, or whoever holds the rule's role for the child; and the copied role."""
    people = [alert.owner_id] if alert.owner_id else directory.holders(rule.owner_role, child)
    if rule.copy_role:
        people = people + directory.holders(rule.copy_role, child)
    return people


def _plan(alerts, facts, rules, directory, now, changed, counts) -> Plan:
    """Who is told about each alert owing a notice; marks each alert as told."""
    plan: Plan = []
    for alert in alerts:
        rule, child = rules[alert.rule_id], facts.get(alert.child_id)
        if child is None:
            continue
        if alert.notified_level != alert.level:
            plan.append((alert, "owner", _owners(alert, rule, child, directory)))
            alert.notified_level, alert.notified_at = alert.level, now
        if _owes_escalation(alert):
            managers = directory.escalation(rule.owner_role, child)
            plan.append((alert, "escalation", [p for p in managers if p != alert.owner_id]))
            alert.escalated_at = now
            counts.escalated += 1
        if alert.pk:
            changed[alert.pk] = alert
    return plan


def _people(plan: Plan, alerts: list[_Alert]) -> dict[int, tuple[bool, str, str]]:
    """Everyone told or named (the owners), as pk -> (active, e-mail address, name)."""
    pks = {p for _, _, people in plan for p in people if p} | {
        a.owner_id for a in alerts if a.owner_id
    }
    return {
        pk: (active, email, f"{first} {last}".strip() or username)
        for pk, active, email, first, last, username in User.objects.filter(pk__in=pks).values_list(
            "pk", "is_active", "email", "first_name", "last_name", "username"
        )
    }


def _notifications(
    alerts: list[_Alert],
    facts: dict[int, ChildFacts],
    rules: dict[int, RuleConfig],
    directory: Directory,
    now: dt.datetime,
    changed: dict[int, _Alert],
    counts: AlertCounts,
) -> list[Note]:
    """The notifications owed on these alerts, worded by the templates in
    templates/tracker/notifications/; marks each alert as told."""
    owed = [a for a in alerts if not a.backlog and _owes_notice(a)]
    if not owed:
        return []
    child_ids = {a.child_id for a in owed}
    plan = _plan(owed, facts, rules, directory, now, changed, counts)
    _drop_the_desk_outside_its_scope(plan, directory, child_ids)
    people = _people(plan, owed)
    # E-mails leave the service: they name a child by identifier only (issue 17).
    children = dict(Child.objects.filter(pk__any_of=child_ids).values_list("pk", "child_id"))
    # reverse() costs more than the rest of a notification; work the pattern out once.
    pattern = reverse("permanence:child-detail", args=[_SENTINEL])
    notes = []
    worded = _Wording(rules)
    for alert, kind, told in plan:
        subject, body = worded(
            TEMPLATES[(kind, alert.level)],
            alert.rule_id,
            children.get(alert.child_id, "?"),
            alert.due,
            people.get(alert.owner_id, (None, None, ""))[2],
        )
        link = pattern.replace(str(_SENTINEL), str(alert.child_id))
        notes.extend(_to_each(told, people, subject, body, link, alert.child_id))
    return notes


class _Wording:
    """A notification's words, rendered once per template, rule and due date and the child's
    identifier and the owner's name then put in: the alerts a day raises share a handful of due
    dates, and rendering the template for each of them was a large part of the daily sweep's
    own time (8,000 notifications at 100,000 children).

    The template is rendered twice, with two different markers for each value put in; the words
    are kept only if the two come out the same but for the markers, so a template that changes
    a value (escapes it, filters it, tests it) is rendered in full for every notification. An
    empty value, or one on more than one line or holding a marker, is rendered in full too."""

    MARKERS = {"code": ("C&7'q<x", 'Zw<3"kk&m'), "owner": ("O&5'v<y", 'Pj<9"mm&n')}

    def __init__(self, rules: dict[int, RuleConfig]) -> None:
        self.rules = rules
        self.made: dict[tuple, str | None] = {}

    def __call__(self, template: str, rule: int, code: str, due, owner: str) -> tuple[str, str]:
        values = {"code": code, "owner": owner}
        put = tuple(name for name, value in values.items() if self._plain(value))
        kept = tuple((name, value) for name, value in values.items() if name not in put)
        key = (template, rule, due, put, kept)
        if key not in self.made:
            self.made[key] = self._make(template, rule, due, put, dict(kept))
        text = self.made[key]
        if text is None:
            return notification_text(template, {"rule": self.rules[rule], "due": due, **values})
        for name in put:
            text = text.replace(self.MARKERS[name][0], values[name])
        return notification_parts(text)

    def _plain(self, value) -> bool:
        return (
            isinstance(value, str)
            and bool(value)
            and "\n" not in value
            and "\r" not in value
            and not any(marker in value for pair in self.MARKERS.values() for marker in pair)
        )

    def _make(self, template: str, rule: int, due, put: tuple, kept: dict) -> str | None:
        context = {"rule": self.rules[rule], "due": due, **kept}
        texts = []
        for which in (0, 1):
            text = render_to_string(
                template, {**context, **{name: self.MARKERS[name][which] for name in put}}
            )
            texts.append(text)
        compared = []
        for which, text in enumerate(texts):
            for name in put:
                text = text.replace(self.MARKERS[name][which], f"\x00{name}\x00")
            compared.append(text)
        return texts[0] if compared[0] == compared[1] else None


def _to_each(
    told: list, people: dict, subject: str, body: str, link: str, child_id: int
) -> list[Note]:
    """The note to each active person told, once: a deadline alert about the child."""
    notes, seen = [], set()
    for person in told:
        active, email, _ = people.get(person, (False, "", ""))
        if person and person not in seen and active:
            seen.add(person)
            notes.append(
                Note(person, subject, body, link, bool(email), child_id, NotificationKind.DEADLINE)
            )
    return notes
