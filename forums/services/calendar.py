"""The private address of a user's calendar feed."""

from __future__ import annotations

import secrets

from django.db import transaction

from forums.models import CalendarFeed
from forums.models.calendar import token_digest
from permanence.models import User


@transaction.atomic
def calendar_feed_renew(*, by: User) -> str:
    """Give the user a new secret feed address; the old one stops working at once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=by, defaults={"token_digest": token_digest(token)})
    return token
