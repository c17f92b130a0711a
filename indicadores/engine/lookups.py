"""``field__among=values``: ``field__in=values`` for long lists of plain values, sent as one
array on PostgreSQL.

For ``field__in=[…]`` Django writes one placeholder per value and resolves each value as a
possible expression, and psycopg then splits the query text at every placeholder. A batch of
``calcular_indicadores`` sends about twenty lists of 500 keys (the batch's ocids, its suppliers'
RFCs, the alerts to re-date): in the profile of the nightly run that was ≈ 7 % of the time, all
of it in Python (docs/benchmarks.md, «Motor de indicadores»). On PostgreSQL ``field = ANY(%s)``
sends the list as one parameter, an array psycopg builds in its C code; the plan is the same
(PostgreSQL turns ``IN (…)`` into ``= ANY('{…}')`` itself). Other databases keep ``IN``.

The values must be plain values of the field (text, numbers), never expressions or querysets.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field
from django.db.models.lookups import In


@Field.register_lookup
class Among(In):
    lookup_name = "among"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        field = self.lhs.output_field
        values = list(
            dict.fromkeys(
                field.get_db_prep_value(value, connection, prepared=True)
                for value in self.rhs
                if value is not None
            )
        )
        if not values:
            raise EmptyResultSet  # what IN does: nothing matches an empty list
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::{field.cast_db_type(connection)}[])", (*lhs_params, values)
