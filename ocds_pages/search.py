"""Database primitives for searching and sorting published data the way people read Spanish.

* ``fold(text)``: lower case without accents, so "Pérez" is found by "perez". Projections store
  the folded text of searchable columns (``*_folded``); PostgreSQL's ``ci_fold`` (an IMMUTABLE
  wrapper of ``unaccent``, migration 0003) computes the same inside JSON filters and to fill those
  columns, and SQLite gets it registered in Python on every connection.
* ``SpanishOrder(expression)``: ordering by Spanish collation ("ñ" after "n", accents secondary):
  ICU ``es-x-icu`` on PostgreSQL, a Python collation ``es`` on SQLite.
* ``JsonArrayMatch``: "some element of the array ``<key>`` of a JSON text column satisfies these
  conditions", for the few searchable fields that no projection column holds (award and
  contract titles, parties). It parses JSON per row, so it is meant to narrow an already filtered
  set rather than to scan a national table on its own.
"""

import functools
import re

from django.conf import settings
from django.db import models
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from ocds_pages.party_keys import strip_accents

# JSON keys are written into the SQL of JsonArrayMatch; only OCDS-style names are accepted, and
# they come from code, never from a request (values always travel as parameters).
_JSON_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")

# A letter between "n" and "o": Spanish sorts "ñ" as its own letter after "n".
_ENYE_KEY = "n\U0010ffff"


def fold(text: str | None) -> str:
    """What ``ci_fold`` computes in the database: lower case, accents removed (ñ -> n)."""
    return strip_accents(text or "").lower()


@functools.lru_cache(maxsize=65536)
def spanish_sort_key(text: str) -> tuple[str, str]:
    """Primary key without accents or case (ñ kept after n), the original text breaks ties."""
    lowered = (text or "").lower().replace("ñ", _ENYE_KEY)
    return fold(lowered), text or ""


def _spanish_collation(left: str, right: str) -> int:
    left_key, right_key = spanish_sort_key(left), spanish_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


@receiver(connection_created)
def register_sqlite_functions(sender, connection, **kwargs):
    """SQLite has no unaccent nor ICU: give it the same behaviour from Python."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("ci_fold", 1, fold, deterministic=True)
    connection.connection.create_collation("es", _spanish_collation)


class SpanishOrder(models.Func):
    """``expression COLLATE <Spanish collation>``, for ORDER BY."""

    template = '%(expressions)s COLLATE "%(collation)s"'

    def as_postgresql(self, compiler, connection, **extra):
        collation = getattr(settings, "SPANISH_COLLATION", "es-x-icu")
        return self.as_sql(compiler, connection, collation=collation, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, collation="es", **extra)


def like_contains(term: str) -> str:
    """A LIKE pattern matching ``term`` anywhere, with LIKE's wildcards escaped."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class JsonArrayMatch(models.Func):
    """True when one element of ``<column>.<array_key>`` meets every condition.

    ``contains``: {field: folded term} — the element's text field, folded, contains the term.
    ``any_of``: {field: [values]} — the element's array field holds one of the values
    (``parties/roles``), or its text field equals one of them (``awards/status``).
    """

    output_field = models.BooleanField()

    def __init__(self, column, *, array_key: str, contains=None, any_of=None):
        super().__init__(column)
        self.array_key = array_key
        self.contains = contains or {}
        self.any_of = any_of or {}
        for key in [array_key, *self.contains, *self.any_of]:
            if not _JSON_KEY.match(key):
                raise ValueError(f"JSON key not allowed in SQL: {key!r}")

    def _conditions(self, text_of, array_has):
        sql, params = [], []
        for field, term in self.contains.items():
            sql.append(f"ci_fold({text_of(field)}) LIKE %s ESCAPE '\\'")
            params.append(like_contains(term))
        for field, values in self.any_of.items():
            clause, clause_params = array_has(field, list(values))
            sql.append(clause)
            params += clause_params
        return " AND ".join(sql) or "TRUE", params

    def as_postgresql(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])

        def text_of(field):
            return f"(element ->> '{field}')"

        def array_has(field, values):
            # An array of strings (roles) or a single string (status): jsonb_path handles both.
            placeholders = ", ".join(["%s"] * len(values))
            return (
                f"(CASE jsonb_typeof(element -> '{field}') "
                f"WHEN 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements_text("
                f"element -> '{field}') AS value WHERE value IN ({placeholders})) "
                f"ELSE (element ->> '{field}') IN ({placeholders}) END)",
                values + values,
            )

        conditions, params = self._conditions(text_of, array_has)
        array = f"(({column})::jsonb -> '{self.array_key}')"
        sql = (
            f"(jsonb_typeof({array}) = 'array' AND EXISTS (SELECT 1 FROM "
            f"jsonb_array_elements({array}) AS element WHERE {conditions}))"
        )
        return sql, [*column_params, *params]

    def as_sqlite(self, compiler, connection, **extra):
        column, column_params = compiler.compile(self.source_expressions[0])

        def text_of(field):
            return f"json_extract(element.value, '$.{field}')"

        def array_has(field, values):
            placeholders = ", ".join(["%s"] * len(values))
            path = f"'$.{field}'"
            return (
                f"(CASE json_type(element.value, {path}) "
                f"WHEN 'array' THEN EXISTS (SELECT 1 FROM json_each(element.value, {path}) "
                f"AS value WHERE value.value IN ({placeholders})) "
                f"ELSE json_extract(element.value, {path}) IN ({placeholders}) END)",
                values + values,
            )

        conditions, params = self._conditions(text_of, array_has)
        path = f"'$.{self.array_key}'"
        sql = (
            f"(json_type({column}, {path}) = 'array' AND EXISTS (SELECT 1 FROM "
            f"json_each({column}, {path}) AS element WHERE {conditions}))"
        )
        return sql, [*column_params, *params]
