"""Who may see which child (SPEC §1): one place for the rule, as a query and as a predicate.

A social worker sees their team's caseload; an IRO the children allocated to them; managers
their service. Other apps widen access for their own relationships (a forum chair sees the
children booked into their forums) by registering a grant here, so `permanence` never imports
them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from permanence.roles import MANAGER_ROLES, Role


@dataclass(frozen=True)
class Grant:
    """A relationship that lets a user see a child: a query for lists, a test for one child."""

    as_q: Callable[[object], Q | None]
    allows: Callable[[object, object], bool]


_grants: list[Grant] = []


def register_grant(grant: Grant) -> None:
    """Let another app add a relationship that gives access (called from AppConfig.ready)."""
    if grant not in _grants:
        _grants.append(grant)


def _core_q(user) -> Q | None:
    q = None
    if user.has_role(Role.SOCIAL_WORKER) and user.team_id:
        q = _or(q, Q(team_id=user.team_id))
    if user.has_role(Role.IRO):
        q = _or(q, Q(iro_id=user.pk))
    if user.roles & MANAGER_ROLES and user.oversight_service_id:
        q = _or(q, Q(team__service_id=user.oversight_service_id))
    return q


def _core_allows(user, child) -> bool:
    if user.has_role(Role.SOCIAL_WORKER) and user.team_id and child.team_id == user.team_id:
        return True
    if user.has_role(Role.IRO) and child.iro_id == user.pk:
        return True
    return _manages(user, child)


def _manages(user, child) -> bool:
    service_id = user.oversight_service_id
    return bool(user.roles & MANAGER_ROLES and service_id and child.team.service_id == service_id)


def _or(left: Q | None, right: Q | None) -> Q | None:
    if left is None:
        return right
    if right is None:
        return left
    return left | right


def child_visibility_q(user) -> Q | None:
    """The children `user` may see, as a filter; None means none at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    q = _core_q(user)
    for grant in _grants:
        q = _or(q, grant.as_q(user))
    return q


def user_can_see_child(user, child) -> bool:
    """Whether `user` may see `child`: the same rule as `child_visibility_q`."""
    if not user.is_authenticated or not user.is_active:
        return False
    return _core_allows(user, child) or any(g.allows(user, child) for g in _grants)


def user_can_edit_child(user, child) -> bool:
    """Whether `user` may change `child`'s record: their own team's worker or a manager."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(Role.SOCIAL_WORKER) and user.team_id and child.team_id == user.team_id:
        return True
    return _manages(user, child)
