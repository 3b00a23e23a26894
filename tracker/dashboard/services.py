"""Keeping the tracker's summary rows in step with the record (SPEC §6; seed 004).

`tracker_rows_refresh` runs at the end of each batch the deadline engine refreshes
(`tracker.services.deadlines`), in the same transaction, so that the tracker follows every change
to a child's record and every sweep. It reads the batch's facts in a handful of set-based queries
(children, episodes, plans, stored deadlines, panels, reviews), works each row out in Python with
the pure rules of `tracker.dashboard.rag`, and writes only the rows that changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from forums.models import Meeting, MeetingType
from forums.models.meetings import PANEL_KINDS
from permanence.models import Child, Episode, Plan, SiblingGroup
from permanence.models.plans import Status
from reviews.models import Review
from tracker import bulk
from tracker.backlog import in_backlog
from tracker.dashboard.models import TrackerRow
from tracker.dashboard.rag import (
    STATUTORY_RULES,
    DeadlineState,
    computed_rag,
    effective_rag,
    rag_rank,
)
from tracker.deadlines.calculators import achieved_in_period, latest_period
from tracker.deadlines.facts import ChildFacts, ChildScope, EpisodeFact
from tracker.deadlines.registry import ends_when_achieved
from tracker.models import Deadline, DeadlineRule

# SSDA903 codes the adoption scorecard reads (DfE A1, A2, A10).
PLACED_FOR_ADOPTION = frozenset({"A3", "A4", "A5", "A6"})
WITH_CURRENT_FOSTER_CARERS = frozenset({"A3", "A5"})
# RNE codes for a new episode with the same carers: the child did not move house.
SAME_CARERS = frozenset({"L", "T", "U"})
PLACEMENT_ORDERS = frozenset({"E1", "D1"})
ADOPTED = frozenset({"E11", "E12"})
# Reasons a period of care ends in permanence outside care: adoption, a special guardianship
# order, a child arrangements (residence) order. A child onboarded from its SSDA903 returns has
# no plan in the service for it, so these count as permanence achieved on the day it ended.
PERMANENCE_ENDINGS = ADOPTED | frozenset({"E41", "E45", "E46", "E47", "E48"})
OPEN_DEADLINE = frozenset(
    {Deadline.Status.OVERDUE, Deadline.Status.DUE_SOON, Deadline.Status.UPCOMING}
)

# The row's columns, in the order they are compared and written (attnames).
COLUMNS = [
    "child_id",
    "child_ref",
    "first_name",
    "last_name",
    "sort_name",
    "team_id",
    "service_id",
    "social_worker_id",
    "iro_id",
    "legal_status",
    "placement",
    "period_start",
    "period_end",
    "court_stage",
    "proceedings_issued_on",
    "proceedings_concluded_on",
    "plan_id",
    "route",
    "plan_status",
    "contingency_route",
    "first_ratified_on",
    "achieved_on",
    "next_rule_id",
    "next_due",
    "next_status",
    "overdue_count",
    "due_soon_count",
    "second_review_due",
    "second_review_held_on",
    "computed_rag",
    "computed_reason",
    "panel_rag",
    "panel_reason",
    "panel_on",
    "panel_meeting_id",
    "rag",
    "rag_rank",
    "placed_for_adoption_on",
    "moved_in_with_adopters_on",
    "placement_order_on",
    "match_decided_on",
    "adopted_on",
    "sibling_count",
    "sibling_placement",
    "sibling_assessed_on",
]
WRITTEN = [*COLUMNS, "refreshed_at"]
UPDATED = WRITTEN[1:]


def _grouped(rows) -> dict[int, list[tuple]]:
    out: dict[int, list[tuple]] = defaultdict(list)
    for child_id, *rest in rows:
        out[child_id].append(tuple(rest))
    return out


def _adoption(episodes: tuple[EpisodeFact, ...]) -> tuple:
    """Placed for adoption, moved in with the adopters (A10), placement order: from the period's
    episodes in SSDA903 terms."""
    placed = moved_in = order = None
    for index, episode in enumerate(episodes):
        if order is None and episode.legal_status in PLACEMENT_ORDERS:
            order = episode.decom
        if placed is None and episode.place in PLACED_FOR_ADOPTION:
            placed = moved_in = episode.decom
            if episode.place in WITH_CURRENT_FOSTER_CARERS:
                # Adopted by their foster carers: the clock stops when the child moved in with
                # them, the start of the run of episodes with the same carers (DfE A10).
                start = index
                while start > 0 and episodes[start].rne in SAME_CARERS:
                    start -= 1
                moved_in = episodes[start].decom
    return placed, moved_in, order


@transaction.atomic
def tracker_rows_refresh(
    *,
    scope: ChildScope,
    now: dt.datetime | None = None,
    facts: dict[int, ChildFacts] | None = None,
    deadline_rows: dict[tuple[int, int], tuple] | None = None,
) -> int:
    """Work these children's tracker rows out again from their record and stored deadlines
    (SPEC §6; seed 004 Permanence Tracker). Returns how many rows were written.

    The sweep passes the episodes (FACTS) and deadline rows it has just read and written for
    the same children, so they are not read from the database a second time."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    group_size = (
        Child.objects.filter(sibling_group=OuterRef("sibling_group"))
        .order_by()
        .values("sibling_group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    children = list(
        Child.objects.filter(scope.q())
        .order_by()
        .annotate(group_size=Subquery(group_size))
        .values_list(
            "pk",
            "team_id",
            "team__service_id",
            "social_worker_id",
            "iro_id",
            "court_stage",
            "proceedings_issued_on",
            "proceedings_concluded_on",
            "child_id",
            "first_name",
            "last_name",
            "group_size",
            "sibling_group__placement",
            "sibling_group__assessment__completed_on",
        )
    )
    if not children:
        return 0
    in_scope = scope.q("child__")
    if facts is not None:
        episodes = {pk: child_facts.episodes for pk, child_facts in facts.items()}
    else:
        episodes = _grouped(
            Episode.objects.filter(in_scope)
            .order_by("child_id", "decom", "pk")
            .values_list("child_id", "decom", "dec", "rne", "legal_status", "place", "rec")
        )
    plans = _grouped(
        Plan.objects.filter(in_scope)
        .order_by()
        .values_list(
            "child_id", "pk", "status", "route", "contingency_route", "ratified_on", "achieved_on"
        )
    )
    rule_rows = list(
        DeadlineRule.objects.values_list("pk", "code", "name", "order", "applies_from")
    )
    rules = {pk: (code, name, order) for pk, code, name, order, _ in rule_rows}
    # The go-live date (tracker.backlog.go_live_date), from the same rows.
    went_live = min((since for *_, since in rule_rows if since is not None), default=None)
    if deadline_rows is not None:
        deadlines: dict[int, list[tuple]] = defaultdict(list)
        for (child_id, rule_id), row in deadline_rows.items():
            deadlines[child_id].append((rule_id, row.due, row.status, row.met_on))
    else:
        deadlines = _grouped(
            Deadline.objects.filter(in_scope, current=True)
            .order_by()
            .values_list("child_id", "rule_id", "due", "status", "met_on")
        )
    panels = _grouped(
        Meeting.objects.filter(
            in_scope,
            meeting_type__kind=MeetingType.Kind.PERMANENCE_PANEL,
            held_on__isnull=False,
        )
        .exclude(rag_rating="")
        .order_by()
        .values_list("child_id", "held_on", "pk", "rag_rating", "rag_reason")
    )
    matches = _grouped(
        Meeting.objects.filter(
            in_scope,
            meeting_type__kind__in=PANEL_KINDS,
            match_recommendation=Meeting.MatchRecommendation.RECOMMENDED,
            held_on__isnull=False,
        )
        .order_by()
        .values_list("child_id", "held_on")
    )
    second_reviews = _grouped(
        Review.objects.filter(in_scope, sequence=2, cancelled=False)
        .order_by()
        .values_list("child_id", "period_started_on", "due_on", "held_on")
    )
    existing = {
        row[0]: row for row in TrackerRow.objects.filter(in_scope).order_by().values_list(*COLUMNS)
    }
    writes = []
    for child in children:
        row = _row(
            child,
            episodes=[
                e if isinstance(e, EpisodeFact) else EpisodeFact(*e)
                for e in episodes.get(child[0], ())
            ],
            plans=plans.get(child[0], ()),
            deadlines=deadlines.get(child[0], ()),
            rules=rules,
            panels=panels.get(child[0], ()),
            matches=matches.get(child[0], ()),
            second_reviews=second_reviews.get(child[0], ()),
            today=today,
            went_live=went_live,
        )
        if existing.get(child[0]) != row:
            writes.append((*row, now))
    bulk.insert(TrackerRow, WRITTEN, writes, conflict=["child"], update=UPDATED)
    return len(writes)


