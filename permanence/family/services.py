"""Writes about the people around the child: sibling groups and assessments, new evidence on
reunification, contact arrangements and supporting adults (001 §2.1, 002 §5).

Everything here is part of the child's record, so whoever may change the child's record may
record it (`permanence.change_child`), and history names who did it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from permanence.access import user_can_see_child, who_may_see
from permanence.common import require
from permanence.history import save_with_history
from permanence.models import (
    Child,
    ContactArrangement,
    PlacementSupport,
    SiblingAssessment,
    SiblingEvidence,
    SiblingGroup,
    SupervisionOrder,
    SupportingAdult,
    User,
)
from permanence.notifications import notes_for, notification_text, notify_many

MIN_GROUP = 2


def parse_identifiers(text: str) -> list[str]:
    """Child identifiers typed with commas, spaces or new lines between them."""
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


def children_from_identifiers(*, text: str, by: User, field: str = "members") -> list[Child]:
    """The children named by identifier, each one the user may open; otherwise a message."""
    wanted = parse_identifiers(text)
    if not wanted:
        raise ValidationError({field: "Enter the identifier of each child in the group"})
    # Identifiers are matched without regard to case, as people type them.
    query = Q()
    for ident in wanted:
        query |= Q(child_id__iexact=ident)
    found = {c.child_id.upper(): c for c in Child.objects.filter(query).select_related("team")}
    children: list[Child] = []
    unknown = []
    for ident in wanted:
        child = found.get(ident.upper())
        if child is None or not user_can_see_child(by, child):
            unknown.append(ident)
        elif child not in children:
            children.append(child)
    if unknown:
        raise ValidationError(
            {
                field: f"No child you can open has the identifier {', '.join(unknown)}: "
                "check the identifiers on the children's pages"
            }
        )
    return children


def _check_members(group: SiblingGroup | None, members: list[Child]) -> None:
    if len(members) < MIN_GROUP:
        raise ValidationError(
            {"members": "A sibling group needs at least two children: enter each one's identifier"}
        )
    for child in members:
        if child.sibling_group_id and (group is None or child.sibling_group_id != group.pk):
            raise ValidationError(
                {
                    "members": f"{child.full_name} ({child.child_id}) is already in another "
                    "sibling group: a child can be in only one. Take them out of that group first"
                }
            )


@transaction.atomic
def sibling_group_create(
    *, child: Child, by: User, name: str, members: list[Child]
) -> SiblingGroup:
    """Brothers and sisters recorded as a group, to be placed together (001 §2.1)."""
    require(by, "permanence.change_child", child)
    if child not in members:
        members = [child, *members]
    locked = list(Child.objects.select_for_update().filter(pk__in=[c.pk for c in members]))
    _check_members(None, locked)
    if not (name or "").strip():
        raise ValidationError({"name": "Enter a name for the sibling group"})
    group = save_with_history(
        SiblingGroup(name=name.strip()), by=by, reason="Sibling group recorded"
    )
    for member in locked:
        member.sibling_group = group
        save_with_history(member, by=by, reason=f"Added to the sibling group {group.name}")
    return group


@transaction.atomic
def sibling_group_change(
    *, group: SiblingGroup, by: User, child: Child, name: str, members: list[Child]
) -> SiblingGroup:
    """Change the group's name or who is in it; a child taken out leaves the group."""
    require(by, "permanence.change_child", child)
    group = SiblingGroup.objects.select_for_update().get(pk=group.pk)
    if child not in members:
        raise ValidationError(
            {
                "members": f"Keep {child.full_name}'s own identifier in the list, or change the "
                "group from another child's page"
            }
        )
    locked = list(Child.objects.select_for_update().filter(pk__in=[c.pk for c in members]))
    _check_members(group, locked)
    if not (name or "").strip():
        raise ValidationError({"name": "Enter a name for the sibling group"})
    renamed = group.name != name.strip()
    group.name = name.strip()
    keep = {c.pk for c in locked}
    moved = False
    for leaving in (
        Child.objects.select_for_update().filter(sibling_group=group).exclude(pk__in=keep)
    ):
        leaving.sibling_group = None
        save_with_history(leaving, by=by, reason=f"Taken out of the sibling group {group.name}")
        moved = True
    for member in locked:
        if member.sibling_group_id != group.pk:
            member.sibling_group = group
            save_with_history(member, by=by, reason=f"Added to the sibling group {group.name}")
            moved = True
    if renamed or moved:
        # Saved after its members so that the group's history, and anything kept in step with
        # the group (the tracker's count of brothers and sisters), sees who is in it now.
        reason = "Sibling group renamed" if renamed else "Sibling group's members changed"
        save_with_history(group, by=by, reason=reason)
    return group


@transaction.atomic
def sibling_assessment_record(
    *,
    group: SiblingGroup,
    child: Child,
    by: User,
    completed_on: dt.date,
    completed_by: str,
    recommendation: str,
    summary: str,
    apart: Iterable[Child] = (),
) -> SiblingAssessment:
    """A sibling assessment, and the group's decision that follows it: separation only after
    a robust assessment, recorded and linked (001 §2.1)."""
    require(by, "permanence.change_child", child)
    group = SiblingGroup.objects.select_for_update().get(pk=group.pk)
    apart = list(apart)
    members = set(group.children.values_list("pk", flat=True))
    errors: dict[str, str] = {}
    if recommendation == SiblingAssessment.Recommendation.APART and not apart:
        errors["apart"] = "Choose the child or children the assessment says should live apart"
    if recommendation == SiblingAssessment.Recommendation.TOGETHER and apart:
        errors["apart"] = "The assessment recommends they live together: leave every child unticked"
    if any(c.pk not in members for c in apart):
        errors["apart"] = "Choose only children in this sibling group"
    assessment = SiblingAssessment(
        group=group,
        completed_on=completed_on,
        completed_by=(completed_by or "").strip(),
        recommendation=recommendation,
        summary=(summary or "").strip(),
        recorded_by=by,
    )
    try:
        assessment.full_clean()
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    save_with_history(assessment, by=by, reason="Sibling assessment recorded")
    assessment.apart.set(apart)
    group.placement = (
        SiblingGroup.Placement.APART
        if recommendation == SiblingAssessment.Recommendation.APART
        else SiblingGroup.Placement.TOGETHER
    )
    group.assessment = assessment
    save_with_history(
        group,
        by=by,
        reason=f"Decision after the sibling assessment of "
        f"{completed_on:%d/%m/%Y}: {group.get_placement_display().lower()}",
    )
    return assessment


