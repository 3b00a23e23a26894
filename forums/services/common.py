"""What every forums service shares: permission checks, who to tell, and the exemption rule."""

from __future__ import annotations

from django.urls import reverse

from permanence.access import who_may_see
from permanence.common import require  # noqa: F401 (the one check, shared by every app)
from permanence.models import Child, Episode
from permanence.models.children import CONNECTED_PLACEMENTS
from permanence.notifications import child_label  # noqa: F401 (the one way e-mails name a child)
from permanence.roles import Role
from permanence.selectors import staff_with_role


def connected_person_episode(child: Child) -> Episode | None:
    """The child's open episode when it is a placement with a connected person (seed 000)."""
    episode = child.episodes.open().first()
    if episode is not None and episode.place in CONNECTED_PLACEMENTS:
        return episode
    return None


def cps_duty_staff():
    return staff_with_role(role=Role.CPS_DUTY)


def cps_duty_for(child: Child) -> list:
    """The CPS duty staff who may open `child`: the only ones told about it."""
    return who_may_see(cps_duty_staff(), child)


def path(name: str, *args) -> str:
    return reverse(name, args=args)
