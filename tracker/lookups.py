"""`field__any_of=values`: the `in` lookup, sent to PostgreSQL as one array parameter.

`pk__in` with the 5,000 children of a sweep's batch is 5,000 placeholders: Django prepares each
one and psycopg splits the statement at each one again before sending it, about 60 ms of CPU a
query (bench_sweep, 100,000 children: over a second of the daily sweep). `field = ANY(array)`
is what PostgreSQL makes of an IN list anyway (the same plan, the same index), with the list as
one value. Elsewhere (SQLite for a trial) it is `in` itself.
"""

from __future__ import annotations

from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, IntegerField
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class Keys(frozenset):
    """Integer keys read once and asked about by several queries of a page (the children a
    reader may see): their array text is written once, not for each query (25,000 ids, about
    8 ms a query). A set, not a tuple: Django would rebuild a tuple value by value for each
    query, and the text written with it."""

    @cached_property
    def as_array(self) -> str:
        return "{" + ",".join(map(str, self)) + "}"


@Field.register_lookup
class AnyOf(In):
    lookup_name = "any_of"

    def get_prep_lookup(self):
        # Integer keys (a batch's children) need no preparing one by one: 250,000 calls a
        # daily sweep at 100,000 children.
        if self._integer_keys():
            return self.rhs
        return super().get_prep_lookup()

    def _integer_keys(self) -> bool:
        if isinstance(self.rhs, Keys):
            return True
        return (
            isinstance(self.rhs, (frozenset, set, tuple, list))
            and isinstance(self.lhs.output_field, IntegerField)
            and all(type(value) is int for value in self.rhs)
        )

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        if isinstance(self.rhs, Keys):
            if not self.rhs:
                raise EmptyResultSet
            lhs, lhs_params = self.process_lhs(compiler, connection)
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, self.rhs.as_array)
        # As `in`: NULL is never equal to anything, and an empty list matches nothing.
        values = list(dict.fromkeys(value for value in self.rhs if value is not None))
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        if self._integer_keys():
            # Written out as PostgreSQL's array text: a sixth of psycopg's time for a list.
            values = "{" + ",".join(map(str, values)) + "}"
        else:
            values = [field.get_db_prep_value(v, connection, prepared=True) for v in values]
        array_type = f"{field.cast_db_type(connection)}[]"
        return f"{lhs} = ANY(%s::{array_type})", (*lhs_params, values)


@ForeignObject.register_lookup
class RelatedAnyOf(RelatedIn, AnyOf):
    """`child_id__any_of` (a foreign key's own lookups are separate from a field's)."""

    lookup_name = "any_of"
