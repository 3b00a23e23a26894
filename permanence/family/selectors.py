"""Reads about the people around the child, as the reader may see them (SPEC §1): a brother or
sister outside the reader's scope is counted, never named."""

from __future__ import annotations

from dataclasses import dataclass, field

from permanence.access import user_can_see_child
from permanence.models import Child, ContactArrangement, SiblingGroup


@dataclass
class Member:
    child: Child | None  # None when the reader may not open that child
    is_this_child: bool
    lives_apart: bool
    contact: list[ContactArrangement] = field(default_factory=list)


def _sibling_contact(group: SiblingGroup) -> list[ContactArrangement]:
    return list(
        ContactArrangement.objects.filter(
            child__sibling_group=group,
            relationship=ContactArrangement.With.SIBLING,
            ended_on__isnull=True,
        ).select_related("child", "sibling")
    )


def sibling_section(*, child: Child, user) -> dict:
    """The child's sibling group for a page: who is in it, who lives apart and why, contact
    between them, and new evidence since the assessment (001 §2.1)."""
    group = child.sibling_group
    context = {
        "child": child,
        "group": group,
        "can_edit": user.has_perm("permanence.change_child", child),
    }
    if group is None:
        return context
    assessment = group.assessment
    apart_ids = (
        set(assessment.apart.values_list("pk", flat=True))
        if group.is_apart and assessment is not None
        else set()
    )
    contact = _sibling_contact(group)
    members = []
    hidden = 0
    for member in group.children.select_related("team").order_by("date_of_birth", "pk"):
        visible = member.pk == child.pk or user_can_see_child(user, member)
        if not visible:
            hidden += 1
            continue
        members.append(
            Member(
                child=member,
                is_this_child=member.pk == child.pk,
                lives_apart=member.pk in apart_ids,
                contact=[
                    c
                    for c in contact
                    if c.child_id == member.pk
                    and (c.sibling_id == child.pk or user_can_see_child(user, c.sibling))
                ],
            )
        )
    evidence = list(group.evidence.select_related("recorded_by"))
    since = assessment.completed_on if assessment is not None else None
    context.update(
        {
            "members": members,
            "hidden": hidden,
            "assessment": assessment,
            "apart_without_contact": [m.child for m in members if m.lives_apart and not m.contact],
            "evidence": evidence,
            "new_evidence": [e for e in evidence if since is None or e.noted_on >= since],
        }
    )
    return context


def contact_section(*, child: Child, user) -> dict:
    """The child's contact arrangements and supporting adults, for the child's page (002 §5)."""
    arrangements = [
        c
        for c in child.contact_arrangements.select_related("sibling")
        if c.sibling_id is None or c.sibling_id == child.pk or user_can_see_child(user, c.sibling)
    ]
    return {
        "child": child,
        "current": [c for c in arrangements if c.ended_on is None],
        "ended": [c for c in arrangements if c.ended_on is not None],
        "adults": list(child.supporting_adults.all()),
        "can_edit": user.has_perm("permanence.change_child", child),
    }


def orders_section(*, child: Child, user) -> dict:
    """Supervision orders with when each ends, and support offered for a placement at risk
    (001 §2.1, §3.2), for the child's page."""
    orders = list(child.supervision_orders.all())
    for order in orders:
        order.child = child  # ends_on reads the date of birth: no query per order
    return {
        "child": child,
        "orders": orders,
        "support": list(child.placement_support.all()),
        "can_edit": user.has_perm("permanence.change_child", child),
    }
