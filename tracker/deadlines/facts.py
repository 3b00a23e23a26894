"""The dated events every deadline counts from or waits for, read in bulk for many children.

Each source is one `values_list` query over a range (or list) of children, grouped by child in
Python, so that computing the deadlines of 100,000 children costs a few dozen queries, not a few
per child. This module reads the permanence app; `tracker.deadlines.sources` adds the forums and
reviews apps' events.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from permanence.models import (
    Child,
    ConnectedPersonApproval,
    Episode,
    FamilyFindingAllocation,
    Plan,
    SupervisionOrder,
)
from permanence.models.plans import Status as PlanStatus


@dataclass(frozen=True, slots=True)
class EpisodeFact:
    decom: dt.date
    dec: dt.date | None
    rne: str
    legal_status: str
    place: str
    rec: str


@dataclass(frozen=True, slots=True)
class AllocationFact:
    """An IRO allocated to the child from one date, until another (or still)."""

    allocated_on: dt.date
    ended_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ReviewFact:
    held_on: dt.date
    recommends_sgo: bool = False


@dataclass(frozen=True, slots=True)
class MeetingFact:
    """A meeting or panel about the child: its kind, date and what it decided."""

    kind: str
    held_on: dt.date
    decision: str = ""
    rag: str = ""


@dataclass(frozen=True, slots=True)
class AssessmentFact:
    """An assessment the Legal Gateway Panel asked for: when it sat, the date it set, and when
    the assessment was completed (seed 004)."""

    set_on: dt.date
    due_on: dt.date
    completed_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class AepPanelFact:
    """An Achieving Early Permanence Panel the child is listed for, and when the social worker
    sent its papers (seed 003)."""

    panel_on: dt.date
    papers_sent_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class BookingFact:
    """A forum booking: the forum's date and when Part 1 was submitted (seed 000)."""

    forum_date: dt.date
    part1_submitted_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DisruptionFact:
    """A long-term placement broke down (seed 000)."""

    disrupted_on: dt.date
    carer_review_held_on: dt.date | None = None
    fee_extended: bool = False
    fee_decided_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class MatchingFact:
    """A matching panel and the dates of the papers put to it (seed 000)."""

    panel_on: dt.date
    form_f_on: dt.date | None = None
    cpr_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ConnectedApprovalFact:
    """A connected person's temporary approval (CPPCR 2010 reg 24) and how it ended."""

    placed_on: dt.date
    extension: int = 0  # weeks added by the one extension (reg 25); 0 when not extended
    resolved_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class SupervisionOrderFact:
    """A supervision order (001 §3.2): when made, any extension, when it ended, and the child's
    date of birth, since no order runs past 18."""

    made_on: dt.date
    extension_months: int = 0
    ended_on: dt.date | None = None
    born: dt.date | None = None


@dataclass(frozen=True, slots=True)
class FindingPlanFact:
    """A plan that needs someone allocated to take it forward once ratified (issue 14; 000,
    003): its route, when it was ratified, and whether it has been achieved."""

    route: str
    ratified_on: dt.date
    achieved: bool = False


@dataclass(slots=True)
class ChildFacts:
    """Everything dated on one child's record that a deadline may need."""

    pk: int
    team_id: int
    service_id: int
    social_worker_id: int | None
    iro_id: int | None
    court_stage: str
    proceedings_issued_on: dt.date | None
    proceedings_concluded_on: dt.date | None
    episodes: list[EpisodeFact] = field(default_factory=list)
    iro_allocations: list[AllocationFact] = field(default_factory=list)
    reviews: list[ReviewFact] = field(default_factory=list)
    sgo_referrals: list[dt.date] = field(default_factory=list)
    meetings: list[MeetingFact] = field(default_factory=list)
    assessments: list[AssessmentFact] = field(default_factory=list)
    # The dates each PPN1 was completed (002 §7), and each plan was achieved (SPEC §3).
    ppn1s: list[dt.date] = field(default_factory=list)
    aep_panels: list[AepPanelFact] = field(default_factory=list)
    # Actions Permanence Panel agreed: when it sat, the due date, when done (004).
    panel_actions: list[AssessmentFact] = field(default_factory=list)
    plans_achieved: list[dt.date] = field(default_factory=list)
    # The plan in force is achieved (SPEC §3), and since when (None when not, or when the day
    # was not recorded): the timescales that lead to permanence end then.
    permanence_achieved: bool = False
    permanence_achieved_on: dt.date | None = None
    bookings: list[BookingFact] = field(default_factory=list)
    disruptions: list[DisruptionFact] = field(default_factory=list)
    matchings: list[MatchingFact] = field(default_factory=list)
    connected_approvals: list[ConnectedApprovalFact] = field(default_factory=list)
    supervision_orders: list[SupervisionOrderFact] = field(default_factory=list)
    # The live plan needing family finding, and each allocation to take it forward (issue 14).
    finding_plans: list[FindingPlanFact] = field(default_factory=list)
    finding_allocations: list[AllocationFact] = field(default_factory=list)
    # What the calculators work out once per child and share (the period of care).
    derived: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ChildScope:
    """Which children to read: a closed range of primary keys, or a list of them."""

    first: int | None = None
    last: int | None = None
    pks: tuple[int, ...] | None = None

    def q(self, prefix: str = "") -> Q:
        if self.pks is not None:
            # One array, not a placeholder per child (tracker.lookups); a set, which Django
            # passes on as it is rather than looking at each key for an expression.
            return Q(**{f"{prefix}pk__any_of": frozenset(self.pks)})
        return Q(**{f"{prefix}pk__gte": self.first, f"{prefix}pk__lte": self.last})


