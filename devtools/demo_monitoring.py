"""Demo contracts in every monitoring status (issue 19), published for the IMSS demo entity.

Each is a process of four releases (tender, award, contract, implementation) dated relative to
today and published through ``ocds_pages.publication.publish_releases`` like any process, so the
monitoring rows, the alerts and the public pages come from the same path as captured ones. Loaded
once: an entity that already has them is skipped (their titles start with «Seguimiento:»).
"""

import datetime

from django.utils import timezone

from cms.models import Entity
from ocds_pages.models import ProcessProjection
from ocds_pages.publication import next_ocid, publish_releases

SUPPLIERS = [
    ("MX-RFC-LSU010101AA1", "Laboratorios del Sureste, S.A. de C.V.", "LSU010101AA1"),
    ("MX-RFC-DME020202BB2", "Distribuidora Médica del Bajío, S.A. de C.V.", "DME020202BB2"),
    ("MX-RFC-SLI030303CC3", "Servicios de Limpieza Integral, S.A. de C.V.", "SLI030303CC3"),
]
AMOUNT = 1_200_000


def _sentence(text):
    return text[:1].upper() + text[1:]


def _at(today, days):
    return f"{today + datetime.timedelta(days=days)}T10:00:00-06:00"


def _milestone(today, number, due, met=None, accepted=False):
    row = {
        "id": str(number),
        "title": f"Entrega {number}",
        "type": "delivery",
        "dueDate": _at(today, due),
        "status": "met" if met is not None else "scheduled",
    }
    if met is not None:
        row["dateMet"] = _at(today, met)
    if accepted:
        row["documents"] = [
            {
                "id": f"acta-{number}",
                "documentType": "completionCertificate",
                "title": f"Acta de entrega-recepción {number}",
                "url": f"https://imss.example.gob.mx/actas/{number}.pdf",
            }
        ]
    return row


def _payment(today, number, days, amount, supplier):
    return {
        "id": f"5FB2822E-396D-4725-8521-CDC4BDD2{number:04d}",
        "date": _at(today, days),
        "value": {"amount": amount, "currency": "MXN"},
        "payee": {"id": supplier[0], "name": supplier[1]},
    }


def _cases(today):
    """(title, supplier, start, end, milestones, payments, extra contract fields, amended)."""
    m = _milestone
    return [
        ("Seguimiento: medicamentos oncológicos (en tiempo)", 0, -120, 240,
         [m(today, 1, -60, -61, True), m(today, 2, 60), m(today, 3, 180)],
         [(-50, 400_000)], {}, None),
        ("Seguimiento: material de curación (en riesgo)", 1, -200, 10,
         [m(today, 1, -100, -101, True), m(today, 2, 5), m(today, 3, 10)],
         [(-90, 400_000)], {}, None),
        ("Seguimiento: reactivos de laboratorio (atraso leve)", 1, -90, 270,
         [m(today, 1, -12), m(today, 2, 90)], [], {}, None),
        ("Seguimiento: equipo de rayos X (atraso grave)", 0, -300, -100,
         [m(today, 1, -250, -248, True), m(today, 2, -120)], [(-240, 600_000)], {}, None),
        ("Seguimiento: limpieza de hospitales (pagado antes de entregar)", 2, -60, 300,
         [m(today, 1, 30), m(today, 2, 120)], [(-30, 700_000)], {}, None),
        ("Seguimiento: ropa hospitalaria (pagado de más)", 2, -200, -10,
         [m(today, 1, -100, -100, True)], [(-90, 800_000), (-20, 500_000)],
         {"status": "terminated"}, None),
        ("Seguimiento: mantenimiento de elevadores (modificado más del 20 %)", 0, -150, 330,
         [m(today, 1, -60, -60, True), m(today, 2, 150)], [(-50, 450_000)], {}, 1_560_000),
        ("Seguimiento: vacunas (garantía vencida)", 1, -100, 200,
         [m(today, 1, -50, -50, True), m(today, 2, 100)], [(-40, 500_000)],
         {"guarantees": [{
             "id": "G1", "type": "bail", "obligations": "fulfillment",
             "value": {"amount": 120_000, "currency": "MXN"},
             "guarantor": {"name": "Afianzadora Nacional, S.A."},
             "period": {"startDate": _at(today, -100), "endDate": _at(today, -5)},
         }]}, None),
        ("Seguimiento: papelería (concluido)", 1, -200, -30,
         [m(today, 1, -100, -101, True)], [(-90, 1_200_000)], {"status": "terminated"}, None),
    ]  # fmt: skip