def _period_columns(period) -> tuple:
    """Legal status, placement, the period's dates and the adoption dates, from the period."""
    if period is None:
        return ("", "", None, None, None, None, None, None)
    legal_status = placement = ""
    period_end = adopted = None
    if period.is_open:
        legal_status, placement = period.last.legal_status, period.last.place
    else:
        period_end = period.last.dec
        if period.last.rec in ADOPTED:
            adopted = period_end
    placed, moved_in, order = _adoption(period.episodes)
    return (legal_status, placement, period.start, period_end, placed, moved_in, order, adopted)


def _deadline_columns(
    deadlines, rules: dict, went_live: dt.date | None = None, *, achieved: bool = False
) -> tuple:
    """Each deadline's state for the RAG, the next one due, the counts of overdue and due
    soon, and the second review's due and held dates, from the stored deadline rows.

    Left out, as not the next step, not a reason for the rating and not counted: the go-live
    backlog that is no longer actionable (tracker.backlog.in_backlog), and, once the plan is
    ACHIEVED, the timescales that lead to permanence (the registry's `ends_when_achieved`: a
    forum, a Legal Gateway meeting, the panel's papers). The engine ends those itself when it
    next works the child's deadlines out; leaving them out here too keeps the row right in the
    moment between. The statutory ones go on while the child is looked after (a long-term
    foster child's reviews), and so do a supervision order's end and a carer's fee."""
    states = []
    next_key = None
    next_rule = next_due = None
    next_status = ""
    overdue = due_soon = 0
    second_due = second_held = None
    for rule_id, due, state, met_on in deadlines:
        code, name, order_in_list = rules.get(rule_id, ("", "", 0))
        if in_backlog(code=code, due=due, status=state, went_live=went_live):
            continue
        if achieved and ends_when_achieved(code):
            continue
        states.append(DeadlineState(code, name, due, state, met_on))
        if state == Deadline.Status.OVERDUE:
            overdue += 1
        elif state == Deadline.Status.DUE_SOON:
            due_soon += 1
        if state in OPEN_DEADLINE and due is not None:
            # An overdue statutory deadline comes first, as in the RAG and the next step: the
            # row's next deadline never names a local one while a statutory one makes it red.
            urgent = state == Deadline.Status.OVERDUE and code in STATUTORY_RULES
            key = (not urgent, due, order_in_list, rule_id)
            if next_key is None or key < next_key:
                next_key, next_rule, next_due, next_status = key, rule_id, due, state
        if code == "second_review":
            second_due, second_held = due, met_on
    return (states, next_rule, next_due, next_status, overdue, due_soon, second_due, second_held)


