import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.core.management import call_command

from ocds_pages.models import ItemProjection, ProcessProjection, SupplierProjection
from ocds_pages.projections import normalize_name
from ocds_pages.publication import publish_release
from tests.ocds_pages.factories import (
    make_award_release,
    make_contract_release,
    make_entity,
    make_tender_release,
    make_unit,
    own_ocid,
)

CDMX = timezone(timedelta(hours=-6))


def publish_full_process(entity, unit=None):
    ocid = own_ocid(entity)
    for make in (make_tender_release, make_award_release, make_contract_release):
        publish_release(release=make(ocid=ocid, entity=entity), entity=entity, unit=unit)
    return ocid


@pytest.mark.django_db
def test_process_projection_holds_the_compiled_state():
    entity = make_entity()
    unit = make_unit(entity=entity)
    ocid = publish_full_process(entity, unit)

    process = ProcessProjection.objects.get(ocid=ocid)

    assert (process.entity, process.unit) == (entity, unit)
    assert process.buyer_id == "MX-RFC-IMS421231I45"
    assert process.buyer_name == "Instituto Mexicano del Seguro Social"
    assert process.title == "Adquisición de medicamentos genéricos para el primer semestre"
    assert (process.procurement_method, process.procurement_method_details) == (
        "open",
        "Licitación pública",
    )
    assert process.main_procurement_category == "goods"
    assert (process.tender_status, process.award_status, process.contract_status) == (
        "active",
        "active",
        "active",
    )
    assert (process.tender_amount, process.tender_currency) == (Decimal("250000"), "MXN")
    assert (process.awarded_amount, process.contracted_amount) == (
        Decimal("222000"),
        Decimal("222000"),
    )
    assert process.tender_start == datetime(2025, 2, 3, 10, tzinfo=CDMX)
    assert process.tender_end == datetime(2025, 2, 24, 10, tzinfo=CDMX)
    assert process.award_date == datetime(2025, 3, 5, 12, tzinfo=CDMX)
    assert process.contract_date_signed == datetime(2025, 3, 12, 9, tzinfo=CDMX)
    assert process.number_of_tenderers == 3
    assert process.last_release_date == datetime(2025, 3, 12, 9, tzinfo=CDMX)


@pytest.mark.django_db
def test_suppliers_and_items_are_projected_for_market_research():
    ocid = publish_full_process(make_entity())

    supplier = SupplierProjection.objects.get(process__ocid=ocid)
    items = ItemProjection.objects.filter(process__ocid=ocid).order_by("section")

    assert (supplier.party_id, supplier.identifier) == ("MX-RFC-MME920427EM3", "MME920427EM3")
    assert supplier.normalized_name == "MEDICAMENTOS MEXICANOS"  # as the registries key it
    assert [item.section for item in items] == ["award", "contract", "tender"]
    item = items[0]
    assert (item.classification_scheme, item.classification_id) == ("CUCOP", "25300002")
    assert item.quantity == Decimal("12000")
    assert (item.unit_name, item.unit_price, item.unit_price_currency) == (
        "Caja",
        Decimal("18.5"),
        "MXN",
    )


@pytest.mark.django_db
def test_a_cancelled_award_does_not_count_as_awarded():
    entity = make_entity()
    ocid = own_ocid(entity)
    publish_release(release=make_tender_release(ocid=ocid, entity=entity), entity=entity)
    publish_release(
        release=make_award_release(ocid=ocid, entity=entity, award={"status": "cancelled"}),
        entity=entity,
    )

    process = ProcessProjection.objects.get(ocid=ocid)

    assert process.award_status == "cancelled"
    assert process.awarded_amount is None


@pytest.mark.django_db
def test_reconstruir_proyecciones_rebuilds_them_from_the_records():
    ocid = publish_full_process(make_entity())
    ProcessProjection.objects.all().delete()
    out = io.StringIO()

    call_command("reconstruir_proyecciones", "--sin-progreso", stdout=out)

    assert "Procesos proyectados: 1" in out.getvalue()
    process = ProcessProjection.objects.get(ocid=ocid)
    assert process.contracted_amount == Decimal("222000")
    assert process.suppliers.count() == 1
    assert process.items.count() == 3


@pytest.mark.django_db
def test_recompilar_registros_recompiles_every_record():
    ocid = publish_full_process(make_entity())
    ProcessProjection.objects.all().delete()
    out = io.StringIO()

    call_command("recompilar_registros", "--sin-progreso", stdout=out)

    assert "Registros recompilados: 1" in out.getvalue()
    assert ProcessProjection.objects.get(ocid=ocid).award_status == "active"


def test_names_are_normalised_without_accents_or_punctuation():
    assert normalize_name("  Constructora  Pérez, S.A. de C.V. ") == "CONSTRUCTORA PEREZ S A DE C V"
