"""Reads of the child register, limited to what the user may see (SPEC §1)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Window
from django.http import Http404
from django.utils import timezone

from permanence.access import child_visibility_q, visible_column_sql
from permanence.models import Child, Code, Episode, User
from permanence.models.codes import _CACHE_SECONDS as _CODE_CACHE_SECONDS
from permanence.models.codes import _cache as _code_cache
from permanence.prepared import prepared, prepared_for_reader
from permanence.roles import Role


def children_for_user(*, user: User) -> QuerySet[Child]:
    """The children this user has a reason to see; nobody else's (SPEC §1)."""
    q = child_visibility_q(user)
    if q is None:
        return Child.objects.none()
    return Child.objects.filter(q).distinct()


@prepared_for_reader
def _child_for_reader(visible, pk: int):
    # Every page about a child starts by reading it: compiled once per kind of reader (issue 19).
    return Child.objects.filter(pk=pk, pk__in=visible).select_related(
        "team", "social_worker", "iro", "sibling_group__assessment"
    )


def child_get_for_user(*, user: User, pk: int) -> Child:
    """One child, or 404 when the user may not know it exists (CONVENTIONS: Access)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404("No such child") from exc
    found = _child_for_reader(user, pk)
    if not found:
        raise Http404("No such child")
    return found[0]


def caseload_for_user(
    *,
    user: User,
    search: str = "",
    team_id: int | None = None,
    worker_id: int | None = None,
    legal_status: str = "",
    court_stage: str = "",
    looked_after: str = "",
) -> QuerySet[Child]:
    """The caseload screen: the user's children with their current episode, filtered.

    The open episode is joined once (a child has at most one: one_open_episode_per_child), not
    looked up by a subquery per column; the children the user may see are a semi-join, so the
    page and its count need no DISTINCT over every column, and the order by name can walk the
    index child_name_order (issue 19)."""
    visible = visible_column_sql(user, "pk")
    if visible is None:
        return Child.objects.none()
    qs = (
        Child.objects.filter(pk__in=visible)
        .select_related("team", "social_worker", "iro")
        .annotate(
            open_episode=FilteredRelation("episodes", condition=Q(episodes__dec__isnull=True))
        )
        .annotate(
            current_legal_status=F("open_episode__legal_status"),
            current_place=F("open_episode__place"),
            current_decom=F("open_episode__decom"),
        )
    )
    if search:
        term = search.strip()
        name_q = Q()
        for part in term.split():
            name_q &= Q(first_name__icontains=part) | Q(last_name__icontains=part)
        qs = qs.filter(Q(child_id__iexact=term) | name_q)
    if team_id:
        qs = qs.filter(team_id=team_id)
    if worker_id:
        qs = qs.filter(social_worker_id=worker_id)
    if legal_status:
        qs = qs.filter(current_legal_status=legal_status)
    if court_stage:
        qs = qs.filter(court_stage=court_stage)
    if looked_after == "yes":
        qs = qs.filter(current_decom__isnull=False)
    elif looked_after == "no":
        qs = qs.filter(current_decom__isnull=True)
    elif looked_after == "unborn":
        qs = qs.filter(date_of_birth__isnull=True)
    return qs.order_by("last_name", "first_name", "pk")


def looked_after_since_subquery(outer_ref: str = "pk") -> Subquery:
    """When the current period of care began: the latest episode started with RNE S.

    Only meaningful for a child with an open episode (a new period always starts with S)."""
    return Subquery(
        Episode.objects.filter(child=OuterRef(outer_ref), rne="S")
        .order_by("-decom")
        .values("decom")[:1]
    )


def looked_after_since(*, child: Child) -> dt.date | None:
    """When the child became looked after this time, or None if not looked after now (SPEC §2).

    Worked out from the child's episodes, read once (none more when the page has already read
    them: `child.episodes.all()` then answers from what it holds, issue 19)."""
    episodes = list(child.episodes.all())
    if not any(e.dec is None for e in episodes):
        return None
    starts = [e.decom for e in episodes if e.rne == "S"]
    return max(starts) if starts else None


def code_choices(list_name: str, *, include_retired: bool = False) -> list[tuple[str, str]]:
    """(code, "code: meaning") pairs for a select list of SSDA903 codes."""
    qs = Code.objects.filter(list_name=list_name)
    if not include_retired:
        qs = qs.filter(retired_from__isnull=True)
    return [(c.code, f"{c.code}: {c.description}") for c in qs.order_by("code")]


def code_meanings(list_name: str) -> dict[str, str]:
    """What each code of one SSDA903 list means."""
    return code_meanings_of(list_name)[str(list_name)]


def code_meanings_of(*list_names: str) -> dict[str, dict[str, str]]:
    """The meanings of several lists' codes, by list: the lists not read in the last few
    minutes in one query, the others from what this process holds (the lists change once a
    year; `Code.forget_cached` drops them, as it does the lists of valid codes)."""
    now = time.monotonic()
    names = [str(name) for name in list_names]
    meanings: dict[str, dict[str, str]] = {}
    stale = []
    for name in names:
        cached = _code_cache.get(("meanings", name))
        if cached is None or now - cached[0] > _CODE_CACHE_SECONDS:
            stale.append(name)
        else:
            meanings[name] = cached[1]
    if stale:
        read: dict[str, dict[str, str]] = {name: {} for name in stale}
        rows = Code.objects.filter(list_name__in=stale).values_list(
            "list_name", "code", "description"
        )
        for list_name, code, description in rows:
            read[list_name][code] = description
        for name, codes in read.items():
            _code_cache[("meanings", name)] = (now, codes)
        meanings.update(read)
    # A copy for each caller: a page may not change what the next one reads.
    return {name: dict(meanings[name]) for name in names}


# How long a person's caseload filter lists are kept (issue 19), as the tracker keeps its own:
# the teams and social workers of their children change with allocations, rarely within a
# minute. A team or worker added since is offered within the minute; the children the list
# shows are always read afresh, filtered by what the person may see.
FILTER_OPTIONS_SECONDS = 60


def caseload_filter_options(*, user: User) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The teams and the social workers the caseload's filters offer, as (pk, name): only those
    of the children the user may see, never every team and worker of the authority (issue 19).
    Two queries, whatever the number of children, kept for a minute per person."""
    return cache.get_or_set(
        f"caseload:filter-options:{user.pk}",
        lambda: _caseload_filter_options(user=user),
        FILTER_OPTIONS_SECONDS,
    )


