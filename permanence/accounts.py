"""Writes to a member of staff's own account (kept apart from the child register's services)."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from permanence.history import save_with_history
from permanence.models import User


@transaction.atomic
def user_password_change(*, user: User, new_password: str, by: User) -> User:
    """Set a new password that meets the password rules; the history says who, never the hash."""
    validate_password(new_password, user=user)
    user.set_password(new_password)
    reason = "Changed their own password" if by == user else "Password changed"
    return save_with_history(user, by=by, reason=reason, exclude=["password"])


@transaction.atomic
def user_email_alerts_set(*, user: User, choice: str, by: User) -> User:
    """How the user hears of their notifications by e-mail: each one, a daily digest, or none
    (issue 16). Those already waiting for a digest still go in it, unless they chose none."""
    user.email_alerts = choice
    reason = f"Notification e-mails: {user.get_email_alerts_display()}"
    return save_with_history(user, by=by, reason=reason, exclude=["password"])
