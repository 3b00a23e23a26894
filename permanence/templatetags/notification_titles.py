"""Notification titles in the app name the child (issue 16): "Part 1 for Ava Singh (DEMO0024) is
overdue". The stored subject names the child by identifier only, as it is e-mailed (issue 17);
the name is added on the page, and only for a child the reader may still open."""

from __future__ import annotations

import re

from django import template

from permanence.access import child_visibility_q
from permanence.models import Child

register = template.Library()

# A notification about a child links to the child's page (permanence:child-detail).
CHILD_LINK = re.compile(r"^/children/(\d+)/")


def _child_pk(note) -> int | None:
    """The child the notification is about: its own field where it has one, else its link."""
    pk = getattr(note, "child_id", None)
    if pk is not None:
        return pk
    match = CHILD_LINK.match(getattr(note, "link", "") or "")
    return int(match.group(1)) if match else None


@register.simple_tag
def child_names(notes, user) -> dict[int, tuple[str, str]]:
    """The identifier and name of each child these notifications are about that USER may open,
    by primary key, in one query."""
    ids = {_child_pk(note) for note in notes} - {None}
    q = child_visibility_q(user)
    if not ids or q is None:
        return {}
    children = Child.objects.filter(q, pk__in=ids).values_list(
        "pk", "child_id", "first_name", "last_name"
    )
    return {pk: (code, f"{first} {last}".strip()) for pk, code, first, last in children}


@register.filter
def in_app_subject(note, names) -> str:
    """The notification's subject with the child's name beside its identifier."""
    subject = note.subject
    entry = (names or {}).get(_child_pk(note))
    if not entry:
        return subject
    code, name = entry
    if not name or code not in subject:
        return subject
    return subject.replace(code, f"{name} ({code})", 1)
