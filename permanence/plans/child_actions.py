"""What the reader may do about the child's plan, at the top of the child's page (issue 16)."""

from __future__ import annotations

from django.urls import reverse

from permanence.panels import ChildAction


def plan_actions(context: dict) -> list[ChildAction]:
    """From the plan section's context (`child_plan_panel`), which has already checked the
    reader's permissions."""
    child, plan = context.get("child"), context.get("plan")
    actions = []
    if plan is not None:
        actions.append(
            ChildAction("View the plan", plan.get_absolute_url(), hidden=f" for {child.full_name}")
        )
    if context.get("can_draft"):
        actions.append(
            ChildAction("Draft a plan", reverse("permanence:plan-create", args=[child.pk]))
        )
    return actions
