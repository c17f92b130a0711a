"""Publication in bulk stores exactly the rows ``publish_releases`` stores (the generator's path).

The same process is published twice under two ocids: once through ``publish_releases``, once
through ``bulk_publication.process_rows`` + ``store_processes`` (COPY on PostgreSQL,
``bulk_create`` on SQLite). Releases are append-only, so the comparison is between the two ocids:
the second process is the first with its ocid rewritten, and the rows are compared with each ocid
replaced by a placeholder.
"""

from dataclasses import replace
from decimal import Decimal

import orjson
import pytest

from devtools.generator import Item, ProcessSpec, Supplier, lifecycle_releases
from ocds_pages.bulk_publication import process_rows, store_processes
from ocds_pages.models import (
    ItemProjection,
    OcidCounter,
    ProcessProjection,
    Record,
    Release,
    SupplierProjection,
)
from ocds_pages.projections import normalize_name
from ocds_pages.publication import next_ocid, publish_releases
from tests.ocds_pages.factories import make_entity, make_unit, own_ocid

pytestmark = pytest.mark.django_db

SPEC = ProcessSpec(
    ocid="",
    title="Adquisición de medicamentos genéricos",
    description="Licitación pública nacional para abastecer unidades médicas.",
    items=[
        Item("Paracetamol tabletas 500 mg", "25301001", 1200, "Caja", Decimal("18.50"), "25301"),
        Item("Amoxicilina cápsulas 500 mg", "25301003", 800, "Caja", Decimal("42.00"), "25301"),
    ],
    supplier=Supplier("MME920427EM3", "Medicamentos Mexicanos, S.A. de C.V."),
    bidders=[Supplier("FGE990909QW3", "Farmacéutica del Golfo, S.A. de C.V.")],
)
# Columns that differ between any two insertions: keys and the moment of writing.
UNCOMPARED = {"id", "record_id", "process_id", "created_at", "updated_at"}


def rows(ocid: str) -> dict:
    """Every stored row of ``ocid``, as text, with the ocid (also as the search text writes it)
    replaced by a placeholder."""

    def text(value) -> str:
        return str(value).replace(ocid, "<ocid>").replace(normalize_name(ocid), "<ocid>")

    def values(queryset) -> list:
        return sorted(
            tuple(
                (name, text(value)) for name, value in sorted(row.items()) if name not in UNCOMPARED
            )
            for row in queryset.values()
        )

    return {
        "releases": values(Release.objects.filter(ocid=ocid)),
        "record": values(Record.objects.filter(ocid=ocid)),
        "process": values(ProcessProjection.objects.filter(record__ocid=ocid)),
        "suppliers": values(SupplierProjection.objects.filter(process__record__ocid=ocid)),
        "items": values(ItemProjection.objects.filter(process__record__ocid=ocid)),
    }


def test_bulk_rows_equal_what_publish_releases_stores():
    entity = make_entity()
    unit = make_unit(entity=entity)
    published, bulk = own_ocid(entity, 1), own_ocid(entity, 2)
    releases = lifecycle_releases(spec=replace(SPEC, ocid=published), entity=entity)
    publish_releases(releases=releases, entity=entity, unit=unit)

    releases = orjson.loads(orjson.dumps(releases).replace(published.encode(), bulk.encode()))
    stored = store_processes(
        [process_rows(ocid=bulk, entity_id=entity.pk, unit_id=unit.pk, releases=releases)]
    )

    assert stored == len(releases) == 6
    expected = rows(published)
    assert expected["suppliers"] and expected["items"]
    assert rows(bulk) == expected


def test_bulk_storage_advances_the_ocid_counter():
    entity = make_entity()
    ocids = [own_ocid(entity, serial) for serial in (3, 7)]
    batch = [
        process_rows(
            ocid=ocid,
            entity_id=entity.pk,
            unit_id=None,
            releases=lifecycle_releases(spec=replace(SPEC, ocid=ocid), entity=entity),
        )
        for ocid in ocids
    ]

    store_processes(batch)

    assert OcidCounter.objects.get(entity=entity).last_serial == 7
    assert next_ocid(entity=entity) == own_ocid(entity, 8)
