"""A private address for each user's calendar feed, so a calendar program can subscribe."""

from __future__ import annotations

import hashlib

from django.db import models

from permanence.models import User


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """Only a digest of the address's secret is kept: a leaked database gives no feed away."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed for {self.user}"
