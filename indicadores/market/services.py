"""Writes of the market research: price rows of published and reference records.

``refresh_local`` runs on each publication (``release_published``); ``rebuild`` redoes every row
from the stored JSON, as ``reconstruir_projecciones`` does for the published side.
"""

from collections.abc import Callable, Iterable

import orjson
from django.db import transaction

from indicadores.market.extraction import price_rows, state_of_buyer
from indicadores.market.models import (
    PriceObservation,
    ReferenceDataset,
    ReferenceRecord,
    Source,
)
from ocds_pages.models import Record

CHUNK = 500


def _local_rows(record: Record, state: str) -> list[PriceObservation]:
    compiled = orjson.loads(record.compiled_release)
    return [
        PriceObservation(
            source=Source.LOCAL,
            entity_id=record.entity_id,
            unit_id=record.unit_id,
            state=state or state_of_buyer(compiled),
            **row,
        )
        for row in price_rows(record.ocid, compiled)
    ]


def _reference_rows(reference: ReferenceRecord) -> list[PriceObservation]:
    compiled = orjson.loads(reference.compiled_release)
    state = state_of_buyer(compiled)
    return [
        PriceObservation(
            source=Source.REFERENCE, dataset_id=reference.dataset_id, state=state, **row
        )
        for row in price_rows(reference.ocid, compiled)
    ]


@transaction.atomic
def refresh_local(record: Record) -> int:
    """Replace the price rows of one published process; returns how many it has now."""
    PriceObservation.objects.filter(source=Source.LOCAL, ocid=record.ocid).delete()
    rows = _local_rows(record, record.entity.state if record.entity_id else "")
    PriceObservation.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def refresh_reference(references: Iterable[ReferenceRecord]) -> int:
    """Replace the price rows of these reference records (one dataset or several)."""
    references = list(references)
    for dataset_id in {ref.dataset_id for ref in references}:
        ocids = [ref.ocid for ref in references if ref.dataset_id == dataset_id]
        PriceObservation.objects.filter(dataset_id=dataset_id, ocid__in=ocids).delete()
    rows = [row for ref in references for row in _reference_rows(ref)]
    PriceObservation.objects.bulk_create(rows, batch_size=CHUNK)
    return len(rows)


def _chunks(queryset, size: int = CHUNK):
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def rebuild(progress: Callable[[int], None] | None = None) -> dict:
    """Redo every price row from the published records and the stored reference records."""
    counts = {"records": 0, "references": 0, "prices": 0}
    with transaction.atomic():
        PriceObservation.objects.all().delete()
    records = Record.objects.select_related("entity").only(
        "pk", "ocid", "entity__state", "unit_id", "compiled_release"
    )
    for batch in _chunks(records):
        with transaction.atomic():
            rows = [row for record in batch for row in _local_rows(record, record.entity.state)]
            PriceObservation.objects.bulk_create(rows, batch_size=CHUNK)
        counts["records"] += len(batch)
        counts["prices"] += len(rows)
        if progress:
            progress(len(batch))
    for batch in _chunks(ReferenceRecord.objects.all()):
        counts["prices"] += refresh_reference(batch)
        counts["references"] += len(batch)
        if progress:
            progress(len(batch))
    for dataset in ReferenceDataset.objects.all():
        dataset.records = dataset.reference_records.count()
        dataset.save(update_fields=["records"])
    return counts


def rebuild_total() -> int:
    return Record.objects.count() + ReferenceRecord.objects.count()
