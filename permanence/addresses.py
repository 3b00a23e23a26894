"""Addresses with one record number in them, worked out once per process (issue 19).

A table of 25 children links each to its page and its chronology: `{% url %}` resolves the
address's pattern again for every link, and 50 of them took a tenth of the tracker page's
processor. An address such as /children/<pk>/ is the same text around the number for every
record, so it is worked out once for a stand-in number (per script prefix, in case the service
is mounted under a path) and each record's number is put in its place.
"""

from __future__ import annotations

from django.urls import get_script_prefix, reverse

# Never a record's number, and written the same way by every converter that takes whole numbers.
_STAND_IN = 987654321987
_around: dict[tuple[str, str], tuple[str, str]] = {}


def address(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a named address taking one whole number."""
    key = (name, get_script_prefix())
    parts = _around.get(key)
    if parts is None:
        before, stand_in, after = reverse(name, args=[_STAND_IN]).partition(str(_STAND_IN))
        if not stand_in or str(_STAND_IN) in after:
            raise ValueError(f"{name} does not take one record number")
        parts = _around[key] = (before, after)
    return f"{parts[0]}{int(pk)}{parts[1]}"
