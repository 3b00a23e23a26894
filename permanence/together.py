"""Several short lists of records read in one query (issue 19: a page's cost must not grow with
the number of kinds of record it shows).

Each list is a queryset of plain rows, without select_related or annotations. The lists are
put together with UNION ALL, each row carried as a JSON object of its columns with its place in
its own list's order, and turned back into model instances. Meant for the short lists about one
child a page shows one after another (their supporting adults, supervision orders, ...).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, models, router
from django.db.models import F, Value, Window
from django.db.models.expressions import OrderBy
from django.db.models.functions import JSONObject, RowNumber
from django.utils import timezone


def _order_by(model, ordering) -> list[OrderBy]:
    expressions = []
    for name in ordering:
        descending = name.startswith("-")
        name = name.lstrip("-")
        column = model._meta.pk.attname if name == "pk" else model._meta.get_field(name).attname
        # A foreign key orders by its column: each list is about one record, so it is constant.
        expressions.append(F(column).desc() if descending else F(column).asc())
    return expressions


def _value(field, value):
    if value is None:
        return None
    value = field.to_python(value)
    if isinstance(field, models.DateTimeField) and settings.USE_TZ and timezone.is_naive(value):
        # SQLite keeps date-times in UTC without an offset.
        value = timezone.make_aware(value, dt.UTC)
    return value


def _together(querysets: dict[str, models.QuerySet]):
    """The one UNION ALL query of the named querysets, and each name's model and columns."""
    parts = []
    shapes = {}
    for name, qs in querysets.items():
        model = qs.model
        fields = list(model._meta.concrete_fields)
        if qs.query.select_related or qs.query.annotations:
            raise ValueError(f"{name}: read_together reads plain rows only")
        if any(isinstance(f, models.JSONField | models.DecimalField) for f in fields):
            raise ValueError(f"{name}: a JSON or decimal column would not come back as it was")
        shapes[name] = (model, fields)
        ordering = list(qs.query.order_by) or list(model._meta.ordering) or ["pk"]
        parts.append(
            qs.order_by()
            .annotate(
                together_list=Value(name, output_field=models.CharField()),
                together_place=Window(RowNumber(), order_by=_order_by(model, ordering)),
                together_row=JSONObject(**{f.attname: f.attname for f in fields}),
            )
            .values_list("together_list", "together_place", "together_row")
        )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return rows, shapes


def _sorted_out(rows, shapes, db: str, names) -> dict[str, list[models.Model]]:
    """(list name, place, row as JSON) rows as each list's model instances, in each list's
    order."""
    found: dict[str, list[tuple[int, models.Model]]] = {name: [] for name in names}
    for name, place, row in rows:
        if isinstance(row, str):  # the driver hands JSON over as text for Django to read
            row = json.loads(row)
        model, fields = shapes[name]
        values = [_value(f, row.get(f.attname)) for f in fields]
        instance = model.from_db(db, [f.attname for f in fields], values)
        found[name].append((place, instance))
    return {
        name: [obj for _, obj in sorted(items, key=lambda i: i[0])] for name, items in found.items()
    }


def read_together(**querysets: models.QuerySet) -> dict[str, list[models.Model]]:
    """Each named queryset's rows, in its own order (the queryset's or its model's), from one
    query."""
    if not querysets:
        return {}
    rows, shapes = _together(querysets)
    return _sorted_out(rows, shapes, rows.db, querysets)


# Stand-ins for the records whose lists are read while the query is compiled: negative, so never
# a real record's, and within a 4-byte integer, so that Django keeps the condition.
_STAND_IN = -2_147_470_000


@dataclass(frozen=True)
class _Compiled:
    """prefetch_together's query for one set of relations, compiled once per process: building
    and compiling its dozen-odd SELECTs was a third of a child's page (issue 19), the same for
    every child. Only the records' numbers are put in at each reading."""

    sql: str
    params: tuple
    # (place in params, which record's number goes there)
    record_at: tuple[tuple[int, int], ...]
    shapes: dict

    def params_for(self, records: list[models.Model]) -> list:
        params = list(self.params)
        for at, n in self.record_at:
            params[at] = records[n].pk
        return params


@functools.lru_cache(maxsize=128)
def _compiled(signature: tuple[tuple[type[models.Model], str, int], ...], alias: str) -> _Compiled:
    """The query for relations (record's model, relation, which record), read for stand-ins."""
    stand_ins: dict[int, models.Model] = {}
    querysets = {}
    for n, (model, name, record) in enumerate(signature):
        if record not in stand_ins:
            stand_ins[record] = model(pk=_STAND_IN - record)
        manager = getattr(stand_ins[record], name)
        querysets[str(n)] = manager.model._default_manager.filter(
            **{manager.field.name: stand_ins[record]}
        )
    rows, shapes = _together(querysets)
    sql, params = rows.query.get_compiler(alias).as_sql()
    stand_in_numbers = {_STAND_IN - record: record for record in stand_ins}
    record_at = tuple(
        (at, stand_in_numbers[value])
        for at, value in enumerate(params)
        if isinstance(value, int) and value in stand_in_numbers
    )
    if {n for _, n in record_at} != set(stand_ins):
        raise RuntimeError("prefetch_together's query lost a record it reads")
    return _Compiled(sql, tuple(params), record_at, shapes)


def prefetch_together(*relations: tuple[models.Model, str]) -> None:
    """Fill the prefetch cache of each (INSTANCE, NAME) one-to-many relation from one query:
    afterwards `instance.NAME.all()` answers from memory, as after `prefetch_related`, in the
    model's own order, each row knowing its parent."""
    if not relations:
        return
    records: list[models.Model] = []
    place: dict[int, int] = {}
    signature = []
    for instance, name in relations:
        if id(instance) not in place:
            place[id(instance)] = len(records)
            records.append(instance)
        signature.append((type(instance), name, place[id(instance)]))
    alias = router.db_for_read(type(records[0]))
    compiled = _compiled(tuple(signature), alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params_for(records))
        names = [column[0] for column in cursor.description]
        read = cursor.fetchall()
    at = [names.index(column) for column in ("together_list", "together_place", "together_row")]
    found = _sorted_out(
        ([row[i] for i in at] for row in read),
        compiled.shapes,
        alias,
        [str(n) for n in range(len(relations))],
    )
    for n, (instance, name) in enumerate(relations):
        manager = getattr(instance, name)
        rows = found[str(n)]
        for row in rows:
            manager.field.set_cached_value(row, instance)
        queryset = manager.get_queryset()
        queryset._result_cache = rows
        queryset._prefetch_done = True
        if not hasattr(instance, "_prefetched_objects_cache"):
            instance._prefetched_objects_cache = {}
        instance._prefetched_objects_cache[manager.field.remote_field.cache_name] = queryset
