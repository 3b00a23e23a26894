"""The private address of a user's calendar feed."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from forums.models import CalendarFeed
from forums.models.calendar import token_digest
from permanence.models import User


def calendar_feeds_allowed() -> bool:
    """The administrator can switch every feed address off at once (CALENDAR_FEEDS_ENABLED)."""
    return getattr(settings, "CALENDAR_FEEDS_ENABLED", True)


@transaction.atomic
def calendar_feed_renew(*, by: User) -> str:
    """Give the user a new secret feed address; the old one stops working at once."""
    if not calendar_feeds_allowed():
        raise PermissionDenied("Calendar subscriptions are switched off for this service.")
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=by, defaults={"token_digest": token_digest(token)})
    return token


@transaction.atomic
def calendar_feed_turn_off(*, by: User) -> bool:
    """Switch the user's feed address off; True if there was one to switch off."""
    deleted, _ = CalendarFeed.objects.filter(user=by).delete()
    return bool(deleted)


def calendar_feed_user(*, token: str) -> User | None:
    """Whose calendar a feed address opens: nobody's when feeds are off or the user has left."""
    if not calendar_feeds_allowed():
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token_digest=token_digest(token))
    feed = feed.first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user
