"""Writes of the market research: price rows of published and reference records.

``refresh_local`` runs on each publication (``release_published``); ``rebuild`` redoes every row
from the stored JSON, as ``reconstruir_projecciones`` does for the published side.
"""

import hashlib
from collections.abc import Callable, Iterable

import orjson
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from indicadores.market import items, public, report, screening, selectors, summaries
from indicadores.market.extraction import price_rows, state_of_buyer
from indicadores.market.models import (
    MarketReport,
    MarketStudy,
    PriceDescription,
    PriceObservation,
    ReferenceDataset,
    ReferenceRecord,
    Source,
)
from ocds_pages.models import Record
from workflows.base.procedures import Stage
from workflows.processes import process_services

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
    items.catalogue(rows)
    transaction.on_commit(public.bump_generation)
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
    items.catalogue(rows)
    transaction.on_commit(public.bump_generation)
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
        PriceDescription.objects.all().delete()  # the item search's catalogue, rebuilt with them
    records = Record.objects.select_related("entity").only(
        "pk", "ocid", "entity__state", "unit_id", "compiled_release"
    )
    for batch in _chunks(records):
        with transaction.atomic():
            rows = [row for record in batch for row in _local_rows(record, record.entity.state)]
            PriceObservation.objects.bulk_create(rows, batch_size=CHUNK)
            items.catalogue(rows)
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
    # Every item's whole basket counted now, so the first search of a key after a rebuild reads
    # its statistics instead of counting them (summaries.py).
    counts["summaries"] = summaries.store_all(item_basket)
    public.bump_generation()
    return counts


def rebuild_summary(counts: dict) -> str:
    """What ``rebuild`` did, in one sentence (the command's output and the job's summary)."""
    return (
        _(
            "Precios unitarios: %(prices)s filas de %(records)s procesos publicados y "
            "%(references)s registros de referencia; estadísticas guardadas de %(summaries)s "
            "claves CUCoP."
        )
        % counts
    )


def item_basket(key: str):
    """The whole basket of a CUCoP key, as a search by that key alone finds it."""
    return selectors.search(clasificacion=key)


def rebuild_total() -> int:
    return Record.objects.count() + ReferenceRecord.objects.count()


# --- reports -------------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def study_basket(
    study: MarketStudy, row_limit: int | None = None, candidate_limit: int | None = None
):
    """The basket of a study with its exclusions, and its candidates screened for its entity;
    ``row_limit`` rows and ``candidate_limit`` candidates of it (the screen), or all (the report
    lists every row used and excluded and every candidate, as the law asks the study to document
    its sources)."""
    exclusions = list(study.exclusions.all())
    result = selectors.basket(
        study.search, method=study.method, exclusions=exclusions, row_limit=row_limit
    )
    if candidate_limit is not None:
        result.shorten(candidate_limit)
    parties = {c.key: screening.party_of(c.supplier_id, c.name, c.rfc) for c in result.candidates}
    screenings = screening.screen(parties, entity_ids={study.entity_id})
    for candidate in result.candidates:
        candidate.screening = screenings.get(candidate.key)
    return result


def generate_report(study: MarketStudy, user) -> MarketReport:
    """Build the report's data part, its PDF and XLSX, and store them with their SHA-256."""
    basket = study_basket(study)
    data = report.report_data(study, basket)
    digest = report.data_digest(data)
    pdf_bytes = report.render_pdf(data, digest)
    xlsx_bytes = report.render_xlsx(data, digest)
    units = {row.unit_key for row in basket.reference.rows if not row.excluded}
    return MarketReport.objects.create(
        study=study,
        created_by=user,
        method=study.method,
        reference_price=basket.reference_price,
        unit_key=units.pop() if len(units) == 1 else "",
        classification_id=study.search.get("clasificacion", ""),
        data_sha256=digest,
        data=data,
        pdf=pdf_bytes,
        pdf_sha256=_sha256(pdf_bytes),
        xlsx=xlsx_bytes,
        xlsx_sha256=_sha256(xlsx_bytes),
    )


def attach_report(market_report: MarketReport, user):
    """Add the report's PDF to the planning stage of the study's process, as a «marketStudies»
    document (published with the planning release, with its SHA-256)."""
    study = market_report.study
    previous = (
        MarketReport.objects.filter(study=study, document__isnull=False)
        .exclude(pk=market_report.pk)
        .select_related("document")
        .first()
    )
    uploaded = ContentFile(bytes(market_report.pdf), name="investigacion-de-mercado.pdf")
    document = process_services.document_upload(
        process=study.process,
        user=user,
        stage=Stage.PLANNING,
        uploaded=uploaded,
        title=_("Investigación de mercado: %(need)s") % {"need": study.title[:250]},
        document_type="marketStudies",
        # A regenerated report is a new version of the same document.
        document_id=previous.document.document_id if previous else "",
    )
    market_report.document = document
    market_report.save(update_fields=["document"])
    return document
