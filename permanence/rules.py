"""Object permissions for the child register, as `rules` predicates (see permanence.access)."""

import rules

from permanence.access import user_can_edit_child, user_can_see_child
from permanence.authcache import CachedModelBackend
from permanence.models import Child
from permanence.roles import Role

_model_backend = CachedModelBackend()


def role_perm(name: str) -> rules.Predicate:
    """The role (group) carries the model permission `name`."""

    @rules.predicate(name=f"role_perm:{name}")
    def check(user) -> bool:
        return _model_backend.has_perm(user, name)

    return check


def child_of(obj) -> Child | None:
    """The child an object is about: the child itself, the record's `child`, or, for a plan
    action, its plan's child. Every app's permissions ask this one question."""
    if obj is None or isinstance(obj, Child):
        return obj
    if hasattr(obj, "child"):
        return obj.child
    plan = getattr(obj, "plan", None)
    return plan.child if plan is not None else None


@rules.predicate
def can_see_child(user, obj) -> bool:
    """The user may see the child (OBJ is the child or a record about it)."""
    child = child_of(obj)
    return child is not None and user_can_see_child(user, child)


@rules.predicate
def can_edit_child(user, obj) -> bool:
    """The user may change the child's record (OBJ is the child or a record about it)."""
    child = child_of(obj)
    return child is not None and user_can_edit_child(user, child)


@rules.predicate
def is_childs_iro(user, obj) -> bool:
    """The user is the IRO allocated to the child (OBJ is the child or a record about it)."""
    child = child_of(obj)
    return child is not None and child.iro_id == user.pk and user.has_role(Role.IRO)


rules.add_perm("permanence.view_child", role_perm("permanence.view_child") & can_see_child)
rules.add_perm("permanence.change_child", role_perm("permanence.change_child") & can_edit_child)
rules.add_perm("permanence.add_episode", role_perm("permanence.add_episode") & can_edit_child)
rules.add_perm("permanence.change_episode", role_perm("permanence.change_episode") & can_edit_child)

# A connected person's temporary approval (CPPCR 2010 regs 24-25): recorded by those who may
# change the child's record, seen by anyone who may see the child. The object is the child.
rules.add_perm(
    "permanence.view_connectedpersonapproval",
    role_perm("permanence.view_connectedpersonapproval") & can_see_child,
)
rules.add_perm(
    "permanence.add_connectedpersonapproval",
    role_perm("permanence.add_connectedpersonapproval") & can_edit_child,
)
rules.add_perm(
    "permanence.change_connectedpersonapproval",
    role_perm("permanence.change_connectedpersonapproval") & can_edit_child,
)
