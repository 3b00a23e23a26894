"""Who may do what to a plan (SPEC §1, §3): the role's permission and the relationship.

The social worker (and their managers) draft and change the plan; the forum chair and CPS duty
may also record that it was presented (000); the child's own IRO ratifies it at a review, and a
group manager (head of service or forum chair) may ratify the final plan before it is filed to
court (004). Anyone working on the child may add actions; an action's owner may tick it off.
"""

import rules

from permanence.rules import can_edit_child, can_see_child, is_childs_iro, role_perm


@rules.predicate
def owns_action(user, obj) -> bool:
    return getattr(obj, "owner_id", None) == user.pk


def _perm(name: str, predicate) -> None:
    rules.add_perm(f"permanence.{name}", role_perm(f"permanence.{name}") & predicate)


_perm("view_plan", can_see_child)
_perm("add_plan", can_edit_child)
_perm("change_plan", can_edit_child)
_perm("present_plan", can_see_child)
_perm("ratify_plan", is_childs_iro)
_perm("ratify_final_plan", can_see_child)
_perm("add_planaction", can_see_child)
_perm("change_planaction", can_see_child & (owns_action | can_edit_child))
_perm("add_optionconsidered", can_edit_child)