def _caseload_filter_options(*, user: User):
    from permanence.models import Team

    team_ids = visible_column_sql(user, "team_id")
    if team_ids is None:
        return [], []
    teams = list(Team.objects.filter(pk__in=team_ids).order_by("name").values_list("pk", "name"))
    workers = User.objects.filter(
        groups__name=Role(Role.SOCIAL_WORKER).label,
        is_active=True,
        team_id__in=[pk for pk, _ in teams],
    ).order_by("first_name", "last_name", "pk")
    people = [
        (pk, f"{first} {last}".strip() or username)
        for pk, first, last, username in workers.values_list(
            "pk", "first_name", "last_name", "username"
        )
    ]
    return teams, people


def staff_with_role(*, role: Role, service_id: int | None = None) -> QuerySet[User]:
    """Active staff holding `role`, optionally only within one service."""
    qs = User.objects.filter(groups__name=Role(role).label, is_active=True)
    if service_id:
        qs = qs.filter(team__service_id=service_id)
    return qs.order_by("first_name", "last_name").distinct()


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: User | None
    subject: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]]


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
_HIDDEN_FIELDS = {"updated_at", "created_at", "id"}


def _entries(records, subject_for, shown=None) -> list[HistoryEntry]:
    """Each history row against the one before it for the same record, compared in memory: a
    row's `prev_record` would ask the database once per row (issue 19). Only the rows in
    SHOWN (history ids; None for all) are compared and returned."""
    out = []
    previous_of: dict[object, object] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        changes = []
        previous = previous_of.get(record.id)
        previous_of[record.id] = record
        if shown is not None and record.history_id not in shown:
            continue
        if previous is not None and record.history_type == "~":
            excluded = {f.name for f in record.instance_type._meta.many_to_many}
            delta = record.diff_against(previous, excluded_fields=excluded)
            for change in delta.changes:
                if change.field in _HIDDEN_FIELDS:
                    continue
                field = record.instance_type._meta.get_field(change.field)
                changes.append(
                    (str(field.verbose_name).capitalize(), _shown(change.old), _shown(change.new))
                )
        out.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                subject=subject_for(record),
                action=_ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return out


def _shown(value) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# The child's page shows the latest changes; the whole history has a page of its own.
HISTORY_ON_CHILD_PAGE = 20


@dataclass
class History:
    entries: list[HistoryEntry]
    # How many changes are recorded in all, shown or not.
    total: int


def _latest_changes(child_id: int, latest: int):
    # The newest LATEST changes to the child, and the one before them to compare the oldest
    # with, each row carrying how many there are in all: a child with 300 changes is not read
    # whole (and each made an instance) to show 20.
    return (
        Child.history.filter(id=child_id)
        .select_related("history_user")
        .annotate(changes_in_all=Window(Count("pk")))
        .order_by("-history_date", "-history_id")[: latest + 1]
    )


@prepared
def _latest_child_changes(child_id: int):
    """The child's page's read of its history, compiled once (permanence.prepared)."""
    return _latest_changes(child_id, HISTORY_ON_CHILD_PAGE)


@prepared
def _episode_changes(child_id: int):
    return Episode.history.filter(child_id=child_id).select_related("history_user")


def child_history(*, child: Child, latest: int | None = None) -> History:
    """The recorded changes to the child and their episodes, newest first, with who made them:
    the LATEST so many (None: every one), and how many there are in all."""
    if latest is None:
        child_rows = list(child.history.select_related("history_user").order_by("history_date"))
        child_total = len(child_rows)
    else:
        child_rows = (
            _latest_child_changes(child.pk)
            if latest == HISTORY_ON_CHILD_PAGE
            else list(_latest_changes(child.pk, latest))
        )
        child_total = child_rows[0].changes_in_all if child_rows else 0
    episode_rows = _episode_changes(child.pk)
    newest = sorted(
        [(r.history_date, 0, r.history_id) for r in child_rows]
        + [(r.history_date, 1, r.history_id) for r in episode_rows],
        reverse=True,
    )
    if latest is not None:
        newest = newest[:latest]
    shown = {kind: {pk for _, k, pk in newest if k == kind} for kind in (0, 1)}
    entries = _entries(child_rows, lambda r: "Child's details", shown[0]) + _entries(
        episode_rows, lambda r: f"Episode from {r.decom:%d/%m/%Y}", shown[1]
    )
    return History(
        sorted(entries, key=lambda e: e.when, reverse=True), child_total + len(episode_rows)
    )


def today() -> dt.date:
    return timezone.localdate()
