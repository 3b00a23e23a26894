"""Python's garbage collector in a web process (gunicorn.conf.py; issue 19: single slow pages).

A warm web process holds about 220,000 objects that live as long as it does: Django, the apps'
modules, URL patterns, compiled templates and statements. Now and then Python's collector walks
every one of them looking for cycles: 80–90 ms on this project's machine, added to whichever
page happened to be served then (a child's page at 140 ms where it usually takes 50).

`gc.freeze()` moves every object alive at that moment out of the collector's sight: they are
never walked again and never freed, which is right for what a process keeps for its whole life.
So each web process freezes what it holds once it has started and loaded its URLs, and again
after its first requests, once its templates and statements are compiled and cached; what a
request makes afterwards is collected as usual. Garbage is collected first each time, so nothing
that is already garbage is kept.
"""

from __future__ import annotations

import gc

# Requests after which a process freezes what it has built up: its first pages compile the
# templates and statements it will keep.
FREEZE_AFTER_REQUESTS = frozenset({20, 200})

_served = 0


def settle() -> int:
    """Collect what is garbage now, then keep everything still alive out of future collections.
    Returns how many objects are frozen in all."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def started() -> int:
    """When a web process has loaded the application: load every URL pattern (and with them
    every view's module), then settle."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    return settle()


def served() -> bool:
    """After each request: settle after the process's first pages. True when it settled."""
    global _served
    _served += 1
    if _served in FREEZE_AFTER_REQUESTS:
        settle()
        return True
    return False
