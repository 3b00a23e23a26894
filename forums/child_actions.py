"""What the reader may do about the child's forums and meetings, at the top of the child's page
(issue 16)."""

from __future__ import annotations

from django.urls import reverse

from permanence.panels import ChildAction


def forum_actions(context: dict) -> list[ChildAction]:
    """From the forums section's context (`selectors.child_panel_context`), which has already
    checked the reader's permissions."""
    child = context.get("child")
    if child is None:
        return []
    query = f"?child={child.pk}"
    actions = []
    if context.get("can_book"):
        actions.append(ChildAction("Book a forum slot", reverse("forums:booking-create") + query))
    if context.get("can_add_meeting"):
        actions.append(ChildAction("Add a meeting", reverse("forums:meeting-create") + query))
    if context.get("can_add_disruption"):
        actions.append(
            ChildAction(
                "Record a placement disruption",
                reverse("forums:disruption-create") + query,
                button=False,
            )
        )
    if context.get("can_escalate"):
        actions.append(
            ChildAction(
                "Escalate the case to the group manager and the next Permanence Panel",
                reverse("forums:panel-escalation-create", args=[child.pk]),
                button=False,
            )
        )
    return actions
