"""Several short lists of records read in one query (issue 19: a page's cost must not grow with
the number of kinds of record it shows).

Each list is a queryset of plain rows, without select_related or annotations. The lists are
put together with UNION ALL, each row carried as a JSON object of its columns with its place in
its own list's order, and turned back into model instances. Meant for the short lists about one
child a page shows one after another (their supporting adults, supervision orders, ...).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
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


def read_together(**querysets: models.QuerySet) -> dict[str, list[models.Model]]:
    """Each named queryset's rows, in its own order (the queryset's or its model's), from one
    query."""
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
    if not parts:
        return {}
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    found: dict[str, list[tuple[int, models.Model]]] = {name: [] for name in querysets}
    for name, place, row in rows:
        model, fields = shapes[name]
        values = [_value(f, row.get(f.attname)) for f in fields]
        instance = model.from_db(rows.db, [f.attname for f in fields], values)
        found[name].append((place, instance))
    return {
        name: [obj for _, obj in sorted(items, key=lambda i: i[0])] for name, items in found.items()
    }


def prefetch_together(*relations: tuple[models.Model, str]) -> None:
    """Fill the prefetch cache of each (INSTANCE, NAME) one-to-many relation from one query:
    afterwards `instance.NAME.all()` answers from memory, as after `prefetch_related`, in the
    model's own order, each row knowing its parent."""
    managers = {
        f"{name}@{instance.pk}": (instance, getattr(instance, name)) for instance, name in relations
    }
    found = read_together(
        **{
            key: manager.model._default_manager.filter(**{manager.field.name: instance})
            for key, (instance, manager) in managers.items()
        }
    )
    for key, (instance, manager) in managers.items():
        rows = found[key]
        for row in rows:
            manager.field.set_cached_value(row, instance)
        queryset = manager.get_queryset()
        queryset._result_cache = rows
        queryset._prefetch_done = True
        if not hasattr(instance, "_prefetched_objects_cache"):
            instance._prefetched_objects_cache = {}
        instance._prefetched_objects_cache[manager.field.remote_field.cache_name] = queryset
