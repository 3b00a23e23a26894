"""Reads of the tracker's summary rows, limited to the children the user may see (SPEC §1, §6).

Every screen reads the stored `TrackerRow`s; nothing here works a deadline or a RAG out again.
Who may see a row is the rule of `permanence.access`: its filter on the child is translated to
the row's own copies of the child's team, service, worker and IRO when it only uses those (the
usual case: a manager's service, a worker's team, an IRO's children), so the dashboard filters
and sorts one indexed table; any other relationship (a forum chair's bookings) is checked against
the child itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone

from forums.models import Meeting, MeetingType
from permanence import access
from permanence.access import child_visibility_branches, union_of_children
from permanence.models import Child, Code, Team, User
from permanence.models.plans import SHORT_ROUTE_NAMES, Route, Status
from permanence.panels import ChildNextStep
from permanence.plans.selectors import STATUS_TAGS
from permanence.prepared import one_row, prepared
from permanence.roles import Role
from permanence.selectors import code_meanings
from tracker.dashboard import cohorts
from tracker.dashboard.models import Rag, TrackerRow, siblings_summary
from tracker.dashboard.rag import rag_rank

PAGE_SIZE = 25
# A select longer than this is no help: choose a team first (GOV.UK: avoid long selects).
MAX_OPTIONS = 150
NONE = "none"  # the filter value for "no plan" and "not looked after"

# Child lookups that the row holds a copy of.
_ROW_LOOKUPS = {
    "pk": "child_id",
    "id": "child_id",
    "team": "team_id",
    "team_id": "team_id",
    "team__id": "team_id",
    "team__service": "service_id",
    "team__service_id": "service_id",
    "social_worker": "social_worker_id",
    "social_worker_id": "social_worker_id",
    "iro": "iro_id",
    "iro_id": "iro_id",
}
_PLAIN_LOOKUPS = {"exact", "in", "isnull"}

RAG_TAGS = {
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--orange",
    Rag.GREEN: "govuk-tag--green",
}
DEADLINE_TAGS = {
    "overdue": ("Overdue", "govuk-tag--red"),
    "due_soon": ("Due soon", "govuk-tag--orange"),
    "upcoming": ("Upcoming", "govuk-tag--blue"),
}


def _translate(q: Q) -> Q | None:
    """The child filter Q as a filter on the row's own columns, or None if it needs the child."""
    children = []
    for child in q.children:
        if isinstance(child, Q):
            translated = _translate(child)
            if translated is None:
                return None
            children.append(translated)
            continue
        key, value = child
        base, _, lookup = key.rpartition("__") if "__" in key else (key, "", "")
        if key in _ROW_LOOKUPS:
            base, lookup = key, ""
        elif lookup not in _PLAIN_LOOKUPS or base not in _ROW_LOOKUPS:
            return None
        if hasattr(value, "resolve_expression"):
            return None
        column = _ROW_LOOKUPS[base]
        children.append((f"{column}__{lookup}" if lookup else column, value))
    return Q(*children, _connector=q.connector, _negated=q.negated)


# Past this many children seen through relationships the row does not hold, they are left to
# the database as a subquery rather than listed in the query.
EXTRA_CHILDREN_LISTED = 500


@dataclass(frozen=True)
class _RowsPlan:
    """How the rows a kind of reader may see are chosen (`_visible_rows_q`), with stand-in
    numbers where the reader's own go: worked out once per process for each kind of reader
    (`permanence.access.reader_kind`), as the reader's children are (issue 19: 5 to 8 ms of every
    tracker page went on building and compiling it)."""

    on_row: tuple[Q, ...]  # on the row's own columns
    others: tuple | None  # the ids of the children seen through other relationships, compiled
    others_ids: tuple | None  # … read, at most EXTRA_CHILDREN_LISTED + 1 of them


def _rows_plan_from(branches: list[Q]) -> _RowsPlan:
    on_row, others = [], []
    for branch in branches:
        translated = _translate(branch)
        if translated is None:
            others.append(branch)
        else:
            on_row.append(translated)
    return _RowsPlan(
        tuple(on_row),
        access.compile_for_kind(union_of_children(others)) if others else None,
        access.compile_for_kind(_others_ids(others)) if others and on_row else None,
    )


