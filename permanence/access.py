"""Who may see which child (SPEC §1): one place for the rule, as a query and as a predicate.

Every page, list, export, search, notification and admin page holds to this one scope:

- social worker: their team's caseload;
- IRO: the children allocated to them;
- team manager and head of service: every child of the service they oversee;
- forum chair: the children booked into the sessions they chair, and those of the meetings they
  arranged or attend (registered by `forums.access`);
- CPS duty: the children with a permanency forum booking, those in the search for a placement
  in its service (a disruption, a matching panel), and those of its meetings (registered by
  `forums.access`, which says why);
- anyone given an action on a child's plan (a Part 2 task, say): that child, to do it;
- adoption manager, fostering services manager and IRO manager: every child of the service
  they oversee, to track all the plans together (002 §12); they change no child's record;
- administrator: no child. Their work is users, teams, roles, panel types and timescales, and
  the admin pages show no child record.

Other apps widen access for their own relationships by registering a grant here, so
`permanence` never imports them. A service telling someone about a child passes its recipients
through `who_may_see`, so nobody is told about a child they could not open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models import Q

from permanence.roles import MANAGER_ROLES, TRACKING_ROLES, Role


@dataclass(frozen=True)
class Grant:
    """A relationship that lets a user see a child: a query for lists, a test for one child.

    `as_q` is written from the user's id, roles, team and service only, never from rows it
    reads in Python: its SQL is compiled once for every reader with the same roles
    (`_visible_ids`). What the data says belongs in the query's subqueries."""

    as_q: Callable[[object], Q | None]
    allows: Callable[[object, object], bool]


_grants: list[Grant] = []


def register_grant(grant: Grant) -> None:
    """Let another app add a relationship that gives access (called from AppConfig.ready)."""
    if grant not in _grants:
        _grants.append(grant)


def _core_q(user) -> list[Q]:
    """The user's own relationships to children, one filter each."""
    branches = []
    if user.has_role(Role.SOCIAL_WORKER) and user.team_id:
        branches.append(Q(team_id=user.team_id))
    if user.has_role(Role.IRO):
        branches.append(Q(iro_id=user.pk))
    if user.roles & (MANAGER_ROLES | TRACKING_ROLES) and user.oversight_service_id:
        branches.append(Q(team__service_id=user.oversight_service_id))
    branches.append(_plan_action_q(user))
    branches.append(_family_finding_q(user))
    return [q for q in branches if q is not None]


def _core_allows(user, child) -> bool:
    if user.has_role(Role.SOCIAL_WORKER) and user.team_id and child.team_id == user.team_id:
        return True
    if user.has_role(Role.IRO) and child.iro_id == user.pk:
        return True
    return (
        _manages(user, child)
        or _tracks(user, child)
        or _owns_plan_action(user, child)
        or _in_family_finding(user, child)
    )


# -- family finding (issue 14; 000 "Progressing the plan", "Identification") ---------------------
#
# CPS duty, the permanence coordinator, co-ordinates family finding for its service (or every
# service, for a desk recorded with none): it sees the children whose ratified plan is being
# taken forward towards a family, and those with a search, a potential match or an allocation
# recorded. Whoever is allocated to take the plan forward (a family finder, an SGO assessing
# worker, the carers' supervising social worker) sees that child while allocated.

FAMILY_FINDING_ROUTES = ("adoption", "long_term_fostering", "sgo_cao", "connected_person")
FAMILY_FINDING_STATES = ("ratified", "in_implementation")


def _family_finding_children_q(service_id: int | None) -> Q:
    from permanence.models import FamilySearch, Plan, PotentialMatch

    q = (
        Q(
            pk__in=Plan.objects.filter(
                route__in=FAMILY_FINDING_ROUTES, status__in=FAMILY_FINDING_STATES
            ).values("child_id")
        )
        | Q(pk__in=FamilySearch.objects.values("plan__child_id"))
        | Q(pk__in=PotentialMatch.objects.values("plan__child_id"))
    )
    if service_id:
        q &= Q(team__service_id=service_id)
    return q


