"""Fast bulk inserts and upserts for the tracker's own derived tables (deadlines, alerts) and
the notifications they raise.

On PostgreSQL the rows go in with COPY (an upsert through a scratch table), without building a
model instance and preparing every value in Python, which is most of the cost when a first
sweep writes hundreds of thousands of rows. Elsewhere (SQLite for a trial) it is `bulk_create`
itself. Never used for case data, which is written through services with its history.

Every name in the SQL below is a table or column name from the model's own metadata, quoted
by the database backend; the values travel separately (COPY data or parameters).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def insert(
    model,
    columns: Sequence[str],
    rows: Sequence[tuple],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
    returning_pk: bool = False,
) -> list[int]:
    """Insert ROWS (tuples in COLUMNS order, attnames like `child_id`); with CONFLICT and
    UPDATE, update those columns where a row with the same CONFLICT columns exists. Returns the
    new primary keys, in order, when asked. Must run inside a transaction."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return _fallback(model, columns, rows, conflict, update, returning_pk)
    meta = model._meta
    qn = connection.ops.quote_name
    by_attname = {field.attname: field for field in meta.concrete_fields}
    names = [qn((by_attname.get(c) or meta.get_field(c)).column) for c in columns]
    table = qn(meta.db_table)
    pks: list[int] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        if returning_pk:
            # Take the keys from the table's sequence first, so that COPY can write them.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            pks = [pk for (pk,) in cursor.fetchall()]
            names = [qn(meta.pk.column), *names]
            rows = [(pk, *row) for pk, row in zip(pks, rows, strict=True)]
        column_sql = ", ".join(names)
        if not conflict:
            _copy(raw, table, column_sql, rows)
            return pks
        # An upsert: COPY into a scratch table shaped like the columns, then one INSERT.
        scratch = qn(f"tracker_bulk_{meta.db_table}")
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        cursor.execute(
            f"CREATE TEMP TABLE {scratch} ON COMMIT DROP AS "  # noqa: S608 (names from metadata)
            f"SELECT {column_sql} FROM {table} WITH NO DATA"
        )
        _copy(raw, scratch, column_sql, rows)
        targets = ", ".join(qn(meta.get_field(c).column) for c in conflict)
        if update:
            sets = ", ".join(
                f"{qn(meta.get_field(c).column)} = EXCLUDED.{qn(meta.get_field(c).column)}"
                for c in update
            )
            action = f"DO UPDATE SET {sets}"
        else:
            action = "DO NOTHING"
        cursor.execute(
            f"INSERT INTO {table} ({column_sql}) SELECT {column_sql} FROM {scratch} "  # noqa: S608
            f"ON CONFLICT ({targets}) {action}"
        )
        cursor.execute(f"DROP TABLE {scratch}")
    return pks


def _copy(raw_cursor, table: str, column_sql: str, rows: Sequence[tuple]) -> None:
    with raw_cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _fallback(model, columns, rows, conflict, update, returning_pk) -> list[int]:
    objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    options = {}
    if conflict and update:
        options = {"update_conflicts": True, "unique_fields": conflict, "update_fields": update}
    elif conflict:
        options = {"ignore_conflicts": True}
    created = model.objects.bulk_create(objects, batch_size=1000, **options)
    return [obj.pk for obj in created] if returning_pk else []