def _others_ids(others):
    return (
        Child.objects.filter(pk__in=union_of_children(others))
        .order_by()
        .values_list("pk", flat=True)[: EXTRA_CHILDREN_LISTED + 1]
    )


_rows_plans: dict[tuple, _RowsPlan | None] = {}


def _rows_plan(kind: tuple) -> _RowsPlan | None:
    if kind not in _rows_plans:
        branches = access.stand_in_branches(kind)
        _rows_plans[kind] = _rows_plan_from(branches) if branches else None
    return _rows_plans[kind]


def _visible_rows_q(user: User) -> Q | None:
    """The rows of the children `user` may see, as a filter on the row's own columns where it
    can be (a team, a service, an IRO: an index the page's sort can walk), and the children seen
    through other relationships (an action owned, a booking, a meeting) as their ids, read in
    one query, usually none or a handful. An OR with a subquery would make PostgreSQL read
    every row of the service and sort them to show 25."""
    if not user.is_authenticated or not user.is_active:
        return None
    plan = _rows_plan(access.reader_kind(user))
    if plan is None:
        return None
    own = access.own_numbers(user)
    on_row = [access.filled_q(q, own) for q in plan.on_row]
    if getattr(settings, "PREPARED_STATEMENTS_CHECK", False):
        _check_rows_plan(user, plan, own)
    if plan.others is not None:
        if plan.others_ids is None:
            children = RawSQL(*access.filled(plan.others, own))  # noqa: S611 (compiled by Django)
            on_row.append(Q(child_id__in=children))
        else:
            with connection.cursor() as cursor:
                cursor.execute(*access.filled(plan.others_ids, own))
                ids = [pk for (pk,) in cursor.fetchall()]
            if len(ids) > EXTRA_CHILDREN_LISTED:
                children = RawSQL(*access.filled(plan.others, own))  # noqa: S611 (as above)
                on_row.append(Q(child_id__in=children))
            elif ids:
                on_row.append(Q(child_id__in=ids))
    q = on_row[0]
    for more in on_row[1:]:
        q |= more
    return q


def _filled_plan(plan: _RowsPlan, own: dict) -> tuple:
    return (
        [access.filled_q(q, own) for q in plan.on_row],
        None if plan.others is None else access.filled(plan.others, own),
        None if plan.others_ids is None else access.filled(plan.others_ids, own),
    )


def _check_rows_plan(user: User, plan: _RowsPlan, own: dict) -> None:
    """The tests' check (settings.PREPARED_STATEMENTS_CHECK) that the kept plan, with the
    reader's numbers, is what this reader's own relationships give: nothing read, only built."""
    kept = _filled_plan(plan, own)
    fresh = _filled_plan(_rows_plan_from(child_visibility_branches(user)), own)
    if kept != fresh:
        raise AssertionError(
            f"the rows {user} may see are chosen otherwise than kept: {kept} {fresh}"
        )


def rows_visible_to(user: User) -> QuerySet[TrackerRow]:
    """The tracker rows of the children this user has a reason to see (SPEC §1)."""
    # Worked out once per request: the page's counts, rows and filters each ask.
    if not hasattr(user, "_visible_rows_q"):
        user._visible_rows_q = _visible_rows_q(user)
    q = user._visible_rows_q
    return TrackerRow.objects.none() if q is None else TrackerRow.objects.filter(q)


def mine_q(user: User) -> Q:
    """The user's own caseload: the children they are the social worker or the IRO of."""
    q = Q(pk__in=[])
    if user.has_role(Role.SOCIAL_WORKER):
        q |= Q(social_worker_id=user.pk)
    if user.has_role(Role.IRO):
        q |= Q(iro_id=user.pk)
    return q


def rows_for_scope(*, user: User, scope: str) -> QuerySet[TrackerRow]:
    """The rows of one screen: "service" is every child the user may see; "mine" their own."""
    rows = rows_visible_to(user)
    if scope == "mine":
        rows = rows.filter(mine_q(user))
    return rows