def _family_finding_q(user) -> Q | None:
    from permanence.models import FamilyFindingAllocation

    q = None
    if user.has_role(Role.CPS_DUTY):
        q = _family_finding_children_q(user.oversight_service_id)
    if user.roles and user.roles != {Role.ADMINISTRATOR}:
        allocated = FamilyFindingAllocation.objects.filter(
            worker_id=user.pk, ended_on__isnull=True
        ).values("plan__child_id")
        q = _or(q, Q(pk__in=allocated))
    return q


def _in_family_finding(user, child) -> bool:
    from permanence.models import Child, FamilyFindingAllocation

    if not user.roles or user.roles == {Role.ADMINISTRATOR}:
        return False
    if FamilyFindingAllocation.objects.filter(
        worker_id=user.pk, ended_on__isnull=True, plan__child_id=child.pk
    ).exists():
        return True
    if not user.has_role(Role.CPS_DUTY):
        return False
    service_id = user.oversight_service_id
    return Child.objects.filter(pk=child.pk).filter(_family_finding_children_q(service_id)).exists()


def _plan_action_q(user) -> Q | None:
    # Whoever is given an action on a child's plan (a Part 2 task, say) has a reason to open
    # the child: they are told of it and tick it off there. Not the administrator.
    if not user.roles or user.roles == {Role.ADMINISTRATOR}:
        return None
    from permanence.models import PlanAction

    return Q(pk__in=PlanAction.objects.filter(owner_id=user.pk).values("plan__child_id"))


def _owns_plan_action(user, child) -> bool:
    if not user.roles or user.roles == {Role.ADMINISTRATOR}:
        return False
    from permanence.models import PlanAction

    return PlanAction.objects.filter(owner_id=user.pk, plan__child_id=child.pk).exists()


def _manages(user, child) -> bool:
    service_id = user.oversight_service_id
    return bool(user.roles & MANAGER_ROLES and service_id and child.team.service_id == service_id)


def _tracks(user, child) -> bool:
    service_id = user.oversight_service_id
    return bool(user.roles & TRACKING_ROLES and service_id and child.team.service_id == service_id)


def _or(left: Q | None, right: Q | None) -> Q | None:
    if left is None:
        return right
    if right is None:
        return left
    return left | right


def _either(q: Q) -> list[Q]:
    """The alternatives of a filter that is "this OR that OR …", each on its own; else itself."""
    if q.connector != Q.OR or q.negated or len(q.children) < 2:
        return [q]
    return [
        part
        for child in q.children
        for part in _either(child if isinstance(child, Q) else Q(child))
    ]


def child_visibility_branches(user) -> list[Q]:
    """Each relationship that lets `user` see children, as its own filter on Child: the
    children they may see are those any one of them matches (empty: none at all)."""
    if not user.is_authenticated or not user.is_active:
        return []
    found = _core_q(user) + [q for q in (g.as_q(user) for g in _grants) if q is not None]
    return [branch for q in found for branch in _either(q)]


def union_of_children(branches: list[Q], columns: tuple[str, ...] = ("pk",)):
    """The ids (or COLUMNS) of the children any of BRANCHES matches, as one subquery (UNION
    ALL)."""
    from permanence.models import Child

    ids = [Child.objects.filter(q).order_by().values(*columns) for q in branches]
    return ids[0].union(*ids[1:], all=True) if len(ids) > 1 else ids[0]


