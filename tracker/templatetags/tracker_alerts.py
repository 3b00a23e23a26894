"""Wording of the tracker's alerts in templates (templates/tracker/notifications/)."""

from __future__ import annotations

from django import template

from tracker.deadlines.registry import alert_title as _alert_title

register = template.Library()


@register.filter
def alert_title(rule) -> str:
    """A rule's deadline as the subject of a sentence: "Part 1", "The first looked-after review"."""
    return _alert_title(getattr(rule, "code", ""), getattr(rule, "name", ""))
