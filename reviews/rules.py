"""Who may do what in the IRO's work (SPEC §1): the role's permission and the relationship.

The child's own IRO books, records and cancels reviews, completes the checklist and PPN1;
managers allocate the IRO; anyone who may see the child may read its reviews; the Permanency
Planning Meeting is booked by the child's team or managers, or the managers the PPN1 went to;
the SGO referral is recorded by the child's social worker or those who may edit the child (003).
"""

import rules

from permanence.rules import can_edit_child, can_see_child, child_of, is_childs_iro, role_perm


@rules.predicate
def is_childs_social_worker(user, obj) -> bool:
    child = child_of(obj)
    return child is not None and child.social_worker_id == user.pk


@rules.predicate
def ppn1_went_to(user, obj) -> bool:
    return user.pk in (
        getattr(obj, "adoption_manager_id", None),
        getattr(obj, "fostering_manager_id", None),
        getattr(obj, "admin_officer_id", None),
    )


def _perm(name: str, predicate) -> None:
    rules.add_perm(f"reviews.{name}", role_perm(f"reviews.{name}") & predicate)


_perm("view_review", can_see_child)
_perm("add_review", is_childs_iro)
_perm("change_review", is_childs_iro)
_perm("view_iroallocation", can_see_child)
_perm("add_iroallocation", can_edit_child)
_perm("view_ratificationcheck", can_see_child)
_perm("add_ratificationcheck", is_childs_iro)
_perm("view_ppn1", can_see_child)
_perm("add_ppn1", is_childs_iro)
_perm("change_ppn1", can_edit_child | is_childs_iro | ppn1_went_to)
_perm("view_sgoreferral", can_see_child)
_perm("add_sgoreferral", is_childs_social_worker | can_edit_child)
_perm("change_sgoreferral", is_childs_social_worker | can_edit_child)