# -- filters and sorting ------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The dashboard's filters, each already checked (SPEC §6)."""

    team: int | None = None
    worker: int | None = None
    iro: int | None = None
    route: str = ""
    status: str = ""
    rag: str = ""
    legal_status: str = ""
    court_stage: str = ""
    # The children behind one figure of the measures (tracker/dashboard/cohorts.py), for the
    # period from SINCE (None: from the start) to UNTIL.
    measure: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def any(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


def apply_filters(rows: QuerySet[TrackerRow], filters: Filters, *, rag: bool = True) -> QuerySet:
    """Narrow the rows by the filters (all but the RAG when `rag` is False)."""
    if filters.team:
        rows = rows.filter(team_id=filters.team)
    if filters.worker:
        rows = rows.filter(social_worker_id=filters.worker)
    if filters.iro:
        rows = rows.filter(iro_id=filters.iro)
    if filters.route:
        rows = rows.filter(route="" if filters.route == NONE else filters.route)
    if filters.status:
        rows = rows.filter(plan_status="" if filters.status == NONE else filters.status)
    if rag and filters.rag:
        # The rank stands for the RAG one to one, and leads the screens' indexes.
        rows = rows.filter(rag_rank=rag_rank(filters.rag))
    if filters.legal_status:
        rows = rows.filter(
            legal_status="" if filters.legal_status == NONE else filters.legal_status
        )
    if filters.court_stage:
        rows = rows.filter(court_stage=filters.court_stage)
    cohort = cohorts.resolve(filters.measure) if filters.measure else None
    if cohort is not None and filters.until is not None:
        # The same condition the measure counted: the figure is the number of rows listed.
        rows = rows.filter(cohort.q(filters.since, filters.until, timezone.localdate()))
    return rows


SORTS: dict[str, tuple[str, tuple]] = {
    "urgent": (
        "Most urgent first",
        ("rag_rank", F("next_due").asc(nulls_last=True), "sort_name", "child_id"),
    ),
    "deadline": (
        "Next deadline",
        (F("next_due").asc(nulls_last=True), "rag_rank", "sort_name", "child_id"),
    ),
    "overdue": ("Most overdue deadlines", ("-overdue_count", "rag_rank", "sort_name", "child_id")),
    "weeks": (
        "Longest looked after",
        (
            F("period_end").asc(nulls_first=True),
            F("period_start").asc(nulls_last=True),
            "sort_name",
            "child_id",
        ),
    ),
    "name": ("Name", ("sort_name", "child_id")),
    "child_id": ("Child identifier", ("child_ref", "child_id")),
}
DEFAULT_SORT = "urgent"


def dashboard_rows(
    *, user: User, scope: str, filters: Filters, sort: str = DEFAULT_SORT
) -> QuerySet[TrackerRow]:
    """The dashboard's rows, filtered and sorted, with what each line shows."""
    rows = apply_filters(rows_for_scope(user=user, scope=scope), filters)
    return rows.for_dashboard().order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT])[1])


@dataclass
class RagCounts:
    """How many rows are red, amber and green under the other filters, and the total shown."""

    counts: dict[str, int]
    total: int


def rag_counts(*, user: User, scope: str, filters: Filters) -> RagCounts:
    """One grouped count gives both the RAG summary and the number of rows that match."""
    rows = apply_filters(rows_for_scope(user=user, scope=scope), filters, rag=False)
    counts = dict.fromkeys(Rag.values, 0)
    by_rank = {rag_rank(rag): rag for rag in Rag.values}
    # COUNT(*) grouped by the rank: PostgreSQL answers it from the index, not the table.
    for rank, n in rows.order_by().values_list("rag_rank").annotate(n=Count("*")):
        counts[by_rank[rank]] = n
    total = counts.get(filters.rag, 0) if filters.rag else sum(counts.values())
    return RagCounts(counts, total)


# -- the choices the filters offer ---------------------------------------------------------------


@dataclass
class FilterOptions:
    """What each filter offers; None where the list would be too long to be any use."""

    teams: list[tuple[str, str]]
    workers: list[tuple[str, str]] | None
    iros: list[tuple[str, str]] | None
    legal_statuses: list[tuple[str, str]]
    team_ids: list[int] = field(default_factory=list)
    services: set[int] = field(default_factory=set)


def _people(qs: QuerySet[User]) -> list[tuple[str, str]] | None:
    people = list(
        qs.order_by("first_name", "last_name", "pk").values_list("pk", "first_name", "last_name")[
            : MAX_OPTIONS + 1
        ]
    )
    if len(people) > MAX_OPTIONS:
        return None
    return [(str(pk), f"{first} {last}".strip()) for pk, first, last in people]