@transaction.atomic
def sibling_evidence_record(
    *, group: SiblingGroup, child: Child, by: User, noted_on: dt.date, evidence: str
) -> SiblingEvidence:
    """New evidence that separated siblings could live together: the permanence plan of each
    of them is to be reviewed, and their workers and IROs are told (001 §2.1)."""
    require(by, "permanence.change_child", child)
    entry = SiblingEvidence(
        group=group, noted_on=noted_on, evidence=(evidence or "").strip(), recorded_by=by
    )
    save_with_history(entry, by=by, reason="New evidence on living together")
    subject, body = notification_text(
        "permanence/notifications/sibling_evidence.txt", {"noted_on": noted_on}
    )
    notes = []
    for sibling in group.children.select_related("social_worker", "iro"):
        recipients = who_may_see([sibling.social_worker, sibling.iro], sibling)
        notes += notes_for(
            [u for u in recipients if u.pk != by.pk],
            subject=subject,
            body=body,
            link=reverse("permanence:child-detail", args=[sibling.pk]) + "#siblings",
        )
    notify_many(notes)
    return entry


CONTACT_FIELDS = (
    "relationship",
    "person_name",
    "sibling",
    "frequency",
    "kind",
    "supervision",
    "notes",
    "starts_on",
)


@transaction.atomic
def contact_arrangement_record(*, child: Child, by: User, **fields) -> ContactArrangement:
    """Contact with a parent, a brother or sister, or other family: who, how often, and
    whether supervised (001 §2.1)."""
    require(by, "permanence.change_child", child)
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown contact fields: {sorted(unknown)}")
    child = Child.objects.get(pk=child.pk)  # its sibling group as saved, not as passed in
    if fields.get("relationship") == ContactArrangement.With.SIBLING:
        fields["person_name"] = ""
    else:
        fields["sibling"] = None
    arrangement = ContactArrangement(child=child, recorded_by=by, **fields)
    return save_with_history(arrangement, by=by, reason="Contact arrangement recorded")


@transaction.atomic
def contact_arrangement_end(
    *, arrangement: ContactArrangement, by: User, ended_on: dt.date
) -> ContactArrangement:
    """The contact arrangement stops; it stays on the record."""
    require(by, "permanence.change_child", arrangement.child)
    arrangement = ContactArrangement.objects.select_for_update().get(pk=arrangement.pk)
    arrangement.ended_on = ended_on
    return save_with_history(arrangement, by=by, reason="Contact arrangement ended")


@transaction.atomic
def supporting_adult_record(
    *, child: Child, by: User, name: str, relationship: str, support: str
) -> SupportingAdult:
    """An adult who will give the child long-term support, particularly at times of change
    (002 §5)."""
    require(by, "permanence.change_child", child)
    adult = SupportingAdult(
        child=child,
        name=(name or "").strip(),
        relationship=(relationship or "").strip(),
        support=(support or "").strip(),
        recorded_by=by,
    )
    return save_with_history(adult, by=by, reason="Supporting adult recorded")


@transaction.atomic
def supervision_order_record(
    *, child: Child, by: User, made_on: dt.date, conditions: str = ""
) -> SupervisionOrder:
    """A supervision order made by the court: a year at first (001 §3.2); its end is a deadline
    on the tracker."""
    require(by, "permanence.change_child", child)
    order = SupervisionOrder(
        child=child, made_on=made_on, conditions=(conditions or "").strip(), recorded_by=by
    )
    return save_with_history(order, by=by, reason="Supervision order recorded")


@transaction.atomic
def supervision_order_extend(
    *, order: SupervisionOrder, by: User, extended_on: dt.date, extension_months: int
) -> SupervisionOrder:
    """The court extends the order: no more than three years in all, never past 18
    (001 §3.2)."""
    require(by, "permanence.change_child", order.child)
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    order.extended_on = extended_on
    order.extension_months = extension_months
    return save_with_history(order, by=by, reason="Supervision order extended")


@transaction.atomic
def supervision_order_end(
    *, order: SupervisionOrder, by: User, ended_on: dt.date
) -> SupervisionOrder:
    """The order ended, ran its course or was discharged (001 §3.2)."""
    require(by, "permanence.change_child", order.child)
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    order.ended_on = ended_on
    return save_with_history(order, by=by, reason="Supervision order ended")


@transaction.atomic
def placement_support_record(
    *,
    child: Child,
    by: User,
    risk_noted_on: dt.date,
    risk: str,
    support: str,
    offered_on: dt.date,
) -> PlacementSupport:
    """Support offered when a placement is at risk of breaking down, before a disruption
    (001 §2.1)."""
    require(by, "permanence.change_child", child)
    entry = PlacementSupport(
        child=child,
        risk_noted_on=risk_noted_on,
        risk=(risk or "").strip(),
        support=(support or "").strip(),
        offered_on=offered_on,
        recorded_by=by,
    )
    return save_with_history(entry, by=by, reason="Support offered: placement at risk")
