"""``field__among=values``: ``field__in=values`` for long lists of plain values, sent as one
array on PostgreSQL.

For ``field__in=[…]`` Django writes one placeholder per value and resolves each value as a
possible expression, and psycopg then splits the query text at every placeholder. A batch of
``calcular_indicadores`` sends about twenty lists of 500 keys (the batch's ocids, its suppliers'
RFCs, the alerts to re-date): in the profile of the nightly run that was ≈ 7 % of the time, all
of it in Python (docs/benchmarks.md, «Motor de indicadores»). On PostgreSQL ``field = ANY(%s)``
sends the list as one array parameter; the plan is the same (PostgreSQL turns ``IN (…)`` into
``= ANY('{…}')`` itself). Other databases keep ``IN``.

A list of texts or integers goes as the array's text, ``'{"a","b"}'``, written here: psycopg
would otherwise quote every element on its own (0.54 ms for 500 ocids, against 0.08 ms for one
string of them; ≈ 200 such lists in every 5 000 processes of a recompute).

The values must be plain, hashable values of the field (text, numbers, dates), never
expressions or querysets; a lookup after a transform (``name__unaccent__among``) is sent as
``IN``. The lookup is registered on ``Field``, which Django does not consult for relations: for
a foreign key, name its target (``entity__pk__among``, or ``entity_id`` through a join).
"""

import re

from django.core.exceptions import EmptyResultSet
from django.db.models import Field
from django.db.models.lookups import In

# "varchar(128)" → "varchar", "numeric(12, 2)" → "numeric": the array's element type without
# its modifier, for an explicit cast to a sized type would cut or round a longer value, where
# IN compares it whole.
_MODIFIER = re.compile(r"\(.*\)")


@Field.register_lookup
class Among(In):
    lookup_name = "among"

    def as_postgresql(self, compiler, connection):
        values = self._array(connection)
        if values is None:
            return super().as_sql(compiler, connection)
        if not values:
            raise EmptyResultSet  # what IN does: nothing matches an empty list
        lhs, lhs_params = self.process_lhs(compiler, connection)
        element = _MODIFIER.sub("", self.lhs.output_field.cast_db_type(connection))
        return f"{lhs} = ANY(%s::{element}[])", (*lhs_params, array_text(values))

    def _array(self, connection) -> list | None:
        """The distinct values without None, prepared by the field; None when the lookup must
        stay an ``IN`` (a subquery or expression, a transform, unhashable values)."""
        if not self.rhs_is_direct_value() or self.bilateral_transforms:
            return None
        field = self.lhs.output_field
        try:
            return list(
                dict.fromkeys(
                    field.get_db_prep_value(value, connection, prepared=True)
                    for value in self.rhs
                    if value is not None
                )
            )
        except TypeError:
            return None


def array_text(values: list) -> str | list:
    """PostgreSQL's text form of an array of texts or integers (``{"a","b\\"c"}``: every
    element quoted, its backslashes and double quotes escaped), or ``values`` as they are when
    one is of another type (psycopg writes those)."""
    if not all(type(value) in (str, int) for value in values):
        return values
    return "{" + ",".join(_element(value) for value in values) + "}"


def _element(value: str | int) -> str:
    if type(value) is int:
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
