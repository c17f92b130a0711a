"""Hand-built contracts for the monitoring tests: a compiled release with one contract whose
milestones, payments, guarantees and amendments are given relative to a chosen day."""

import datetime

from tests.ocds_pages.factories import (
    SUPPLIER,
    make_award_release,
    make_contract_release,
    make_release,
    make_tender_release,
)

TODAY = datetime.date(2026, 6, 1)


def day(offset: int, today: datetime.date = TODAY) -> str:
    """An OCDS date-time ``offset`` days from ``today`` (negative: in the past)."""
    return f"{today + datetime.timedelta(days=offset)}T12:00:00-06:00"


def milestone(number, due, met=None, *, accepted=False, kind="delivery") -> dict:
    row = {
        "id": f"E{number}",
        "title": f"Entrega {number}",
        "type": kind,
        "dueDate": due,
        "status": "met" if met else "scheduled",
    }
    if met:
        row["dateMet"] = met
    if accepted:
        row["documents"] = [
            {
                "id": f"acta-{number}",
                "documentType": "completionCertificate",
                "title": "Acta de recepción a entera satisfacción",
                "url": f"https://ente.gob.mx/actas/{number}.pdf",
            }
        ]
    return row


def payment(number, date, amount, currency="MXN") -> dict:
    return {
        "id": f"5FB2822E-396D-4725-8521-CDC4BDD20C{number:02d}",
        "date": date,
        "value": {"amount": amount, "currency": currency},
        "payer": {"id": "buyer", "name": "Ente"},
        "payee": {"id": SUPPLIER["id"], "name": SUPPLIER["name"]},
    }


def guarantee(end, *, start=None) -> dict:
    return {
        "id": "G1",
        "type": "fulfillment",
        "obligations": "performance",
        "value": {"amount": 100000, "currency": "MXN"},
        "guarantor": {"name": "Afianzadora Nacional, S.A."},
        "period": {"startDate": start or day(-150), "endDate": end},
    }


def contract(
    ocid="ocds-test-mon-1",
    *,
    amount=1_000_000,
    start=-150,
    end=210,
    status="active",
    milestones=(),
    payments=(),
    guarantees=(),
    penalties=(),
    amendments=(),
    today=TODAY,
) -> dict:
    """A compiled release of one process with an active award and its contract."""
    row = {
        "id": f"{ocid}-contract-1",
        "awardID": f"{ocid}-award-1",
        "title": "Suministro de medicamentos",
        "status": status,
        "dateSigned": day(start - 1, today),
        "value": {"amount": amount, "currency": "MXN"},
        "period": {"startDate": day(start, today), "endDate": day(end, today)},
        "implementation": {
            "milestones": list(milestones),
            "transactions": list(payments),
            **({"penalties": list(penalties)} if penalties else {}),
        },
    }
    if guarantees:
        row["guarantees"] = list(guarantees)
    if amendments:
        row["amendments"] = list(amendments)
    return {
        "ocid": ocid,
        "id": f"{ocid}-9",
        "date": day(0, today),
        "tag": ["implementation"],
        "buyer": {"id": "MX-RFC-SIN120101AA1", "name": "Secretaría de Salud"},
        "parties": [
            {"id": "MX-RFC-SIN120101AA1", "name": "Secretaría de Salud", "roles": ["buyer"]},
            SUPPLIER,
        ],
        "tender": {
            "id": f"{ocid}-tender",
            "title": "Medicamentos",
            "procurementMethod": "open",
            "procurementMethodDetails": "Licitación pública",
            "mainProcurementCategory": "goods",
        },
        "awards": [
            {
                "id": f"{ocid}-award-1",
                "status": "active",
                "value": {"amount": amount, "currency": "MXN"},
                "suppliers": [{"id": SUPPLIER["id"], "name": SUPPLIER["name"]}],
            }
        ],
        "contracts": [row],
    }


def versioned(ocid, *, amount, start, end, today=TODAY) -> dict:
    """The part of a versioned release that says the contract's original value and period."""

    def history(value):
        return [{"releaseID": f"{ocid}-3", "releaseDate": day(start, today), "value": value}]

    return {
        "contracts": [
            {
                "id": f"{ocid}-contract-1",
                "value": {"amount": history(amount)},
                "period": {
                    "startDate": history(day(start, today)),
                    "endDate": history(day(end, today)),
                },
            }
        ]
    }


def published_releases(
    entity, ocid, *, today, implementation=None, contract_extra=None, supplier=None
):
    """Tender, award and contract releases of a process of ``entity`` (plus an implementation
    release when given), dated relative to ``today``, ready for ``publish_releases``."""
    extra = {
        "value": {"amount": 1_000_000.0, "currency": "MXN"},
        "dateSigned": day(-151, today),
        "period": {"startDate": day(-150, today), "endDate": day(210, today)},
        **(contract_extra or {}),
    }
    releases = [
        make_tender_release(ocid=ocid, entity=entity, date=day(-200, today)),
        make_award_release(
            ocid=ocid,
            entity=entity,
            date=day(-160, today),
            award={"value": {"amount": 1_000_000.0, "currency": "MXN"}},
        ),
        make_contract_release(ocid=ocid, entity=entity, date=day(-151, today), contract=extra),
    ]
    if supplier is not None:
        award = releases[1]
        award["parties"] = [p for p in award["parties"] if p["id"] != SUPPLIER["id"]] + [supplier]
        award["awards"][0]["suppliers"] = [{"id": supplier["id"], "name": supplier["name"]}]
    if implementation is not None:
        releases.append(
            make_release(
                ocid=ocid,
                number=4,
                date=day(-1, today),
                tag=["implementation"],
                entity=entity,
                contracts=[
                    {
                        "id": f"{ocid}-contract-1",
                        "awardID": f"{ocid}-award-1",
                        "implementation": implementation,
                    }
                ],
            )
        )
    return releases


def publish_contract(entity, serial, implementation, *, unit=None, supplier=None, **kwargs):
    """Publish a process of ``entity`` whose contract has ``implementation`` (dated around the
    real today: the rows are assessed as of today); its ocid."""
    from django.utils import timezone

    from ocds_pages.publication import publish_releases
    from tests.ocds_pages.factories import own_ocid

    ocid = own_ocid(entity, serial)
    releases = published_releases(
        entity,
        ocid,
        today=timezone.localdate(),
        implementation=implementation,
        supplier=supplier,
        **kwargs,
    )
    publish_releases(releases=releases, entity=entity, unit=unit)
    return ocid


def persona_fisica(name="Juan Pérez López", rfc="PELJ800101AB1") -> dict:
    return {
        "id": f"MX-RFC-{rfc}",
        "name": name,
        "identifier": {"scheme": "MX-RFC", "id": rfc, "legalName": name},
        "roles": ["supplier", "tenderer"],
    }
