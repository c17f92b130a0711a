"""Publication in bulk: whole processes stored at once, with the rows ``publish_releases`` stores.

For loads of many processes built elsewhere in memory (the synthetic data generator of devtools/
stores hundreds of thousands of releases this way). ``process_rows`` turns the releases of one
process into its rows — releases, the record (compiled and versioned release) and the query
projections — with the same functions publication uses (``publication.release_fields`` and
``record_fields``, ``projections.process_row``…) and without touching the database, so worker
processes can run it. ``store_processes`` inserts a batch in one transaction: ``COPY`` on
PostgreSQL (ids of records and process projections allocated from their sequences first, so
children can reference their parents), ``bulk_create`` elsewhere; it advances the entities' ocid
counters so that ``next_ocid`` continues after them.

What it does not do, unlike ``publish_releases``: validate (the caller vouches for its releases;
the generator's tests validate every one), lock or merge with releases already stored (the
processes must be new), and send ``release_published``. tests/ocds_pages/test_bulk_publication.py
checks that the stored rows equal those ``publish_releases`` leaves.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ocds_pages.extension import ReleaseSchema
from ocds_pages.models import (
    ItemProjection,
    OcidCounter,
    ProcessProjection,
    Record,
    Release,
    SupplierProjection,
)
from ocds_pages.projections import item_rows, process_row, supplier_rows
from ocds_pages.publication import dumps, record_fields, release_fields


@dataclass(frozen=True)
class RecordKey:
    """What projections.process_row reads of a Record."""

    ocid: str
    entity_id: int
    unit_id: int | None
    last_release_date: object


@dataclass
class ProcessRows:
    """Everything stored for one process, as column values by attribute name."""

    releases: list[dict]
    record: dict
    process: dict
    suppliers: list[dict]
    items: list[dict]


def process_rows(
    *,
    ocid: str,
    entity_id: int,
    unit_id: int | None,
    releases: list[dict],
    schema: ReleaseSchema | None = None,
) -> ProcessRows:
    """The rows publish_releases would leave for ``releases`` (all of one new ocid).

    Without database access when ``schema`` is given (the generator's forked workers)."""
    place = {"entity_id": entity_id, "unit_id": unit_id}
    fields, compiled = record_fields(releases, schema=schema)
    record = {"ocid": ocid, **place, **fields}
    key = RecordKey(ocid, entity_id, unit_id, fields["last_release_date"])
    return ProcessRows(
        releases=[{**release_fields(release), **place} for release in releases],
        record=record,
        process=process_row(record=key, compiled=compiled),
        suppliers=supplier_rows(compiled),
        items=item_rows(compiled),
    )


def store_processes(rows: list[ProcessRows]) -> int:
    """Insert one batch of new processes in one transaction; returns how many releases it
    stored."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy_batch(rows)
        else:
            _bulk_create_batch(rows)
        _advance_counters(rows)
    return sum(len(row.releases) for row in rows)


def _columns(model, *, with_id: bool) -> list[str]:
    return [
        field.attname for field in model._meta.concrete_fields if with_id or not field.primary_key
    ]


def _allocate_ids(cursor, model, count: int) -> list[int]:
    table = model._meta.db_table
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _copy(cursor, model, columns: list[str], rows: Iterable[dict]) -> None:
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def _copy_batch(rows: list[ProcessRows]) -> None:
    now = timezone.now()
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg 3: cursor.copy()
        record_ids = _allocate_ids(cursor, Record, len(rows))
        process_ids = _allocate_ids(cursor, ProcessProjection, len(rows))
        # COPY names every column: the declared extensions (migration 0012) of what a row does
        # not declare are NULL, as the model's default.
        releases = (
            {"extensions": None, **release, "tags": dumps(release["tags"]), "created_at": now}
            for row in rows
            for release in row.releases
        )
        _copy(cursor, Release, _columns(Release, with_id=False), releases)
        records = (
            {"extensions": None, **row.record, "id": pk, "updated_at": now}
            for row, pk in zip(rows, record_ids, strict=True)
        )
        _copy(cursor, Record, _columns(Record, with_id=True), records)
        processes = (
            {**row.process, "id": pk, "record_id": record_pk}
            for row, pk, record_pk in zip(rows, process_ids, record_ids, strict=True)
        )
        _copy(cursor, ProcessProjection, _columns(ProcessProjection, with_id=True), processes)
        suppliers = (
            {**supplier, "process_id": pk}
            for row, pk in zip(rows, process_ids, strict=True)
            for supplier in row.suppliers
        )
        _copy(cursor, SupplierProjection, _columns(SupplierProjection, with_id=False), suppliers)
        items = (
            {**item, "process_id": pk}
            for row, pk in zip(rows, process_ids, strict=True)
            for item in row.items
        )
        _copy(cursor, ItemProjection, _columns(ItemProjection, with_id=False), items)


def _bulk_create_batch(rows: list[ProcessRows]) -> None:
    Release.objects.bulk_create(Release(**release) for row in rows for release in row.releases)
    records = Record.objects.bulk_create(Record(**row.record) for row in rows)
    processes = ProcessProjection.objects.bulk_create(
        ProcessProjection(record=record, **row.process)
        for row, record in zip(rows, records, strict=True)
    )
    SupplierProjection.objects.bulk_create(
        SupplierProjection(process=process, **supplier)
        for row, process in zip(rows, processes, strict=True)
        for supplier in row.suppliers
    )
    ItemProjection.objects.bulk_create(
        ItemProjection(process=process, **item)
        for row, process in zip(rows, processes, strict=True)
        for item in row.items
    )


def _advance_counters(rows: list[ProcessRows]) -> None:
    last: dict[int, int] = {}
    for row in rows:
        entity_id = row.record["entity_id"]
        serial = _serial(row.record["ocid"])
        if serial is not None:
            last[entity_id] = max(serial, last.get(entity_id, 0))
    counters = {c.entity_id: c for c in OcidCounter.objects.filter(entity_id__in=list(last))}
    OcidCounter.objects.bulk_create(
        OcidCounter(entity_id=entity_id, last_serial=serial)
        for entity_id, serial in last.items()
        if entity_id not in counters
    )
    changed = []
    for entity_id, counter in counters.items():
        if counter.last_serial < last[entity_id]:
            counter.last_serial = last[entity_id]
            changed.append(counter)
    OcidCounter.objects.bulk_update(changed, ["last_serial"], batch_size=500)


def _serial(ocid: str) -> int | None:
    """The serial of an ocid ``next_ocid`` would give (``<prefix>-<entity>-<serial>``)."""
    tail = ocid.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None
