"""Booking a meeting from another app's action: completing a PPN1's booking creates the
Permanency Planning Meeting (seed 002 §8), a meeting the forums app keeps.

`reviews` and `forums` do not import each other: forums registers its booking function here
from its AppConfig.ready(), and the reviews service calls `book_meeting`, visibly, in the action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

_booker: Callable | None = None


def register_meeting_booker(booker: Callable) -> None:
    global _booker
    _booker = booker


def book_meeting(
    *,
    code: str,
    child,
    by,
    scheduled_for: dt.date,
    invited_roles: Iterable[str] = (),
    staff_attendees: Iterable = (),
):
    """Book a meeting of type CODE for CHILD; returns the meeting (with get_absolute_url)."""
    if _booker is None:
        raise RuntimeError("No app books meetings: is forums installed?")
    return _booker(
        code=code,
        child=child,
        by=by,
        scheduled_for=scheduled_for,
        invited_roles=list(invited_roles),
        staff_attendees=list(staff_attendees),
    )