LEGAL_STATUS_CACHE = "tracker-dashboard:legal-statuses"


def legal_status_choices() -> list[tuple[str, str]]:
    """The SSDA903 legal statuses to filter by: reference data, kept for five minutes."""

    def read() -> list[tuple[str, str]]:
        codes = code_meanings(Code.List.LS)
        return [(code, f"{code}: {meaning}") for code, meaning in sorted(codes.items())] + [
            (NONE, "Not looked after now")
        ]

    return cache.get_or_set(LEGAL_STATUS_CACHE, read, 300)


def _workers(*, chosen: int | None, team_ids: list[int], services: set[int]) -> QuerySet[User]:
    """Social workers of the chosen team, or of every team the user can see (by service when
    there are too many teams to name one by one)."""
    workers = User.objects.filter(groups__name=Role(Role.SOCIAL_WORKER).label)
    if chosen:
        return workers.filter(team_id=chosen)
    if len(team_ids) <= MAX_OPTIONS:
        return workers.filter(team_id__in=team_ids)
    return workers.filter(team__service_id__in=services)


# How long a person's filter lists are kept (issue 19): the teams, social workers and IROs of
# their children change with allocations, rarely within a minute, and working the lists out was
# a fifth of a tracker page's processor (three queries over every row the person may see). A
# team or person added since is offered within the minute; what the page shows is always read
# afresh, filtered by what the person may see.
FILTER_OPTIONS_SECONDS = 60


def filter_options(*, user: User, scope: str, team: str | None) -> FilterOptions:
    """The teams, workers, IROs and legal statuses the user can filter by, kept for a minute per
    person, screen and chosen team."""
    team = team if team and team.isdigit() else None
    key = f"tracker-dashboard:filter-options:{user.pk}:{scope}:{team or ''}"
    return cache.get_or_set(
        key, lambda: _filter_options(user=user, scope=scope, team=team), FILTER_OPTIONS_SECONDS
    )


def _filter_options(*, user: User, scope: str, team: str | None) -> FilterOptions:
    rows = rows_for_scope(user=user, scope=scope)
    # DISTINCT, so PostgreSQL gathers the rows' teams once and joins them: asked as
    # IN (rows), it looks through every team's rows for one in scope (110 ms at 100,000).
    teams = list(
        Team.objects.filter(pk__in=rows.order_by().values("team_id").distinct())
        .order_by("name")
        .values_list("pk", "name", "service_id")
    )
    team_ids = [pk for pk, _, _ in teams]
    services = {service for _, _, service in teams}
    chosen = int(team) if team and team.isdigit() and int(team) in team_ids else None
    iro_rows = rows.filter(team_id=chosen) if chosen else rows
    iros = User.objects.filter(pk__in=iro_rows.order_by().values("iro_id"))
    return FilterOptions(
        teams=[(str(pk), name) for pk, name, _ in teams],
        workers=_people(_workers(chosen=chosen, team_ids=team_ids, services=services)),
        iros=_people(iros),
        legal_statuses=legal_status_choices(),
        team_ids=team_ids,
        services=services,
    )


def person_in(*, pk: int, role: Role, options: FilterOptions, rows: QuerySet[TrackerRow]) -> bool:
    """Whether someone asked for by number is a worker of the user's teams, or an IRO of their
    children (when the list was too long to show)."""
    if role == Role.SOCIAL_WORKER:
        return (
            _workers(chosen=None, team_ids=options.team_ids, services=options.services)
            .filter(pk=pk)
            .exists()
        )
    return rows.filter(iro_id=pk).exists()


ROUTE_CHOICES = [*Route.choices, (NONE, "No plan yet")]
STATUS_CHOICES = [
    *((value, label) for value, label in Status.choices if value != Status.SUPERSEDED),
    (NONE, "No plan yet"),
]


# -- the CSV -------------------------------------------------------------------------------------

