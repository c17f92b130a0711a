"""One ``UPDATE … FROM (VALUES …)`` for many rows, where Django's ``bulk_update`` is slow.

``QuerySet.bulk_update`` writes ``CASE WHEN id = … THEN …`` per field and row, and builds one
expression object per value: for 500 rows of ten columns it spent ≈ 0.8 s in Python per call in
the profile of ``calcular_indicadores`` (docs/benchmarks.md, «Motor de indicadores»). On
PostgreSQL the rows go as one ``VALUES`` list instead, each value prepared by its field exactly
as ``save()`` would; other databases keep ``bulk_update``.
"""

from django.db import connections, router


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
