"""One ``UPDATE … FROM (VALUES …)`` for many rows, where Django's ``bulk_update`` is slow.

``QuerySet.bulk_update`` writes ``CASE WHEN id = … THEN …`` per field and row, and builds one
expression object per value: for 500 rows of ten columns it spent ≈ 0.8 s in Python per call in
the profile of ``calcular_indicadores`` (docs/benchmarks.md, «Motor de indicadores»). On
PostgreSQL the rows go as one ``VALUES`` list instead, each value prepared by its field exactly
as ``save()`` would; other databases keep ``bulk_update``.
"""

import hashlib
import json
import threading
import time
from contextlib import contextmanager
from decimal import Decimal

import orjson
from django.db import connections, models, router
from django.db.models import DecimalField, JSONField
from django.utils.functional import Promise


def bulk_update(model, objects: list, fields: list[str], batch_size: int = 1000) -> None:
    """Write ``fields`` of ``objects`` (saved instances of ``model``) in place."""
    if not objects:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._default_manager.using(using).bulk_update(objects, fields, batch_size=batch_size)
        return
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in [pk, *columns])
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns)
    casts = ", ".join(f"%s::{f.db_type(connection)}" for f in [pk, *columns])
    for start in range(0, len(objects), batch_size):
        chunk = objects[start : start + batch_size]
        params = []
        for obj in chunk:
            params.append(pk.get_db_prep_save(obj.pk, connection))
            params += [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
        rows = ", ".join(f"({casts})" for _obj in chunk)
        sql = (
            # Identifiers from the model, quoted; every value is a parameter.
            f"UPDATE {quote(meta.db_table)} SET {assignments} "  # noqa: S608
            f"FROM (VALUES {rows}) AS v({names}) WHERE {quote(meta.db_table)}.{quote(pk.column)} "
            f"= v.{quote(pk.column)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def bulk_insert(model, objects: list, *, with_keys: bool = False) -> list:
    """Insert ``objects`` (new instances of ``model``); ``objects``, with their primary keys
    set when ``with_keys``.

    ``QuerySet.bulk_create`` on PostgreSQL sends each column as one array (``UNNEST``), and with
    client-side binding psycopg quotes every element of a text or JSON array in Python: in the
    profile of the nightly ``calcular_indicadores`` the risk aggregates' and the monitored
    contracts' inserts spent ≈ 45 s of 216 there (docs/benchmarks.md, «Motor de indicadores»).
    ``COPY`` formats the rows in psycopg's C code instead. The keys, when wanted, are drawn from
    the table's sequence first (what the column's default would have drawn). Other databases
    keep ``bulk_create``."""
    if not objects:
        return objects
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        return model._default_manager.using(using).bulk_create(objects)
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk or with_keys]
    quote = connection.ops.quote_name
    # A violated constraint raises Django's IntegrityError, as bulk_create would: COPY goes
    # through psycopg's own cursor, outside Django's wrapper of database errors.
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if with_keys:
            # Table and column names from the model; the count is a parameter.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) AS key FROM generate_series(1, %s) "
                "ORDER BY key",
                [meta.db_table, pk.column, len(objects)],
            )
            for obj, (key,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = key
        stamped = [
            f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        for obj in objects:
            for field in stamped:
                # What save() and bulk_create() do before writing: the field sets its value.
                field.pre_save(obj, add=True)
        columns = ", ".join(quote(f.column) for f in fields)
        statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        started = time.monotonic()
        with raw.copy(statement) as copy:
            for obj in objects:
                copy.write_row(
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                )
        _log(connection, statement, len(objects), time.monotonic() - started)
    for obj in objects:
        obj._state.adding = False
        obj._state.db = using
    return objects


def _log(connection, statement: str, rows: int, seconds: float) -> None:
    """Note the COPY among the connection's queries, as Django notes what its cursor runs: a
    test counting queries (``assertNumQueries``) counts it too."""
    if connection.queries_logged:
        sql = f"{statement} -- {rows} filas"
        connection.queries_log.append({"sql": sql, "time": f"{seconds:.3f}"})


def stored_value(field, value):
    """``value`` of ``field`` as its column keeps it, for telling whether a row about to be
    written equals the stored one: decimals at the column's places, JSON as sorted text (a
    value that differs only in what the column would not keep compares equal; anything else
    differs, and is written)."""
    if value is None:
        return None
    if isinstance(field, DecimalField):
        return Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(field, JSONField):
        return json.dumps(value, cls=field.encoder, sort_keys=True)
    return value


def same_row(stored, new, fields: list[str]) -> bool:
    """Whether ``new`` would write the same ``fields`` as ``stored`` holds."""
    meta = type(stored)._meta
    for name in fields:
        field = meta.get_field(name)
        ours = stored_value(field, getattr(stored, field.attname))
        if ours != stored_value(field, getattr(new, field.attname)):
            return False
    return True


def _plain(value):
    """orjson's fallback for what JSON lacks: a decimal or a lazy text as its text."""
    if isinstance(value, Decimal | Promise):
        return str(value)
    raise TypeError(type(value).__name__)


def fingerprint(*values) -> str:
    """A digest of ``values`` (JSON-like data; tuples, dates and decimals too; dict keys in any
    order), stored beside a row computed from them.

    A recompute that computes the same values again compares 32 characters instead of reading
    the stored row back and decoding its JSON: those reads were a third of the nightly
    ``calcular_indicadores`` (docs/benchmarks.md, «Motor de indicadores»). The digest is always
    taken of freshly computed values, never of values read back, so a decimal's text (``1.0``
    vs ``1.00``) is the same both nights."""
    text = orjson.dumps(
        values, default=_plain, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    )
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def digest_field(verbose_name, help_text) -> models.CharField:
    """The column that keeps a row's ``fingerprint`` (empty until the first recompute)."""
    return models.CharField(
        verbose_name, max_length=32, blank=True, default="", help_text=help_text
    )


def row_fingerprint(obj, fields: list[str]) -> str:
    """``fingerprint`` of these fields of a model instance about to be written."""
    meta = type(obj)._meta
    return fingerprint(*(getattr(obj, meta.get_field(name).attname) for name in fields))


# Whether this thread compares stored rows by their digest (see ``verifying``). Per thread: a
# job without a queue runs in a thread of the web process, whose publications must keep
# trusting. A forked worker of a parallel recompute sets it again (recompute._evaluate_part).
_local = threading.local()


def trusting() -> bool:
    """Whether a stored digest may stand for its row (False inside ``verifying``)."""
    return getattr(_local, "trusted", True)


@contextmanager
def verifying(enabled: bool = True):
    """Inside, no stored digest is trusted: every row is read back whole and compared, and a
    row that differs from what would be written is rewritten though its digest matched (a row
    edited by hand or by a data migration). ``calcular_indicadores --rehacer-agregados``."""
    before = trusting()
    _local.trusted = before and not enabled
    try:
        yield
    finally:
        _local.trusted = before
