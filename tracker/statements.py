"""Statements asked about a page's children, compiled once per process (issue 19).

A page asks a union of several SELECTs about the children it shows (the family-finding stage of
each child on a tracker page: six parts). Django builds and compiles such a statement again for
every page, and for a short page that took longer than PostgreSQL took to answer it: 6 of a
tracker page's 29 ms of processor. The statement's text is the same for every page once the
children are one array parameter (`field__any_of` with `Keys`), so on PostgreSQL it is compiled
once, for a stand-in set of children, and each page puts its own children in the stand-in's
place. Elsewhere (SQLite for a trial) the queryset is simply run.

Only for statements whose columns the driver already returns as Python wants them (numbers,
text, dates): the rows are read straight from the cursor, without Django's converters.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils import timezone

from tracker.lookups import Keys

# Stands in for a page's children while the statement is compiled: negative, so never a real
# record's, and within a 4-byte integer, so that Django keeps the condition.
_STAND_IN = Keys({-2_147_460_001})


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    keys_at: tuple[int, ...]

    def params_for(self, keys: Keys) -> list:
        params = list(self.params)
        for at in self.keys_at:
            # As the compiled statement took them: the array's text (a column's own lookup) or
            # a list (a foreign key's, which Django hands over value by value).
            params[at] = keys.as_array if isinstance(params[at], str) else sorted(keys)
        return params


@functools.lru_cache(maxsize=64)
def _compiled(build: Callable[[Keys], QuerySet], alias: str, zone: str) -> _Compiled:
    sql, params = build(_STAND_IN).query.get_compiler(alias).as_sql()
    stand_in = (_STAND_IN.as_array, sorted(_STAND_IN))
    keys_at = tuple(n for n, value in enumerate(params) if value in stand_in)
    if not keys_at:
        raise RuntimeError(f"{build.__qualname__}: the statement lost the children it asks about")
    return _Compiled(sql, tuple(params), keys_at)


def rows_about(build: Callable[[Keys], QuerySet], keys: Keys) -> list[tuple]:
    """The rows of `build(keys)`, a values_list queryset filtering by `…__any_of=keys` and by
    nothing else that changes from page to page."""
    if not keys:
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return list(build(keys))
    # The zone is part of the text of any date truncation: a statement per zone.
    compiled = _compiled(build, DEFAULT_DB_ALIAS, timezone.get_current_timezone_name())
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params_for(keys))
        return cursor.fetchall()
