"""Reads about the people around the child, as the reader may see them (SPEC §1): a brother or
sister outside the reader's scope is counted, never named."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Value

from permanence.access import child_visibility_q
from permanence.models import Child, ContactArrangement, SiblingAssessment
from permanence.prepared import prepared_for_reader


@dataclass
class Member:
    child: Child | None  # None when the reader may not open that child
    is_this_child: bool
    lives_apart: bool
    contact: list[ContactArrangement] = field(default_factory=list)


def _visible(user, outer: str) -> Exists | Value:
    """Whether the user may open the child whose id is in column OUTER of the row: the same
    rule as `user_can_see_child`, asked in the row's own query instead of once per child."""
    q = child_visibility_q(user)
    if q is None:
        return Value(False)
    return Exists(Child.objects.filter(q).filter(pk=OuterRef(outer)))


def _contact_arrangements(visible, q: Q):
    return (
        ContactArrangement.objects.filter(q)
        .select_related("child", "sibling")
        .annotate(
            sibling_visible=Exists(Child.objects.filter(pk__in=visible, pk=OuterRef("sibling_id")))
        )
    )


# Compiled once per process for each kind of reader (permanence.prepared, issue 19): the
# reader's children as a subquery, whether the child is in a sibling group or not.
@prepared_for_reader
def _contact_of_child(visible, child_id: int):
    return _contact_arrangements(visible, Q(child_id=child_id))


@prepared_for_reader
def _contact_of_child_and_group(visible, child_id: int, group_id: int):
    return _contact_arrangements(
        visible,
        Q(child_id=child_id)
        | Q(
            child__sibling_group_id=group_id,
            relationship=ContactArrangement.With.SIBLING,
            ended_on__isnull=True,
        ),
    )


def _contact_rows(child: Child, user) -> list[ContactArrangement]:
    """The child's own contact arrangements, and the open ones with a brother or sister between
    the children of the child's sibling group, in one query with whether the reader may open
    each sibling named (the same rule as `user_can_see_child`, asked in the query instead of
    once per child). Read once for the child's page: the sibling and contact sections share it
    (issue 19)."""
    cached = getattr(child, "_contact_rows_for_page", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1]
    if child.sibling_group_id is None:
        rows = _contact_of_child(user, child.pk)
    else:
        rows = _contact_of_child_and_group(user, child.pk, child.sibling_group_id)
    if rows is None:  # a reader who may see no child at all opens no contact either
        rows = []
    child._contact_rows_for_page = (user.pk, rows)
    return rows


def sibling_section(*, child: Child, user) -> dict:
    """The child's sibling group for a page: who is in it, who lives apart and why, contact
    between them, and new evidence since the assessment (001 §2.1). The same queries however
    many brothers and sisters there are."""
    group = child.sibling_group
    context = {
        "child": child,
        "group": group,
        "can_edit": user.has_perm("permanence.change_child", child),
    }
    if group is None:
        return context
    assessment = group.assessment
    if group.is_apart and assessment is not None:
        lives_apart = Exists(
            SiblingAssessment.apart.through.objects.filter(
                siblingassessment_id=assessment.pk, child_id=OuterRef("pk")
            )
        )
    else:
        lives_apart = Value(False)
    contact = [
        c
        for c in _contact_rows(child, user)
        if c.child.sibling_group_id == group.pk
        and c.relationship == ContactArrangement.With.SIBLING
        and c.ended_on is None
    ]
    members = []
    hidden = 0
    for member in (
        group.children.select_related("team")
        .annotate(visible=_visible(user, "pk"), lives_apart=lives_apart)
        .order_by("date_of_birth", "pk")
    ):
        if not (member.pk == child.pk or member.visible):
            hidden += 1
            continue
        members.append(
            Member(
                child=member,
                is_this_child=member.pk == child.pk,
                lives_apart=member.lives_apart,
                contact=[
                    c
                    for c in contact
                    if c.child_id == member.pk and (c.sibling_id == child.pk or c.sibling_visible)
                ],
            )
        )
    evidence = list(group.evidence.all())
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
        for c in _contact_rows(child, user)
        if c.child_id == child.pk
        and (c.sibling_id is None or c.sibling_id == child.pk or c.sibling_visible)
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
