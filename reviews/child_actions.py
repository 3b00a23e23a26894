"""What the reader may do about the child's IRO and reviews, at the top of the child's page
(issue 16)."""

from __future__ import annotations

from django.urls import reverse

from permanence.panels import ChildAction


def review_actions(context: dict) -> list[ChildAction]:
    """From the reviews section's context (`child_reviews_panel`), which has already checked the
    reader's permissions."""
    child = context.get("child")
    if context.get("hidden") or child is None:
        return []
    actions = []
    if context.get("can_review"):
        actions.append(
            ChildAction("Book a review", reverse("reviews:review-book", args=[child.pk]))
        )
        actions.append(
            ChildAction("Record a review", reverse("reviews:review-record", args=[child.pk]))
        )
    if context.get("can_allocate"):
        actions.append(
            ChildAction(
                "Allocate an IRO", reverse("reviews:iro-allocate", args=[child.pk]), button=False
            )
        )
    actions.append(
        ChildAction(
            "Reviews",
            reverse("reviews:child-reviews", args=[child.pk]),
            button=False,
            hidden=f" for {child.full_name}",
        )
    )
    return actions
