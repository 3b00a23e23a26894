"""Who may do what to a plan (SPEC §1, §3): the role's permission and the relationship.

The social worker (and their managers) draft and change the plan; the forum chair and CPS duty
may also record that it was presented (000); the child's own IRO ratifies it at a review, and a
group manager (head of service or forum chair) may ratify the final plan before it is filed to
court (004). Anyone working on the child may add actions; an action's owner may tick it off.
"""

import rules

from permanence.access import user_can_edit_child, user_can_see_child
from permanence.models import Child
from permanence.roles import Role
from permanence.rules import role_perm


def _child(obj):
    if obj is None or isinstance(obj, Child):
        return obj
    if hasattr(obj, "child"):
        return obj.child
    return obj.plan.child  # a plan action


@rules.predicate
def can_see_plan_child(user, obj) -> bool:
    child = _child(obj)
    return child is not None and user_can_see_child(user, child)


@rules.predicate
def can_edit_plan_child(user, obj) -> bool:
    child = _child(obj)
    return child is not None and user_can_edit_child(user, child)


@rules.predicate
def is_childs_iro(user, obj) -> bool:
    child = _child(obj)
    return child is not None and child.iro_id == user.pk and user.has_role(Role.IRO)


@rules.predicate
def owns_action(user, obj) -> bool:
    return getattr(obj, "owner_id", None) == user.pk


def _perm(name: str, predicate) -> None:
    rules.add_perm(f"permanence.{name}", role_perm(f"permanence.{name}") & predicate)


_perm("view_plan", can_see_plan_child)
_perm("add_plan", can_edit_plan_child)
_perm("change_plan", can_edit_plan_child)
_perm("present_plan", can_see_plan_child)
_perm("ratify_plan", is_childs_iro)
_perm("ratify_final_plan", can_see_plan_child)
_perm("add_planaction", can_see_plan_child)
_perm("change_planaction", can_see_plan_child & (owns_action | can_edit_plan_child))
_perm("add_optionconsidered", can_edit_plan_child)
