"""The tracker's own pieces of pages, written once in Python (tracker/dashboard/table.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from tracker.dashboard.table import rag_tag as _rag_tag

register = template.Library()


@register.filter
def rag_tag(rag) -> SafeString:
    """A RAG rating as its coloured tag, or a dash read out as "No rating"."""
    return _rag_tag(rag)
