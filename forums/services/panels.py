"""The weekly Permanence Panel sitting and a team manager's escalation to it (seed 004).

A sitting's agenda is built when CPS duty (the permanence coordinator) arranges it: every child
the coordinator may see whose red plan is due back at panel by the sitting (the `red_plan_panel`
rule, read from the child's current deadline, never counted here), and every child a team manager
escalated since the last sitting. Each child gets a permanence panel `Meeting` on the sitting, so
the RAG rating, its reason and the actions are recorded where they always were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from forums.models import Meeting, MeetingType, PanelEscalation, PanelMember, PanelSitting
from forums.services.common import child_label, cps_duty_for, path
from permanence.access import child_visibility_q
from permanence.common import require
from permanence.history import save_with_history
from permanence.models import Child, User
from permanence.notifications import notify
from permanence.panels import children_with_open_deadline
from permanence.roles import Role

PANEL_KIND = MeetingType.Kind.PERMANENCE_PANEL
RED_PLAN_RULE = "red_plan_panel"


def _panel_type() -> MeetingType:
    meeting_type = MeetingType.objects.filter(kind=PANEL_KIND, is_active=True).first()
    if meeting_type is None:
        raise ValidationError("Permanence Panel is not in use: ask an administrator to turn it on")
    return meeting_type


def children_due_at_panel(*, user: User, by_date: dt.date):
    """Children the user may see whose red plan is due back at panel on or before `by_date`."""
    q = child_visibility_q(user)
    due = children_with_open_deadline(RED_PLAN_RULE, due_by=by_date)
    if q is None or due is None:
        return Child.objects.none()
    return Child.objects.filter(q).filter(pk__in=due)


def open_escalations(*, user: User):
    """Escalations not yet brought to a sitting, for children the user may see."""
    q = child_visibility_q(user)
    if q is None:
        return PanelEscalation.objects.none()
    return PanelEscalation.objects.filter(
        sitting__isnull=True, child__in=Child.objects.filter(q)
    ).select_related("child", "raised_by")


def sitting_errors(*, sits_on: dt.date | None, chair: User | None, today: dt.date) -> dict:
    errors = {}
    if sits_on is not None and sits_on < today:
        errors["sits_on"] = "The date of the sitting must be today or in the future"
    if chair is not None and not chair.has_role(Role.HEAD_OF_SERVICE):
        errors["chair"] = "The panel is chaired by a head of service: choose one"
    return errors


@transaction.atomic
def sitting_arrange(
    *, by: User, sits_on: dt.date, chair: User, core_members: Iterable[str] = ()
) -> PanelSitting:
    """Arrange a sitting and put on its agenda each child due at panel or escalated (004)."""
    require(by, "forums.add_panelsitting")
    errors = sitting_errors(sits_on=sits_on, chair=chair, today=timezone.localdate())
    if errors:
        raise ValidationError(errors)
    meeting_type = _panel_type()
    wanted = set(core_members)
    sitting = PanelSitting(
        sits_on=sits_on,
        chair=chair,
        core_members=[c for c in PanelMember.values if c in wanted],
        created_by=by,
    )
    save_with_history(sitting, by=by, reason="Sitting arranged")
    escalations = list(open_escalations(user=by))
    children = {c.pk: c for c in children_due_at_panel(user=by, by_date=sits_on)}
    for escalation in escalations:
        children.setdefault(escalation.child_id, escalation.child)
    already = set(
        Meeting.objects.filter(
            meeting_type=meeting_type, scheduled_for=sits_on, child_id__in=children
        ).values_list("child_id", flat=True)
    )
    for child in children.values():
        if child.pk in already:
            Meeting.objects.filter(
                meeting_type=meeting_type, scheduled_for=sits_on, child=child, sitting=None
            ).update(sitting=sitting)
            continue
        meeting = Meeting(
            meeting_type=meeting_type,
            child=child,
            scheduled_for=sits_on,
            sitting=sitting,
            created_by=by,
        )
        save_with_history(meeting, by=by, reason=f"On the agenda of {sitting}")
    for escalation in escalations:
        escalation.sitting = sitting
        save_with_history(escalation, by=by, reason=f"Brought to {sitting}")
    return sitting


def escalation_errors(*, group_manager: str, reason: str) -> dict:
    errors = {}
    if not group_manager.strip():
        errors["group_manager"] = "Enter the name of the group manager you escalated the case to"
    if not reason.strip():
        errors["reason"] = "Enter the complicating factors that are delaying permanence"
    return errors


@transaction.atomic
def escalate_to_panel(
    *, child: Child, by: User, group_manager: str, reason: str
) -> PanelEscalation:
    """The team manager escalates a case to the group manager: recorded, and the child goes on
    the next sitting's agenda (004)."""
    require(by, "forums.add_panelescalation", child)
    errors = escalation_errors(group_manager=group_manager, reason=reason)
    if errors:
        raise ValidationError(errors)
    escalation = PanelEscalation(
        child=child, group_manager=group_manager.strip(), reason=reason.strip(), raised_by=by
    )
    save_with_history(escalation, by=by, reason="Escalated to the group manager")
    # The team manager liaises with the permanence coordinator (004): CPS duty is told.
    transaction.on_commit(
        lambda: notify(
            recipients=cps_duty_for(child),
            subject=f"Case escalated to the next Permanence Panel: {child_label(child)}",
            body=f"{by} escalated the case to {escalation.group_manager}: {escalation.reason}",
            link=path("forums:panel-sitting-list"),
        )
    )
    return escalation


def sitting_agenda(*, sitting: PanelSitting, user: User):
    """The sitting's children the user may see, team by team (teams attend in turn, 004)."""
    q = child_visibility_q(user)
    if q is None:
        return Meeting.objects.none()
    return (
        sitting.agenda.filter(child__in=Child.objects.filter(q))
        .select_related("child", "child__team", "meeting_type")
        .order_by("child__team__name", "child__last_name", "child__first_name", "pk")
    )