def child_visibility_q(user) -> Q | None:
    """The children `user` may see, as a filter; None means none at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    # Each relationship is its own subquery of child ids, put together with UNION ALL, never
    # one WHERE of ORs: PostgreSQL cannot estimate "team = 2 OR id IN (…) OR id IN (…)" and
    # takes a social worker's 200 children for most of the authority, then plans every page
    # that joins them for thousands of rows (issue 19: 142 ms against 2 ms). Each branch here
    # is estimated on its own index.
    ids = _visible_ids(user)
    return None if ids is None else Q(pk__in=ids)


# -- the reader's children, compiled once per kind of reader (issue 19) -------------------------
#
# Every page filters by the children its reader may see, often twice. Building that UNION of
# relationships and compiling it took 3 to 7 ms of each page (more for CPS duty, whose reasons
# are many). The SQL depends only on the reader's roles and on whether they have a team and a
# service to oversee (every grant's `as_q` is written from those and the reader's own id, team
# and service, never from the data), so it is compiled once per process for each such kind of
# reader, with stand-in numbers where the reader's own go, and their numbers are put in at each
# read. The rows are always read fresh: only the statement's text is kept.

_STAND_IN_USER = -2_147_460_001
_STAND_IN_TEAM = -2_147_460_002
_STAND_IN_SERVICE = -2_147_460_003
_compiled_visibility: dict[tuple, tuple[str, tuple, tuple[tuple[int, str], ...]] | None] = {}


def reader_kind(user) -> tuple:
    """What the SQL of the children USER may see depends on: equal for readers whose statements
    differ only in their own numbers (`reader_numbers`)."""
    from django.db import connection

    service = user.oversight_service_id
    return (connection.vendor, user.roles, user.team_id is not None, service is not None)


_WHOSE = {_STAND_IN_USER: "pk", _STAND_IN_TEAM: "team_id", _STAND_IN_SERVICE: "service"}


def stand_in_branches(kind: tuple) -> list[Q]:
    """`child_visibility_branches` of a reader of KIND, with stand-in numbers where the
    reader's own go (`compile_for_kind` and `filled_q` put theirs in)."""
    from permanence.models import User

    _vendor, roles, has_team, has_service = kind
    stand_in = User(
        pk=_STAND_IN_USER,
        team_id=_STAND_IN_TEAM if has_team else None,
        service_id=_STAND_IN_SERVICE if has_service else None,
        is_active=True,
    )
    stand_in._roles_cache = roles
    return child_visibility_branches(stand_in)


def compile_for_kind(queryset) -> tuple[str, tuple, tuple[tuple[int, str], ...]]:
    """QUERYSET's SQL, written from `stand_in_branches`, its parameters and where the reader's
    own numbers go among them (for `filled`)."""
    from django.db import connection

    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    slots = tuple((i, _WHOSE[p]) for i, p in enumerate(params) if p in _WHOSE)
    return sql, tuple(params), slots


def own_numbers(user) -> dict[str, int | None]:
    """The reader's own numbers, by the name a stand-in's place has (`compile_for_kind`)."""
    return {"pk": user.pk, "team_id": user.team_id, "service": user.oversight_service_id}


def filled(compiled, own: dict[str, int | None]) -> tuple[str, list]:
    """A statement from `compile_for_kind`, with the reader's OWN numbers in their places."""
    sql, params, slots = compiled
    params = list(params)
    for index, name in slots:
        params[index] = own[name]
    return sql, params


def _filled_value(value, own: dict[str, int | None]):
    if isinstance(value, int) and not isinstance(value, bool) and value in _WHOSE:
        return own[_WHOSE[value]]
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(_filled_value(item, own) for item in value)
    return value


def filled_q(q: Q, own: dict[str, int | None]) -> Q:
    """A filter of plain values from `stand_in_branches` (no subquery or expression), with the
    reader's OWN numbers where the stand-ins are."""
    children = [
        filled_q(child, own) if isinstance(child, Q) else (child[0], _filled_value(child[1], own))
        for child in q.children
    ]
    return Q(*children, _connector=q.connector, _negated=q.negated)


def _compile_visibility(kind: tuple, columns: tuple[str, ...] = ("pk",)):
    """The UNION's SQL for readers of KIND (each child's COLUMNS), its parameters, and where the
    reader's own numbers go among them; None when such a reader sees no child."""
    branches = stand_in_branches(kind)
    if not branches:
        return None
    return compile_for_kind(union_of_children(branches, columns))


def _compiled_for(kind: tuple, columns: tuple[str, ...] = ("pk",)):
    key = (kind, columns)
    if key not in _compiled_visibility:
        _compiled_visibility[key] = _compile_visibility(kind, columns)
    return _compiled_visibility[key]


