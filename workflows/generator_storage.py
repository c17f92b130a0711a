"""Rows of generated processes and their bulk insertion (the only part of the generator that
differs from publication).

``process_rows`` turns one plan into the rows ``publish_release`` would store — its releases, the
record (compiled and versioned release) and the query projections — without touching the
database, so worker processes can run it. ``store`` inserts a batch in one transaction: ``COPY``
on PostgreSQL (ids of records and process projections allocated from their sequences first, so
children can reference their parents), ``bulk_create`` elsewhere.
"""

import gc
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

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
from workflows import catalogues
from workflows.generator import Plan, form_specs, plan_releases


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


def process_rows(plan: Plan, specs: dict) -> ProcessRows:
    """The rows publish_release would leave for ``plan``: the same release and record fields
    (``publication.release_fields``/``record_fields``) and projection rows."""
    releases = plan_releases(plan, specs)
    entity_id, unit_id = plan.entity.pk, plan.unit.pk
    place = {"entity_id": entity_id, "unit_id": unit_id}
    fields, compiled = record_fields(releases)
    record = {"ocid": plan.ocid, **place, **fields}
    key = RecordKey(plan.ocid, entity_id, unit_id, fields["last_release_date"])
    return ProcessRows(
        releases=[{**release_fields(release), **place} for release in releases],
        record=record,
        process=process_row(record=key, compiled=compiled),
        suppliers=supplier_rows(compiled),
        items=item_rows(compiled),
    )


# --- building, in this process or in workers -----------------------------------------------------

_specs: dict = {}


def _build_chunk(plans: list[Plan]) -> list[ProcessRows]:
    return [process_rows(plan, _specs) for plan in plans]


def default_workers() -> int:
    return os.cpu_count() or 1


def built(plans: list[Plan], *, batch: int, workers: int) -> Iterator[list[ProcessRows]]:
    """The rows of ``plans`` in batches of ``batch``, in plan order whatever ``workers`` is.

    Workers are forked after the forms and catalogues were read, so they never query the
    database.
    """
    _specs.clear()
    _specs.update(form_specs())
    chunks = [plans[start : start + batch] for start in range(0, len(plans), batch)]
    with catalogues.preloaded():
        if workers <= 1:
            for chunk in chunks:
                yield _build_chunk(chunk)
            return
        # The children never use the inherited database connection (and exit without closing it).
        # Small pieces keep both workers busy; imap keeps their order.
        pieces = [chunk[i : i + 25] for chunk in chunks for i in range(0, len(chunk), 25)]
        # The plans stay in the parent (≈ 1.4 KB each); frozen, the children's garbage collector
        # does not touch (and so copy) their pages.
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                pending: list[ProcessRows] = []
                for rows in pool.imap(_build_chunk, pieces):
                    pending += rows
                    while len(pending) >= batch:
                        yield pending[:batch]
                        pending = pending[batch:]
                if pending:
                    yield pending
        finally:
            gc.unfreeze()


# --- insertion -----------------------------------------------------------------------------------


def store(rows: list[ProcessRows]) -> int:
    """Insert one batch in one transaction; returns how many releases it stored."""
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
        releases = (
            {**release, "tags": dumps(release["tags"]), "created_at": now}
            for row in rows
            for release in row.releases
        )
        _copy(cursor, Release, _columns(Release, with_id=False), releases)
        records = (
            {**row.record, "id": pk, "updated_at": now}
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
        serial = int(row.record["ocid"].rsplit("-", 1)[1])
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
