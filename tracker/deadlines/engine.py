"""From facts to deadline rows: run every rule over many children, give each a status and owner.

Pure Python over facts already read in bulk; `tracker.services` reads and writes the database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from permanence import dates
from permanence.models import User
from permanence.roles import Role
from tracker.deadlines.calculators import (
    NOT_YET,
    Occurrence,
    RuleConfig,
    due_for,
    permanence_achieved,
)
from tracker.deadlines.facts import ChildFacts
from tracker.deadlines.registry import RuleSpec
from tracker.models import Deadline

Status = Deadline.Status
Outcome = Deadline.Outcome
ALERTING = frozenset({Status.DUE_SOON, Status.OVERDUE})


class Row(NamedTuple):
    """A deadline row's values, in the order they are read, compared and written (a tuple, so
    that a row read from the database compares equal without being rebuilt)."""

    anchor_on: dt.date | None
    due: dt.date | None
    due_at: dt.datetime | None
    met_on: dt.date | None
    status: str
    owner_id: int | None
    current: bool = True
    outcome: str = Outcome.OPEN
    days_late: int | None = None


def timeliness(occurrence: Occurrence, *, current: bool) -> tuple[str, int | None]:
    """How an instance turned out, and by how many days it was late: met on time (on or before
    the day it was due), met late, missed (past, superseded without being met) or still open.
    Worked out once, when the row is written; pages read it."""
    if occurrence.met_on is not None and occurrence.due is not None:
        late = (occurrence.met_on - occurrence.due).days
        return (Outcome.LATE, late) if late > 0 else (Outcome.ON_TIME, None)
    return (Outcome.OPEN if current else Outcome.MISSED), None


def status_of(occurrence: Occurrence, rule: RuleConfig, today: dt.date, now: dt.datetime) -> str:
    """Met, overdue, due soon, upcoming or not yet applicable, on TODAY (SPEC §5)."""
    if occurrence.due is None:
        return Status.NOT_YET_APPLICABLE
    if occurrence.met_on is not None:
        return Status.MET
    # A deadline with a time of day is overdue the moment it passes; otherwise the day after.
    overdue = now > occurrence.due_at if occurrence.due_at is not None else today > occurrence.due
    if overdue:
        return Status.OVERDUE
    if today >= dates.add_days(occurrence.due, -rule.warning_days):
        return Status.DUE_SOON
    return Status.UPCOMING


@dataclass
class Directory:
    """Who holds the roles that own, are copied into, or are escalated deadlines."""

    team_managers: dict[int, list[int]] = field(default_factory=dict)
    heads_of_service: dict[int | None, list[int]] = field(default_factory=dict)
    cps_duty: dict[int | None, list[int]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Directory:
        wanted = {
            Role.TEAM_MANAGER.label: Role.TEAM_MANAGER,
            Role.HEAD_OF_SERVICE.label: Role.HEAD_OF_SERVICE,
            Role.CPS_DUTY.label: Role.CPS_DUTY,
        }
        rows = (
            User.objects.filter(is_active=True, groups__name__in=list(wanted))
            .order_by("pk")
            .values_list("pk", "groups__name", "team_id", "team__service_id", "service_id")
        )
        directory = cls()
        tms, hos, cps = defaultdict(list), defaultdict(list), defaultdict(list)
        for pk, group, team_id, team_service, service in rows:
            role = wanted[group]
            oversees = service or team_service
            if role == Role.TEAM_MANAGER and team_id:
                tms[team_id].append(pk)
            elif role == Role.HEAD_OF_SERVICE:
                hos[oversees].append(pk)
            elif role == Role.CPS_DUTY:
                cps[oversees].append(pk)
        directory.team_managers, directory.heads_of_service, directory.cps_duty = (
            dict(tms),
            dict(hos),
            dict(cps),
        )
        return directory

    def _for_service(self, table: dict, service_id: int) -> list[int]:
        # Central staff recorded with no service serve every service.
        return table.get(service_id, []) + table.get(None, [])

    def holders(self, role: str, facts: ChildFacts) -> list[int]:
        """Everyone holding ROLE for this child (the desk, for CPS duty)."""
        if role == Role.SOCIAL_WORKER:
            return [facts.social_worker_id] if facts.social_worker_id else []
        if role == Role.IRO:
            return [facts.iro_id] if facts.iro_id else []
        if role == Role.TEAM_MANAGER:
            return list(self.team_managers.get(facts.team_id, []))
        if role == Role.HEAD_OF_SERVICE:
            return self._for_service(self.heads_of_service, facts.service_id)
        if role == Role.CPS_DUTY:
            return self._for_service(self.cps_duty, facts.service_id)
        return []

    def owner(self, role: str, facts: ChildFacts) -> int | None:
        """The one person who owns the deadline; None for the CPS duty desk as a whole.

        An unallocated worker or IRO falls to the team manager, who has to allocate one."""
        if role == Role.CPS_DUTY:
            return None
        people = self.holders(role, facts)
        if not people and role in {Role.SOCIAL_WORKER, Role.IRO}:
            people = self.holders(Role.TEAM_MANAGER, facts)
        if not people and role == Role.TEAM_MANAGER:
            people = self.holders(Role.HEAD_OF_SERVICE, facts)
        return people[0] if people else None

    def escalation(self, owner_role: str, facts: ChildFacts) -> list[int]:
        """Overdue goes to the team manager; the team manager's own overdue to the head of
        service (SPEC §5)."""
        if owner_role != Role.TEAM_MANAGER:
            people = self.holders(Role.TEAM_MANAGER, facts)
            if people:
                return people
        return self.holders(Role.HEAD_OF_SERVICE, facts)


def _tracked_from(occurrence: Occurrence, rule: RuleConfig, spec: RuleSpec) -> Occurrence | None:
    """A deadline counted from an event older than the rule's "tracked from" date: a repeating
    one counts from that date instead (nothing recorded since, so the next is due from then); a
    one-off one is not tracked."""
    if not spec.repeats or occurrence.met_on is not None:
        return None
    return due_for(rule.applies_from, rule)


def _ended_by_permanence(
    occurrence: Occurrence, past: Iterable[Occurrence], facts: ChildFacts
) -> list[Occurrence]:
    """The instances to keep of a timescale that leads to permanence, once the plan in force is
    achieved (SPEC §3; seed 004 treats the forums, Legal Gateway, panels and care planning
    meetings as the road to permanence). The open one ends: if it was already overdue on the
    day permanence was achieved it is kept as missed, so the record still shows it was late;
    one not yet due then no longer applies, and its alert closes."""
    achieved_on = facts.permanence_achieved_on
    kept = list(past)
    if occurrence.due is not None and achieved_on is not None and occurrence.due < achieved_on:
        kept.append(occurrence)
    return kept


def compute_rows(
    children: Iterable[ChildFacts],
    rules: list[tuple[RuleConfig, RuleSpec]],
    directory: Directory,
    now: dt.datetime,
    today: dt.date,
) -> dict[tuple[int, int], Row]:
    """Every child's current deadline under every rule that applies, keyed by (child pk, rule
    pk)."""
    return compute_deadlines(children, rules, directory, now, today)[0]


def compute_deadlines(
    children: Iterable[ChildFacts],
    rules: list[tuple[RuleConfig, RuleSpec]],
    directory: Directory,
    now: dt.datetime,
    today: dt.date,
) -> tuple[dict[tuple[int, int], Row], dict[tuple[int, int, int], Row]]:
    """Every child's deadlines under every rule that applies: the current one keyed by (child
    pk, rule pk), and every instance to store, past and current, keyed by (child pk, rule pk,
    instance number), numbered from 1 in date order."""
    current: dict[tuple[int, int], Row] = {}
    stored: dict[tuple[int, int, int], Row] = {}
    for facts in children:
        achieved = permanence_achieved(facts, today)
        for rule, spec in rules:
            occurrence = spec.calculate(facts, rule, today)
            past = spec.history(facts, rule, today) if spec.history is not None else ()
            if rule.applies_from is not None:
                # Past instances counted from before the rule was tracked are not kept.
                past = [o for o in past if o.anchor_on is None or o.anchor_on >= rule.applies_from]
                if (
                    occurrence is not None
                    and occurrence.anchor_on is not None
                    and occurrence.anchor_on < rule.applies_from
                ):
                    occurrence = _tracked_from(occurrence, rule, spec)
            if (
                occurrence is not None
                and occurrence.met_on is None
                and spec.ends_when_achieved
                and achieved
            ):
                occurrence, past = None, _ended_by_permanence(occurrence, past, facts)
            if occurrence is None and not past:
                continue
            owner = directory.owner(rule.owner_role, facts)
            number = 0
            for number, old in enumerate(past, start=1):
                outcome, late = timeliness(old, current=False)
                stored[facts.pk, rule.pk, number] = Row(
                    old.anchor_on,
                    old.due,
                    old.due_at,
                    old.met_on,
                    status_of(old, rule, today, now),
                    owner,
                    False,
                    outcome,
                    late,
                )
            if occurrence is None:
                continue
            outcome, late = timeliness(occurrence, current=True)
            row = Row(
                occurrence.anchor_on,
                occurrence.due,
                occurrence.due_at,
                occurrence.met_on,
                status_of(occurrence, rule, today, now),
                # Nobody owns a deadline that has not started yet.
                None if occurrence is NOT_YET else owner,
                True,
                outcome,
                late,
            )
            current[facts.pk, rule.pk] = row
            stored[facts.pk, rule.pk, number + 1] = row
    return current, stored
