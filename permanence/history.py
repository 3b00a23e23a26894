"""Saving case data so that the history row names who did it and why (SPEC §7)."""

from django.db import models


def save_with_history(
    obj: models.Model, *, by, reason: str = "", exclude: list[str] | None = None
) -> models.Model:
    """Validate and save `obj`, stamping its history row with the acting user and the reason."""
    obj.full_clean(exclude=exclude)
    obj._history_user = by
    if reason:
        obj._change_reason = reason
    try:
        obj.save()
    finally:
        # A later save of the same instance must not inherit this user or reason.
        for attr in ("_history_user", "_change_reason"):
            if hasattr(obj, attr):
                delattr(obj, attr)
    return obj