def _releases(entity, ocid, today, case):
    title, supplier_index, start, end, milestones, payments, extra, amended = case
    supplier = SUPPLIERS[supplier_index]
    buyer = {"id": f"MX-RFC-{entity.rfc}", "name": entity.name}
    party = {
        "id": supplier[0],
        "name": supplier[1],
        "identifier": {"scheme": "MX-RFC", "id": supplier[2], "legalName": supplier[1]},
        "roles": ["supplier", "tenderer", "payee"],
    }
    base = {"ocid": ocid, "language": "es", "initiationType": "tender", "buyer": buyer}

    def release(number, days, tag, **sections):
        return {
            **base,
            "id": f"{ocid}-{number:04d}",
            "date": _at(today, days),
            "tag": [tag],
            "parties": [{**buyer, "roles": ["buyer", "procuringEntity"]}, party],
            **sections,
        }

    contract = {
        "id": f"{ocid}-contrato-1",
        "awardID": f"{ocid}-fallo-1",
        "title": _sentence(title.removeprefix("Seguimiento: ")),
        "status": extra.get("status", "active"),
        "dateSigned": _at(today, start - 1),
        "value": {"amount": AMOUNT, "currency": "MXN"},
        "period": {"startDate": _at(today, start), "endDate": _at(today, end)},
    }
    if "guarantees" in extra:
        contract["guarantees"] = extra["guarantees"]
    releases = [
        release(1, start - 40, "tender", tender={
            "id": f"{ocid}-licitacion", "title": title, "status": "complete",
            "procurementMethod": "open", "procurementMethodDetails": "Licitación pública",
            "mainProcurementCategory": "services" if supplier_index == 2 else "goods",
        }),
        release(2, start - 5, "award", awards=[{
            "id": f"{ocid}-fallo-1", "status": "active", "date": _at(today, start - 5),
            "value": {"amount": AMOUNT, "currency": "MXN"},
            "suppliers": [{"id": supplier[0], "name": supplier[1]}],
        }]),
        release(3, start - 1, "contract", contracts=[contract]),
    ]  # fmt: skip
    transactions = [
        _payment(today, n, days, amount, supplier) for n, (days, amount) in enumerate(payments, 1)
    ]
    implementation = {"milestones": milestones, "transactions": transactions}
    releases.append(
        release(
            4,
            -2,
            "implementation",
            contracts=[
                {
                    "id": contract["id"],
                    "awardID": contract["awardID"],
                    "implementation": implementation,
                }
            ],
        )
    )
    if amended:
        releases.append(
            release(5, -1, "contractAmendment", contracts=[{
                "id": contract["id"], "awardID": contract["awardID"],
                "value": {"amount": amended, "currency": "MXN"},
                "amendments": [{"id": "CM-1", "date": _at(today, -1),
                                "rationale": "Ampliación de cantidades (LAASSP art. 52)."}],
            }])
        )  # fmt: skip
    return releases


def load_demo_monitoring(entity_key: str = "IMSS") -> int:
    """Publish the demo contracts of every status; how many processes were published."""
    entity = Entity.objects.filter(key=entity_key).first()
    if entity is None:
        return 0
    if ProcessProjection.objects.filter(entity=entity, title__startswith="Seguimiento:").exists():
        return 0
    today = timezone.localdate()
    unit = entity.units.order_by("pk").first()
    cases = _cases(today)
    for case in cases:
        ocid = next_ocid(entity=entity)
        publish_releases(releases=_releases(entity, ocid, today, case), entity=entity, unit=unit)
    return len(cases)
