"""Small builders of realistic rows and OCDS releases for the ocds_pages tests."""

import copy
import json
from pathlib import Path

from django.conf import settings

from cms.models import Entity, PurchasingUnit

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def load_fixture(relative: str) -> dict:
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


def make_entity(
    *, key="IMSS", name="Instituto Mexicano del Seguro Social", rfc="IMS421231I45"
) -> Entity:
    return Entity.objects.create(key=key, name=name, acronym=key, level="federal", rfc=rfc)


def make_unit(
    *, entity: Entity, key="050GYR047", name="Coordinación de Abastecimiento"
) -> PurchasingUnit:
    return PurchasingUnit.objects.create(entity=entity, key=key, name=name)


def own_ocid(entity: Entity, serial: int = 1) -> str:
    return f"{settings.OCID_PREFIX}-{entity.key}-{serial:06d}"


def buyer_party(entity: Entity) -> dict:
    return {
        "id": f"MX-RFC-{entity.rfc}",
        "name": entity.name,
        "identifier": {"scheme": "MX-RFC", "id": entity.rfc, "legalName": entity.name},
        "address": {"locality": "Ciudad de México", "countryName": "México"},
        "roles": ["buyer", "procuringEntity"],
    }


SUPPLIER = {
    "id": "MX-RFC-MME920427EM3",
    "name": "Medicamentos Mexicanos, S.A. de C.V.",
    "identifier": {
        "scheme": "MX-RFC",
        "id": "MME920427EM3",
        "legalName": "Medicamentos Mexicanos, S.A. de C.V.",
    },
    "roles": ["supplier", "tenderer"],
}

ITEM = {
    "id": "1",
    "description": "Paracetamol tabletas de 500 mg, caja con 10",
    "classification": {"scheme": "CUCOP", "id": "25300002", "description": "Analgésicos"},
    "quantity": 12000,
    "unit": {
        "name": "Caja",
        "value": {"amount": 18.5, "currency": "MXN"},
    },
}


def make_release(*, ocid: str, number: int, date: str, tag: list[str], entity: Entity, **sections):
    release = {
        "ocid": ocid,
        "id": f"{ocid}-{number:04d}",
        "date": date,
        "tag": tag,
        "language": "es",
        "initiationType": "tender",
        "parties": [buyer_party(entity)],
        "buyer": {"id": f"MX-RFC-{entity.rfc}", "name": entity.name},
    }
    release.update(copy.deepcopy(sections))
    return release


def make_tender_release(*, ocid, entity, number=1, date="2025-02-03T10:00:00-06:00", **extra):
    tender = {
        "id": f"{ocid}-tender",
        "title": "Adquisición de medicamentos genéricos para el primer semestre",
        "description": "Licitación pública nacional electrónica para abastecer unidades médicas.",
        "status": "active",
        "procurementMethod": "open",
        "procurementMethodDetails": "Licitación pública",
        "mainProcurementCategory": "goods",
        "value": {"amount": 250000.0, "currency": "MXN"},
        "tenderPeriod": {
            "startDate": "2025-02-03T10:00:00-06:00",
            "endDate": "2025-02-24T10:00:00-06:00",
        },
        "items": [ITEM],
        "numberOfTenderers": 3,
    }
    tender.update(extra.pop("tender", {}))
    return make_release(
        ocid=ocid, number=number, date=date, tag=["tender"], entity=entity, tender=tender, **extra
    )


def make_award_release(*, ocid, entity, number=2, date="2025-03-05T12:00:00-06:00", **extra):
    award = {
        "id": f"{ocid}-award-1",
        "title": "Fallo de la licitación",
        "status": "active",
        "date": "2025-03-05T12:00:00-06:00",
        "value": {"amount": 222000.0, "currency": "MXN"},
        "suppliers": [{"id": SUPPLIER["id"], "name": SUPPLIER["name"]}],
        "items": [ITEM],
    }
    award.update(extra.pop("award", {}))
    release = make_release(
        ocid=ocid, number=number, date=date, tag=["award"], entity=entity, awards=[award], **extra
    )
    release["parties"].append(copy.deepcopy(SUPPLIER))
    return release


def make_contract_release(*, ocid, entity, number=3, date="2025-03-12T09:00:00-06:00", **extra):
    contract = {
        "id": f"{ocid}-contract-1",
        "awardID": f"{ocid}-award-1",
        "title": "Contrato de suministro de medicamentos",
        "status": "active",
        "dateSigned": "2025-03-12T09:00:00-06:00",
        "value": {"amount": 222000.0, "currency": "MXN", "netAmount": 191379.31},
        "period": {
            "startDate": "2025-03-13T00:00:00-06:00",
            "endDate": "2025-06-30T23:59:59-06:00",
        },
        "items": [ITEM],
    }
    contract.update(extra.pop("contract", {}))
    return make_release(
        ocid=ocid,
        number=number,
        date=date,
        tag=["contract"],
        entity=entity,
        contracts=[contract],
        **extra,
    )
