"""What the SSDA903 pages read: the imports started from the page."""

from __future__ import annotations

from django.db.models import QuerySet

from permanence.models import User
from tracker.ssda903.models import Ssda903Import
from tracker.ssda903.services import can_exchange_returns

RECENT_IMPORTS = 10


def ssda903_imports_for_user(*, user: User) -> QuerySet[Ssda903Import]:
    """Administrators see every import of the return; no one else sees any (issue 7)."""
    if not can_exchange_returns(user):
        return Ssda903Import.objects.none()
    return Ssda903Import.objects.select_related("started_by", "team")


def ssda903_imports_recent(*, user: User) -> list[Ssda903Import]:
    """The latest imports for the SSDA903 page, without their (possibly long) reports."""
    return list(
        ssda903_imports_for_user(user=user).defer("rejections", "notices", "tallies")[
            :RECENT_IMPORTS
        ]
    )