def _filled(compiled, numbers: tuple[int, ...]) -> tuple[str, list]:
    return filled(compiled, dict(zip(_used(compiled[2]), numbers, strict=True)))


def _used(slots) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for _index, name in slots))


def reader_numbers(user) -> tuple[int, ...]:
    """The reader's own numbers that the SQL of their kind takes, in order: those of their id,
    their team and the service they oversee that it uses."""
    compiled = _compiled_for(reader_kind(user))
    if compiled is None:
        return ()
    own = {"pk": user.pk, "team_id": user.team_id, "service": user.oversight_service_id}
    return tuple(own[name] for name in _used(compiled[2]))


def visible_ids_sql(kind: tuple, numbers: tuple[int, ...]):
    """The ids of the children a reader of KIND with NUMBERS (`reader_numbers`) may see, as a
    subquery for `pk__in`; None for none."""
    from django.db.models import BigIntegerField
    from django.db.models.expressions import RawSQL

    compiled = _compiled_for(kind)
    if compiled is None:
        return None
    sql, params = _filled(compiled, numbers)
    # SQL that Django compiled from our own querysets; every value goes as a parameter.
    return RawSQL(sql, params, output_field=BigIntegerField())  # noqa: S611


def visible_column_sql(user, column: str):
    """COLUMN ("pk", "team_id") of the children USER may see, each relationship's put together
    with UNION ALL (a child seen twice there twice, for `__in`), as a subquery compiled once per
    kind of reader; None for none. Not `Child.objects.filter(child_visibility_q(user))`, which
    reads the children again by id (25,000 look-ups for a head of service, per query)."""
    from django.conf import settings
    from django.db import connection
    from django.db.models import BigIntegerField
    from django.db.models.expressions import RawSQL

    if not user.is_authenticated or not user.is_active:
        return None
    compiled = _compiled_for(reader_kind(user), (column,))
    if compiled is None:
        return None
    sql, params = filled(compiled, own_numbers(user))
    if getattr(settings, "PREPARED_STATEMENTS_CHECK", False):
        # The tests' check: the kept statement is the one this reader's own relationships give.
        fresh = union_of_children(child_visibility_branches(user), (column,))
        fresh_sql, fresh_params = fresh.query.get_compiler(connection=connection).as_sql()
        if (fresh_sql, list(fresh_params)) != (sql, params):
            raise AssertionError(f"{user}'s children are read otherwise than kept: {sql}")
    # SQL that Django compiled from our own querysets; every value goes as a parameter.
    return RawSQL(sql, params, output_field=BigIntegerField())  # noqa: S611


def visible_children_and_teams(user) -> list[tuple[int, int | None]]:
    """(id, team) of each child USER may see, straight from the compiled UNION: a child seen
    through two relationships comes twice."""
    from django.db import connection

    if not user.is_authenticated or not user.is_active:
        return []
    compiled = _compiled_for(reader_kind(user), ("pk", "team_id"))
    if compiled is None:
        return []
    sql, params = _filled(compiled, reader_numbers(user))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _visible_ids(user):
    """The ids of the children USER may see, as a subquery for `pk__in`; None for none."""
    return visible_ids_sql(reader_kind(user), reader_numbers(user))


def user_can_see_child(user, child) -> bool:
    """Whether `user` may see `child`: the same rule as `child_visibility_q`. Worked out once per
    child while a page is read under `reading_child_page`."""
    if not user.is_authenticated or not user.is_active:
        return False
    known = getattr(user, "_children_seen", None)
    if known is not None and child.pk in known:
        return known[child.pk]
    answer = _core_allows(user, child) or any(g.allows(user, child) for g in _grants)
    if known is not None:
        known[child.pk] = answer
    return answer


@contextmanager
def reading_child_page(user, child):
    """While a page about CHILD is read: `user_can_see_child(user, …)` works each child out once,
    not once for each section's permission (CPS duty's reasons to open a child are several
    queries each: issue 19), and knows CHILD is visible, since the page has just read it through
    `child_visibility_q` (the same rule). Nothing is remembered afterwards, so a change to who
    may see whom, in this request or the next, is seen by the next check."""
    if not user.is_authenticated:
        yield
        return
    outer = getattr(user, "_children_seen", None)
    user._children_seen = {**(outer or {}), child.pk: True}
    try:
        yield
    finally:
        if outer is None:
            del user._children_seen
        else:
            user._children_seen = outer