# Each loader adds one kind of fact to the children in `by_pk`: tracker.deadlines.sources
# registers those of the forums and reviews apps (this module reads only the permanence app).
Loader = Callable[[ChildScope, dict[int, ChildFacts]], None]
_loaders: list[tuple[str, Loader]] = []


def register_loader(name: str, loader: Loader) -> None:
    if all(existing != name for existing, _ in _loaders):
        _loaders.append((name, loader))


def child_facts(children) -> dict[int, ChildFacts]:
    """The child's own facts (team, service, workers, proceedings) for each child of a
    queryset, keyed by primary key, with no events loaded: enough to know who is told."""
    rows = children.values_list(
        "pk",
        "team_id",
        "team__service_id",
        "social_worker_id",
        "iro_id",
        "court_stage",
        "proceedings_issued_on",
        "proceedings_concluded_on",
    )
    return {row[0]: ChildFacts(*row) for row in rows}


def load_facts(scope: ChildScope) -> dict[int, ChildFacts]:
    """The facts of every child in scope, keyed by the child's primary key."""
    by_pk = child_facts(Child.objects.filter(scope.q()))
    if not by_pk:
        return by_pk
    episodes = (
        Episode.objects.filter(scope.q("child__"))
        .order_by("child_id", "decom", "pk")
        .values_list("child_id", "decom", "dec", "rne", "legal_status", "place", "rec")
    )
    for child_id, *values in episodes:
        facts = by_pk.get(child_id)
        if facts is not None:
            facts.episodes.append(EpisodeFact(*values))
    approvals = (
        ConnectedPersonApproval.objects.filter(scope.q("child__"))
        .order_by("child_id", "placed_on")
        .values_list("child_id", "placed_on", "extension_weeks", "resolved_on")
    )
    group(
        ((child, on, weeks or 0, resolved) for child, on, weeks, resolved in approvals),
        by_pk,
        "connected_approvals",
        ConnectedApprovalFact,
    )
    orders = (
        SupervisionOrder.objects.filter(scope.q("child__"))
        .order_by("child_id", "made_on", "pk")
        .values_list("child_id", "made_on", "extension_months", "ended_on", "child__date_of_birth")
    )
    group(
        ((child, on, months or 0, ended, born) for child, on, months, ended, born in orders),
        by_pk,
        "supervision_orders",
        SupervisionOrderFact,
    )
    achieved = (
        Plan.objects.filter(
            Q(achieved_on__isnull=False) | Q(status=PlanStatus.ACHIEVED), scope.q("child__")
        )
        .order_by()
        .values_list("child_id", "achieved_on", "status")
    )
    for child_id, day, status in achieved:
        facts = by_pk.get(child_id)
        if facts is None:
            continue
        if day is not None:
            facts.plans_achieved.append(day)
        # One plan is in force per child (permanence.models.plans): an achieved plan is the
        # one in force, until a disruption or a new version changes its status.
        if status == PlanStatus.ACHIEVED:
            facts.permanence_achieved, facts.permanence_achieved_on = True, day
    _load_family_finding(scope, by_pk)
    for _name, loader in _loaders:
        loader(scope, by_pk)
    return by_pk


# Routes a family finder, an SGO assessing worker or the carers' supervising social worker
# takes forward once the plan is ratified (permanence.access.FAMILY_FINDING_ROUTES).
FINDING_ROUTES = ("adoption", "long_term_fostering", "sgo_cao", "connected_person")


def _load_family_finding(scope: ChildScope, by_pk: dict[int, ChildFacts]) -> None:
    plans = (
        Plan.objects.filter(
            scope.q("child__"),
            route__in=FINDING_ROUTES,
            status__in=("ratified", "in_implementation", "achieved"),
            ratified_on__isnull=False,
        )
        .order_by()
        .values_list("child_id", "route", "ratified_on", "status")
    )
    group(
        ((child, route, on, status == "achieved") for child, route, on, status in plans),
        by_pk,
        "finding_plans",
        FindingPlanFact,
    )
    allocations = (
        FamilyFindingAllocation.objects.filter(scope.q("plan__child__"))
        .order_by("allocated_on", "pk")
        .values_list("plan__child_id", "allocated_on", "ended_on")
    )
    group(allocations, by_pk, "finding_allocations", AllocationFact)


def group(rows: Iterable[tuple], by_pk: dict[int, ChildFacts], attr: str, make) -> None:
    """Append make(*rest) to by_pk[child].attr for each (child, *rest) row."""
    bucket = defaultdict(list)
    for child_id, *rest in rows:
        bucket[child_id].append(make(*rest))
    for child_id, items in bucket.items():
        facts = by_pk.get(child_id)
        if facts is not None:
            getattr(facts, attr).extend(items)