EXPORT_HEADER = (
    "child_id",
    "first_name",
    "last_name",
    "team",
    "social_worker",
    "iro",
    "legal_status",
    "court_stage",
    "looked_after_since",
    "weeks_looked_after",
    "route",
    "plan_status",
    "contingency_route",
    "next_deadline",
    "next_deadline_due",
    "next_deadline_status",
    "overdue",
    "due_soon",
    "computed_rag",
    "computed_rag_reason",
    "panel_rag",
    "panel_rag_reason",
    "panel_rag_on",
    "rag",
    # Appended last so the columns before it keep their places.
    "sibling_group",
)


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def export_rows(
    *, user: User, scope: str, filters: Filters, sort: str = DEFAULT_SORT, today: dt.date
) -> Iterator[tuple]:
    """Every row the dashboard would list with these filters, as CSV fields, read in chunks so
    that memory stays flat however many children there are (docs/tracker-dashboard.md)."""
    rows = apply_filters(rows_for_scope(user=user, scope=scope), filters)
    rows = rows.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT])[1]).for_export()
    for (
        ref,
        first,
        last,
        team,
        sw_first,
        sw_last,
        iro_first,
        iro_last,
        legal_status,
        court_stage,
        period_start,
        period_end,
        route,
        plan_status,
        contingency,
        next_rule,
        next_due,
        next_status,
        overdue,
        due_soon,
        computed,
        computed_reason,
        panel,
        panel_reason,
        panel_on,
        rag,
        sibling_count,
        sibling_placement,
        sibling_assessed_on,
    ) in rows.iterator(chunk_size=2000):
        since = period_start if period_start and not period_end else None
        yield (
            ref,
            first,
            last,
            team,
            f"{sw_first} {sw_last}".strip() if sw_first is not None else "",
            f"{iro_first} {iro_last}".strip() if iro_first is not None else "",
            legal_status,
            court_stage,
            _iso(since),
            (today - since).days // 7 if since else "",
            route,
            plan_status,
            contingency,
            next_rule or "",
            _iso(next_due),
            next_status,
            overdue,
            due_soon,
            computed,
            computed_reason,
            panel,
            panel_reason,
            _iso(panel_on),
            rag,
            siblings_summary(sibling_count, sibling_placement, sibling_assessed_on),
        )


# -- the child's page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelRating:
    """One Permanence Panel's RAG rating of the plan, with its reason and who recorded it."""

    meeting: Meeting
    held_on: dt.date
    rag: str
    reason: str
    recorded_by: User | None

    @property
    def tag(self) -> str:
        return RAG_TAGS.get(self.rag, "govuk-tag--grey")


@prepared
def _panel_meetings_rated(child_id: int):
    return (
        Meeting.objects.filter(
            child_id=child_id,
            meeting_type__kind=MeetingType.Kind.PERMANENCE_PANEL,
            held_on__isnull=False,
        )
        .exclude(rag_rating="")
        .select_related("recorded_by", "meeting_type")
        .order_by("-held_on", "-pk")
    )


def panel_ratings(*, child: Child) -> list[PanelRating]:
    """Every RAG rating a Permanence Panel has given the child's plan, newest first (004)."""
    meetings = _panel_meetings_rated(child.pk)
    return [PanelRating(m, m.held_on, m.rag_rating, m.rag_reason, m.recorded_by) for m in meetings]


def next_steps_for(*, child_ids: list[int]) -> dict[int, ChildNextStep]:
    """Each child's next step and why it is red, from the stored rows in one query (issue 16).
    The caller has already limited the children to those its reader may see."""
    rows = TrackerRow.objects.filter(child_id__in=child_ids).select_related("next_rule")
    steps = {}
    for row in rows:
        step = row.next_step
        steps[row.child_id] = ChildNextStep(step.text, step.why_red)
    return steps


@prepared
def _tracker_row(child_id: int):
    return one_row(
        TrackerRow.objects.filter(child_id=child_id).select_related(
            "next_rule", "panel_meeting", "plan"
        )
    )


def tracker_row_for_child(*, child: Child) -> TrackerRow | None:
    found = _tracker_row(child.pk)
    return found[0] if found else None


def child_panel_context(*, child: Child, user: User) -> dict:
    """The tracker section on the child's page: the RAG as computed and as the panel rated it,
    and the way to the chronology."""
    return {
        "child": child,
        "row": tracker_row_for_child(child=child),
        "chronology_url": reverse("tracker:chronology", args=[child.pk]),
    }


def route_label(route: str) -> str:
    return SHORT_ROUTE_NAMES.get(route, route)


def status_tag(status: str) -> str:
    return STATUS_TAGS.get(status, "govuk-tag--grey")
