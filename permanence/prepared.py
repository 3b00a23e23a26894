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

`prepared_within` does the same for a statement about a set of rows chosen by the reader (the
tracker rows a manager may see, narrowed to a team): the rows' own conditions, a handful of
terms, are compiled on each call and put where a stand-in went in the kept statement; the
statement around them (the measures' dozens of conditional counts) is compiled once.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, Expression, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

# Stand in for the keys while a statement is compiled. Numbers: negative, so never a real
# record's, and within a 4-byte integer, so that Django keeps the condition. Dates: days in
# 1801, which no record of a child in care holds.
_NUMBERS = tuple(-2_147_450_001 - n for n in range(8))
_DATES = tuple(dt.date(1801, 1, day) for day in (3, 5, 7, 11, 13, 17, 19, 23))
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
    # Each run's converters of the columns read, worked out on the first (by the columns' ids:
    # the same expressions, kept in `state`, every run).
    converters: dict = field(default_factory=dict)

    def params_for(self, keys: tuple) -> tuple:
        params = list(self.params)
        for place, which, as_text in self.slots:
            params[place] = str(keys[which]) if as_text else keys[which]
        return tuple(params)


# What SQLCompiler.as_sql leaves on the compiler for the rows to be read (Django 5.2).
_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")


def _compile(
    build: Callable[..., QuerySet], kinds: tuple[str, ...], alias: str, every_key: bool = True
) -> _Compiled:
    """BUILD's statement with stand-ins for its keys; EVERY_KEY: each key must be asked about
    (a key missing from the text was most likely worked into another value while building,
    which `_check` would then refuse on the first call)."""
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
    if every_key and {which for _place, which, _text in slots} != set(range(len(kinds))):
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
        return _run(found, found.sql, params, alias)

    return rows


def _run(found: _Compiled, sql: str, params: tuple, alias: str) -> list:
    """The rows of FOUND's queryset, read through Django's own iteration from SQL and PARAMS."""
    queryset = found.template._chain()
    compiler = queryset.query.get_compiler(using=alias)
    compiler.__dict__.update(found.state)
    compiler.as_sql = lambda *args, **kwargs: (sql, params)
    worked_out = found.converters
    get_converters = compiler.get_converters

    def kept_converters(expressions):
        key = tuple(map(id, expressions))
        if key not in worked_out:
            worked_out[key] = get_converters(expressions)
        return worked_out[key]

    compiler.get_converters = kept_converters
    queryset.query.get_compiler = lambda *args, **kwargs: compiler
    return list(queryset)


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


# -- statements about a reader's rows ------------------------------------------------------------

# Where the rows' own conditions, and the subquery of their ids, go in a kept statement's text.
_ROWS_HOLE = "__prepared_rows__"
_IDS_HOLE = "__prepared_row_ids__"
_HOLES = re.compile(f"({_ROWS_HOLE}|{_IDS_HOLE})")
# Statements kept for one `prepared_within` build, at most (a few periods, fixed values and
# database vendors).
_KEPT_WITHIN = 32


class _RowsCondition(Expression):
    """Stands in for the rows' conditions while a statement is compiled. Their text names the
    rows' table by its own name, so it may only stand in the statement about the table itself,
    never in a subquery (which names it by an alias): `row_ids` is for those."""

    output_field = BooleanField()

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table

    def as_sql(self, compiler, connection):
        if compiler.query.base_table != self.table:
            raise RuntimeError(
                "the rows' conditions stand only in a statement about the rows themselves; "
                "a subquery takes row_ids"
            )
        return _ROWS_HOLE, []


def _plain(rows: QuerySet) -> bool:
    """Whether ROWS are chosen by conditions on their own table's columns alone (subqueries
    allowed), the only rows whose conditions can be put in another statement's text."""
    query = rows.query
    table = rows.model._meta.db_table
    # A join trimmed away stays among the aliases, unused.
    joined = [alias for alias in query.alias_map if alias != table and query.alias_refcount[alias]]
    return (
        query.base_table == table
        and not joined
        and bool(query.where)
        and not (query.annotations or query.is_sliced or query.distinct or query.combinator)
        and not (query.extra or query.extra_tables)
    )


def _spliced(sql: str, params: tuple, rows: QuerySet, alias: str) -> tuple[str, tuple]:
    """SQL and PARAMS with the rows' conditions, and their ids' subquery, where the stand-ins
    went; raises EmptyResultSet (FullResultSet) when the rows' conditions can match nothing
    (anything)."""
    compiler = rows.query.get_compiler(using=alias)
    fragments: dict[str, tuple[str, list]] = {}
    out_sql: list[str] = []
    out_params: list = []
    used = 0
    for piece in _HOLES.split(sql):
        if piece == _ROWS_HOLE:
            if piece not in fragments:
                fragments[piece] = compiler.compile(rows.query.where)
        elif piece == _IDS_HOLE:
            if piece not in fragments:
                ids = rows.order_by().values("pk")
                fragments[piece] = ids.query.get_compiler(using=alias).as_sql()
        else:
            # Django writes each parameter's place as %s, and a percent sign of its own as %%.
            count = piece.replace("%%", "").count("%s")
            out_sql.append(piece)
            out_params += params[used : used + count]
            used += count
            continue
        fragment_sql, fragment_params = fragments[piece]
        out_sql.append(fragment_sql)
        out_params += fragment_params
    if used != len(params):
        raise RuntimeError("a kept statement's parameters do not match its text")
    return "".join(out_sql), tuple(out_params)


def prepared_within(build: Callable[..., QuerySet]) -> Callable[..., list]:
    """`build(rows, row_ids, *keys, **fixed)`: a queryset about ROWS (`rows.filter(...)`,
    `rows.values(...).annotate(...)`) or about records of theirs (`child_id__in=row_ids`, a
    subquery of the rows' primary keys), KEYS (numbers or dates) and FIXED (values that may be
    worked into others while building, such as today's date a band of weeks counts back from),
    compiled once per process for each value of FIXED. Called as `rows_of(rows, *keys, **fixed)`,
    ROWS a queryset of the table the statement is about, chosen by conditions on its own
    columns: those conditions are compiled on each call and put in the kept statement's text.
    Rows chosen any other way, or a key that is None, build and run the queryset as usual.

    With `settings.PREPARED_STATEMENTS_CHECK` on, each call also checks the kept statement as
    `prepared` does (the rows' conditions are the same stand-in in both)."""
    compiled: dict[tuple, _Compiled] = {}

    @functools.wraps(build)
    def rows_of(rows: QuerySet, *keys, **fixed) -> list:
        if not keys or len(keys) > MAX_KEYS:
            raise TypeError(f"{build.__qualname__} takes 1 to {MAX_KEYS} keys")

        def fresh() -> list:
            return list(build(rows, rows.order_by().values("pk"), *keys, **fixed))

        if any(key is None for key in keys) or not _plain(rows):
            return fresh()
        model = rows.model
        kinds = tuple(_kind(key) for key in keys)
        alias = DEFAULT_DB_ALIAS
        connection = connections[alias]

        def with_stand_ins(*values) -> QuerySet:
            stand_in_rows = model._default_manager.filter(_RowsCondition(model._meta.db_table))
            ids = RawSQL(_IDS_HOLE, ())  # noqa: S611 (a stand-in, no text of a user's)
            return build(stand_in_rows, ids, *values, **fixed)

        with_stand_ins.__qualname__ = build.__qualname__
        statement = (
            alias,
            connection.vendor,
            timezone.get_current_timezone_name(),
            model._meta.label,
            kinds,
            tuple(sorted(fixed.items())),
        )
        found = compiled.get(statement)
        if found is None:
            if len(compiled) >= _KEPT_WITHIN:  # yesterday's statements, when FIXED is a date
                compiled.clear()
            # The measures' statements share their dates; not every one asks about each.
            found = compiled[statement] = _compile(with_stand_ins, kinds, alias, every_key=False)
        params = found.params_for(keys)
        if getattr(settings, "PREPARED_STATEMENTS_CHECK", False):
            _check(with_stand_ins, keys, alias, found.sql, params)
        try:
            sql, params = _spliced(found.sql, params, rows, alias)
        except (EmptyResultSet, FullResultSet):  # conditions that match nothing, or anything
            return fresh()
        return _run(found, sql, params, alias)

    return rows_of
