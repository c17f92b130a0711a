"""Imported processes get the purchasing unit of their ``tender.procuringEntity``, so unit-level
indicators and filters see them (issue 22, item 11)."""

import pytest

from cms.models import PurchasingUnit
from ocds_pages.models import ProcessProjection, Record
from tests.factories import make_unit
from tests.ocds_pages.factories import FIXTURES, make_entity, make_tender_release
from tests.ocds_pages.test_import import OFFICIAL_OCID, run_import
from tests.ocds_pages.test_import_rules import write_jsonl

pytestmark = pytest.mark.django_db


def with_procuring_entity(release, unit_id, name):
    release["tender"]["procuringEntity"] = {"id": unit_id, "name": name}
    return release


def test_the_procuring_entity_is_mapped_to_the_entitys_unit_by_key(tmp_path):
    entity = make_entity()
    unit = make_unit(entity, "050GYR047", name="Coordinación de Abastecimiento")
    release = with_procuring_entity(
        make_tender_release(ocid="ocds-zzzzzz-IMSS-8", entity=entity), "050GYR047", "UC IMSS"
    )

    out, err = run_import(write_jsonl(tmp_path / "uc.jsonl", [release]))

    assert "Importadas: 1" in out, err
    assert Record.objects.get(ocid="ocds-zzzzzz-IMSS-8").unit == unit
    assert ProcessProjection.objects.get(ocid="ocds-zzzzzz-IMSS-8").unit == unit


def test_an_unknown_unit_is_reported_and_created_only_with_crear_entes(tmp_path):
    entity = make_entity()
    release = with_procuring_entity(
        make_tender_release(ocid="ocds-zzzzzz-IMSS-9", entity=entity),
        "UC-NUEVA-01",
        "Unidad de Compras Centrales",
    )
    path = write_jsonl(tmp_path / "nueva.jsonl", [release])

    out, err = run_import(path)
    assert "Importadas: 1" in out
    assert "La unidad compradora 'Unidad de Compras Centrales'" in err
    assert Record.objects.get(ocid="ocds-zzzzzz-IMSS-9").unit is None

    other = with_procuring_entity(
        make_tender_release(ocid="ocds-zzzzzz-IMSS-10", entity=entity),
        "UC-NUEVA-01",
        "Unidad de Compras Centrales",
    )
    out, err = run_import(write_jsonl(tmp_path / "otra.jsonl", [other]), "--crear-entes")
    unit = PurchasingUnit.objects.get(entity=entity, name="Unidad de Compras Centrales")
    assert unit.key == "UCNUEVA01"
    assert Record.objects.get(ocid="ocds-zzzzzz-IMSS-10").unit == unit


def test_an_imported_publication_with_crear_entes_gets_entity_and_unit():
    run_import(FIXTURES / "fictional" / "ocds-213czf-000-00001.json", "--crear-entes")

    record = Record.objects.get(ocid=OFFICIAL_OCID)
    assert record.unit is not None
    assert record.unit.entity == record.entity
    assert record.unit.name == "London Borough of Barnet"