def user_can_edit_child(user, child) -> bool:
    """Whether `user` may change `child`'s record: their own team's worker or a manager."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(Role.SOCIAL_WORKER) and user.team_id and child.team_id == user.team_id:
        return True
    return _manages(user, child)


# -- carer households (issue 14): nobody sees a household without a reason ------------------------
#
# CPS duty and the permanence coordinator keep the register, and the fostering and adoption
# managers oversee it, each for their service (CPS duty recorded with no service: every
# household); the household's supervising social worker sees it. Anyone else sees a household
# only when it is linked, as a potential match, to a child they may see: the child's social
# worker, IRO and managers. Only those who keep the register and the supervising social worker
# read the carers' contact details: a child's social worker goes through the supervising social
# worker (000).

HOUSEHOLD_MANAGER_ROLES = frozenset({Role.ADOPTION_MANAGER, Role.FOSTERING_MANAGER})


def _keeper_q(user) -> Q | None:
    q = None
    if user.has_role(Role.CPS_DUTY):
        service_id = user.oversight_service_id
        q = Q(service_id=service_id) if service_id else Q(pk__isnull=False)
    if user.roles & HOUSEHOLD_MANAGER_ROLES and user.oversight_service_id:
        q = _or(q, Q(service_id=user.oversight_service_id))
    return _or(q, Q(supervising_social_worker_id=user.pk))


def household_visibility_q(user) -> Q | None:
    """The carer households `user` may see, as a filter on CarerHousehold; None for none."""
    if not user.is_authenticated or not user.is_active or not user.roles:
        return None
    if user.roles == {Role.ADMINISTRATOR}:
        return None
    q = _keeper_q(user)
    children = child_visibility_q(user)
    if children is not None:
        from permanence.models import Child, PotentialMatch

        linked = PotentialMatch.objects.filter(
            plan__child__in=Child.objects.filter(children).values("pk")
        ).values("carer_id")
        q = _or(q, Q(pk__in=linked))
    return q


def user_can_see_household(user, household) -> bool:
    """Whether `user` may open `household`: the same rule as `household_visibility_q`."""
    q = household_visibility_q(user)
    if q is None:
        return False
    return type(household).objects.filter(q).filter(pk=household.pk).exists()


def user_keeps_household(user, household) -> bool:
    """Whether `user` reads the carers' contact details and may change the household: CPS duty
    of its service, or (contact details only) its managers and supervising social worker."""
    if not user.is_authenticated or not user.is_active or not user.roles:
        return False
    keeper = _keeper_q(user)
    return type(household).objects.filter(keeper).filter(pk=household.pk).exists()


def user_can_edit_household(user, household=None) -> bool:
    """CPS duty keeps the register, for its own service's households (or every service)."""
    if not user.is_authenticated or not user.is_active or not user.has_role(Role.CPS_DUTY):
        return False
    if household is None or household.pk is None:
        return True
    service_id = user.oversight_service_id
    return not service_id or household.service_id == service_id


def who_may_see(users: Iterable, child) -> list:
    """Those of `users` who may see `child`: whoever else is told about it learns nothing."""
    return [u for u in users if u is not None and user_can_see_child(u, child)]


def scope_sentence(user) -> str:
    """The children a list shows this user, in the words of the rule above (SPEC §1)."""
    if user.roles & (MANAGER_ROLES | TRACKING_ROLES) and user.oversight_service_id:
        return "Every child in your service."
    if user.has_role(Role.SOCIAL_WORKER) and user.team_id:
        return "Your team's caseload."
    if user.has_role(Role.IRO):
        return "The children allocated to you as their IRO."
    # Chairs, CPS duty, admin officers: children reach them through their work, not a team.
    return "The children your work on forums, meetings and reviews brings you."
