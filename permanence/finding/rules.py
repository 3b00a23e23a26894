"""Who may do what in family finding (issue 14): the role's permission and the relationship.

CPS duty, the permanence coordinator, keeps the carers' register and allocates a family finder,
an SGO assessing worker or the carers' supervising social worker once the plan is ratified
(000, 003); managers may allocate too. The search, the potential matches and the orders are
the joint work of the child's social worker and CPS duty (000 "Identification"). Everyone
else who may see the child reads them.
"""

import rules

from permanence.access import user_can_edit_household, user_can_see_household
from permanence.rules import can_see_child, role_perm


@rules.predicate
def can_see_household(user, obj) -> bool:
    return obj is not None and user_can_see_household(user, obj)


@rules.predicate
def can_edit_household(user, obj) -> bool:
    return user_can_edit_household(user, obj)


def _perm(name: str, predicate) -> None:
    rules.add_perm(f"permanence.{name}", role_perm(f"permanence.{name}") & predicate)


_perm("view_carerhousehold", can_see_household)
_perm("add_carerhousehold", can_edit_household)
_perm("change_carerhousehold", can_edit_household)
for _model in ("familyfindingallocation", "familysearch", "potentialmatch", "orderrecord"):
    for _action in ("view", "add", "change"):
        _perm(f"{_action}_{_model}", can_see_child)
for _action in ("view", "add", "change"):
    _perm(f"{_action}_sgoassessment", can_see_child)
