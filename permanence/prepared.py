"""Statements about one record, compiled once per process (issue 19).

A child's page asks a dozen short questions about one child: its current plan, its reviews,
its meetings, its deadlines. PostgreSQL answers each in well under a millisecond, but Django
builds and compiles each queryset again on every request, 2 to 5 ms each: most of the page's
processor time. The text of such a statement is the same for every child once the child's
number is a parameter, so it is compiled once, with a stand-in number, and each request puts
its own number where the stand-in went and runs the text. The rows come back through Django's
own iteration (model instances, select_related, annotations, converters, prefetch_related), as
if the queryset had been run: only the compiling is saved.

Only for a `build(*keys)` whose statement depends on nothing but those keys (record numbers,
or a date the caller worked out): no date of today read while building, no reader, nothing read
from the database while building. With `settings.PREPARED_STATEMENTS_CHECK` on (the tests),
every call also builds and compiles the queryset afresh and fails loudly if its text or
parameters differ from the kept statement's, so a build that depends on anything else is caught
by the first test that runs it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils import timezone

# Stand in for the keys while a statement is compiled. Numbers: negative, so never a real
# record's, and within a 4-byte integer, so that Django keeps the condition. Dates: days in
# 1801, which no record of a child in care holds.
_NUMBERS = tuple(-2_147_450_001 - n for n in range(6))
_DATES = tuple(dt.date(1801, 1, day) for day in (3, 5, 7, 11, 13, 17))
MAX_KEYS = len(_NUMBERS)


def _kind(key) -> str:
    if isinstance(key, int) and not isinstance(key, bool):
        return "number"
    if isinstance(key, dt.date) and not isinstance(key, dt.datetime):
        return "date"
    raise TypeError(f"a prepared statement's keys are numbers or dates, not {key!r}")


def _stand_ins(kinds: tuple[str, ...]) -> tuple:
    return tuple(
        (_NUMBERS if kind == "number" else _DATES)[place] for place, kind in enumerate(kinds)
    )


def one_row(queryset: QuerySet) -> QuerySet:
    """QUERYSET as `.first()` reads it: in its own order, else by primary key, one row."""
    return (queryset if queryset.ordered else queryset.order_by("pk"))[:1]


@dataclass(frozen=True)
class _Compiled:
    template: QuerySet  # the stand-in queryset: cloned for each run, never run itself
    sql: str
    params: tuple
    # (place among the parameters, which key goes there, whether as its text)
    slots: tuple[tuple[int, int, bool], ...]
    state: dict  # what Django's iteration reads from the compiler after compiling

    def params_for(self, keys: tuple) -> tuple:
        params = list(self.params)
        for place, which, as_text in self.slots:
            params[place] = str(keys[which]) if as_text else keys[which]
        return tuple(params)


# What SQLCompiler.as_sql leaves on the compiler for the rows to be read (Django 5.2).
_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")


def _compile(build: Callable[..., QuerySet], kinds: tuple[str, ...], alias: str) -> _Compiled:
    stand_ins = _stand_ins(kinds)
    template = build(*stand_ins)
    compiler = template.query.get_compiler(using=alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        raise RuntimeError(f"{build.__qualname__}: the statement asks for nothing") from None
    # A date goes to the driver as a date, or as its ISO text (SQLite): as the stand-in went.
    found = {value: (which, False) for which, value in enumerate(stand_ins)}
    found.update(
        {str(v): (which, True) for which, v in enumerate(stand_ins) if kinds[which] == "date"}
    )
    slots = tuple(
        (place, *found[value])
        for place, value in enumerate(params)
        if isinstance(value, int | dt.date | str) and value in found
    )
    if {which for _place, which, _text in slots} != set(range(len(kinds))):
        raise RuntimeError(f"{build.__qualname__}: the statement lost a key it asks about")
    state = {name: getattr(compiler, name) for name in _STATE}
    return _Compiled(template, sql, tuple(params), slots, state)


def _check(build, keys, alias, sql: str, params: tuple) -> None:
    fresh_sql, fresh_params = build(*keys).query.get_compiler(using=alias).as_sql()
    if (fresh_sql, tuple(fresh_params)) != (sql, params):
        raise AssertionError(
            f"{build.__qualname__} builds a different statement for {keys} than the one "
            "kept for it: it depends on something besides its keys\n"
            f"kept:  {sql} {params}\nfresh: {fresh_sql} {tuple(fresh_params)}"
        )


def prepared(build: Callable[..., QuerySet]) -> Callable[..., list]:
    """`build(*keys)` (a queryset about those records), compiled once per process: calling the
    result with the keys returns the queryset's rows as a list. A key that is None is not a
    statement's key: such a call builds and runs the queryset as usual."""
    compiled: dict[tuple, _Compiled] = {}

    @functools.wraps(build)
    def rows(*keys) -> list:
        if not keys or len(keys) > MAX_KEYS:
            raise TypeError(f"{build.__qualname__} takes 1 to {MAX_KEYS} keys")
        if any(key is None for key in keys):
            return list(build(*keys))
        kinds = tuple(_kind(key) for key in keys)
        alias = DEFAULT_DB_ALIAS
        connection = connections[alias]
        # The zone is part of the text of any date truncation: a statement per zone.
        statement = (alias, connection.vendor, timezone.get_current_timezone_name(), kinds)
        found = compiled.get(statement)
        if found is None:
            found = compiled[statement] = _compile(build, kinds, alias)
        params = found.params_for(keys)
        if getattr(settings, "PREPARED_STATEMENTS_CHECK", False):
            _check(build, keys, alias, found.sql, params)
        queryset = found.template._chain()
        compiler = queryset.query.get_compiler(using=alias)
        compiler.__dict__.update(found.state)
        compiler.as_sql = lambda *args, **kwargs: (found.sql, params)
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)

    return rows


def prepared_for_reader(build: Callable[..., QuerySet]) -> Callable[..., list | None]:
    """`build(visible, *keys)`, a queryset about the children a reader may see (`visible`: a
    subquery of their ids, for `child_id__in=visible`) and KEYS, compiled once per process for
    each kind of reader (`permanence.access.reader_kind`). Called as `rows(user, *keys)`; None
    when the reader may see no child at all."""
    from permanence import access

    statements: dict[tuple, Callable[..., list]] = {}

    @functools.wraps(build)
    def rows(user, *keys) -> list | None:
        if not user.is_authenticated or not user.is_active:
            return None
        kind = access.reader_kind(user)
        numbers = access.reader_numbers(user)
        if access.visible_ids_sql(kind, numbers) is None:
            return None
        count = len(keys)
        statement = statements.get((kind, count))
        if statement is None:

            def for_kind(*values):
                return build(access.visible_ids_sql(kind, values[count:]), *values[:count])

            for_kind.__qualname__ = build.__qualname__
            statement = statements[kind, count] = prepared(for_kind)
        return statement(*keys, *numbers)

    return rows
