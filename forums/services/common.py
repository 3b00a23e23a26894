"""What every forums service shares: permission checks, who to tell, and the exemption rule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from permanence.models import Child, Episode, User
from permanence.models.children import CONNECTED_PLACEMENTS
from permanence.roles import Role
from permanence.selectors import staff_with_role


def require(by: User, perm: str, obj=None) -> None:
    if not by.has_perm(perm, obj):
        raise PermissionDenied("You do not have permission to do this.")


def connected_person_episode(child: Child) -> Episode | None:
    """The child's open episode when it is a placement with a connected person (seed 000)."""
    episode = child.episodes.open().first()
    if episode is not None and episode.place in CONNECTED_PLACEMENTS:
        return episode
    return None


def cps_duty_staff():
    return staff_with_role(role=Role.CPS_DUTY)


def child_label(child: Child) -> str:
    """How a notification names a child: the identifier only, since e-mail leaves the service."""
    return f"child {child.child_id}"


def path(name: str, *args) -> str:
    return reverse(name, args=args)