def _row(
    child: tuple,
    *,
    episodes: list[EpisodeFact],
    plans,
    deadlines,
    rules: dict,
    panels,
    matches,
    second_reviews,
    today: dt.date,
    went_live: dt.date | None = None,
) -> tuple:
    """One child's row, in COLUMNS order, from facts already read."""
    (pk, team, service, worker, iro, stage, issued, concluded, ref, first, last, *group) = child
    group_size, sibling_placement, sibling_assessed_on = group
    facts = ChildFacts(pk, team, service, worker, iro, stage, issued, concluded, episodes=episodes)
    period = latest_period(facts, today)
    looked_after = period is not None and period.is_open
    (legal_status, placement, period_start, period_end, placed, moved_in, order, adopted) = (
        _period_columns(period)
    )

    current = next((p for p in plans if p[1] != Status.SUPERSEDED), None)
    plan_id, status, route, contingency, _, achieved = current or (None, "", "", "", None, None)
    if achieved is None and period_end is not None and period.last.rec in PERMANENCE_ENDINGS:
        achieved = period_end
    first_ratified = min(
        (
            ratified
            for _, _, _, _, ratified, _ in plans
            if ratified and (period_start is None or ratified >= period_start)
        ),
        default=None,
    )

    states, next_rule, next_due, next_status, overdue, due_soon, second_due, second_held = (
        _deadline_columns(
            deadlines,
            rules,
            went_live,
            achieved=achieved_in_period(status, achieved, period_start),
        )
    )
    if second_due is None and period_start is not None:
        # Out of care now (the engine keeps deadlines for the current period only): the review
        # as the reviews app booked it.
        for started, due_on, held_on in second_reviews:
            if started == period_start:
                second_due, second_held = due_on, held_on

    result = computed_rag(
        deadlines=states,
        looked_after=looked_after,
        plan_status=status,
        today=today,
        first_ratified=first_ratified,
    )
    panel = max(
        (p for p in panels if period_start is None or p[0] >= period_start),
        default=None,
        key=lambda p: (p[0], p[1]),
    )
    panel_on, panel_meeting, panel_rag, panel_reason = panel or (None, None, "", "")
    rag = effective_rag(result.rag, panel_rag)
    match = min(
        (held for (held,) in matches if order is None or held >= order),
        default=None,
    )
    return (
        pk,
        ref,
        first,
        last,
        f"{last} {first}".lower()[:201],
        team,
        service,
        worker,
        iro,
        legal_status,
        placement,
        period_start,
        period_end,
        stage,
        issued,
        concluded,
        plan_id,
        route,
        status,
        contingency,
        first_ratified,
        achieved,
        next_rule,
        next_due,
        next_status,
        overdue,
        due_soon,
        second_due,
        second_held,
        result.rag,
        result.reason,
        panel_rag,
        panel_reason,
        panel_on,
        panel_meeting,
        rag,
        rag_rank(rag),
        placed,
        moved_in,
        order,
        match,
        adopted,
        # The sibling group (001 §2.1): the child's brothers and sisters, not the child.
        max((group_size or 0) - 1, 0),
        sibling_placement or "",
        sibling_assessed_on if sibling_placement == SiblingGroup.Placement.APART else None,
    )
