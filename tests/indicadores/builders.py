"""Builders of compiled releases and mirrored registry rows for the indicator tests."""

import datetime
import itertools

from django.utils import timezone

from indicadores.engine.process import ProcessView
from integraciones.models import (
    RegistryProvider,
    S1Declaration,
    S1Participation,
    S2Procedure,
    S2PublicServant,
    S3Disqualification,
    S3Sanction,
    Sat69bEvent,
    Sat69bTaxpayer,
)
from ocds_pages.party_keys import normalise_name
from workflows.processes.integrity import Candidate

_serial = itertools.count(1)
GENERATION = "00000000-0000-0000-0000-000000000001"
SUPPLIER_RFC = "CVA150101AB1"  # persona moral constituted 2015-01-01
SUPPLIER_NAME = "Constructora del Valle, S.A. de C.V."
BUYER_NAME = "Secretaría de Infraestructura"


def party(name=SUPPLIER_NAME, rfc=SUPPLIER_RFC, roles=("supplier", "tenderer")) -> dict:
    data = {"id": f"MX-RFC-{rfc}" if rfc else f"P-{normalise_name(name)}", "name": name}
    if rfc:
        data["identifier"] = {"scheme": "MX-RFC", "id": rfc, "legalName": name}
    data["roles"] = list(roles)
    return data


def compiled(
    *,
    ocid=None,
    suppliers=(None,),
    award_date="2025-03-05T12:00:00-06:00",
    signed="2025-03-12T09:00:00-06:00",
    payments=(),
    bidders=(),
    tender_start="2025-02-03T10:00:00-06:00",
    tender_end="2025-02-24T10:00:00-06:00",
    awarded=True,
    tender=None,
    award_amount=500000,
    bids=None,
    **sections,
) -> dict:
    """A compiled release: tender, one active award to ``suppliers`` and its contract."""
    ocid = ocid or f"ocds-test-{next(_serial):06d}"
    supplier_parties = [s or party() for s in suppliers] if awarded else []
    parties = [
        {"id": "MX-RFC-SIN120101AA1", "name": BUYER_NAME, "roles": ["buyer", "procuringEntity"]},
        *supplier_parties,
        *[party(name=n, rfc=r, roles=("tenderer",)) for n, r in bidders],
    ]
    release = {
        "ocid": ocid,
        "id": f"{ocid}-1",
        "date": "2025-03-12T09:00:00-06:00",
        "buyer": {"id": "MX-RFC-SIN120101AA1", "name": BUYER_NAME},
        "parties": parties,
        "tender": {
            "id": f"{ocid}-tender",
            "status": "active",
            "procurementMethod": "open",
            "procurementMethodDetails": "Licitación pública nacional",
            "tenderPeriod": {"startDate": tender_start, "endDate": tender_end},
            **(tender or {}),
        },
    }
    if bids is not None:
        release["bids"] = {"details": bids}
    if awarded:
        release["awards"] = [
            {
                "id": f"{ocid}-award-1",
                "status": "active",
                "date": award_date,
                "value": {"amount": award_amount, "currency": "MXN"},
                "suppliers": [{"id": p["id"], "name": p["name"]} for p in supplier_parties],
            }
        ]
    if awarded and signed:
        contract = {
            "id": f"{ocid}-contract-1",
            "awardID": f"{ocid}-award-1",
            "status": "active",
            "dateSigned": signed,
            "value": {"amount": 500000, "currency": "MXN"},
        }
        if payments:
            contract["implementation"] = {
                "transactions": [
                    {"id": str(n), "date": date, "value": {"amount": 1000, "currency": "MXN"}}
                    for n, date in enumerate(payments, 1)
                ]
            }
        release["contracts"] = [contract]
    release.update(sections)
    return release


def view(release: dict, *, stage: str = "", entity_id=None, unit_id=None) -> ProcessView:
    return ProcessView(
        ocid=release["ocid"], entity_id=entity_id, unit_id=unit_id, release=release, stage=stage
    )


def bid(tenderer_id: str, amount, status="valid", currency="MXN") -> dict:
    return {
        "id": f"bid-{tenderer_id}",
        "status": status,
        "value": {"amount": amount, "currency": currency},
        "tenderers": [{"id": tenderer_id, "name": tenderer_id}],
    }


def candidate(release: dict, *, stage="award", entity_id=1) -> Candidate:
    return Candidate(
        ocid=release["ocid"],
        entity_id=entity_id,
        unit_id=None,
        stage=stage,
        compiled_release=release,
    )


# --- registry mirrors ---------------------------------------------------------------------------


def provider(system: str, *, synced=True) -> RegistryProvider:
    row, _created = RegistryProvider.objects.get_or_create(
        name=f"{system}-prueba",
        defaults={
            "system": system,
            "supplier_name": "Secretaría Anticorrupción y Buen Gobierno",
            "url": "http://127.0.0.1:9/",
        },
    )
    if synced and row.last_success_at is None:
        row.last_success_at = timezone.now()
        row.save(update_fields=["last_success_at"])
    return row


def _mirror(system, *, name, rfc="", curp="", collection="c") -> dict:
    return {
        "provider": provider(system),
        "collection": collection,
        "external_id": str(next(_serial)),
        "generation": GENERATION,
        "fetched_at": timezone.now(),
        "raw": {},
        "rfc": rfc,
        "curp": curp,
        "name": name,
        "name_normalised": normalise_name(name),
    }


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def s3_sanction(
    *,
    name=SUPPLIER_NAME,
    rfc=SUPPLIER_RFC,
    curp="",
    subject=S3Sanction.Subject.COMPANY,
    periods=(("2025-01-01", "2027-12-31"),),
    resolution="2024-12-15",
    file_number="EXP-001/2024",
) -> S3Sanction:
    sanction = S3Sanction.objects.create(
        **_mirror("s3", name=name, rfc=rfc, curp=curp),
        subject=subject,
        file_number=file_number,
        authority="Secretaría Anticorrupción y Buen Gobierno",
        sanction_types=["I"],
        resolution_date=_date(resolution),
    )
    for start, end in periods:
        S3Disqualification.objects.create(sanction=sanction, start=_date(start), end=_date(end))
    return sanction


def taxpayer(*, rfc=SUPPLIER_RFC, name=SUPPLIER_NAME, events=()) -> Sat69bTaxpayer:
    """A 69-B taxpayer with (stage, date) events, e.g. (("presunto", "2024-06-01"),)."""
    row = Sat69bTaxpayer.objects.create(
        rfc=rfc,
        name=name,
        name_normalised=normalise_name(name),
        status=events[-1][0].capitalize() if events else "Presunto",
        source="Listado_Completo_69-B.csv",
        fetched_at=timezone.now(),
        raw={},
    )
    for stage, date in events:
        Sat69bEvent.objects.create(taxpayer=row, stage=stage, date=_date(date))
    return row


def servant(*, name="Ana Torres Díaz", rfc="TODA820303QW2", curp="", file_numbers=()):
    row = S2PublicServant.objects.create(
        **_mirror("s2", name=name, rfc=rfc, curp=curp),
        entity_name=BUYER_NAME,
        job_title="Jefa de adquisiciones",
    )
    for file_number in file_numbers:
        S2Procedure.objects.create(
            servant=row, file_number=file_number, act="contratacion", area="AREA_CONTRATANTE"
        )
    return row


def declaration(
    *,
    name="Ana Torres Díaz",
    rfc="TODA820303QW2",
    entity_name="Otra dependencia",
    company=SUPPLIER_NAME,
    company_rfc=SUPPLIER_RFC,
    percentage=40,
) -> S1Declaration:
    row = S1Declaration.objects.create(
        **_mirror("s1", name=name, rfc=rfc),
        declaration_type="MODIFICACION",
        entity_name=entity_name,
        entity_name_normalised=normalise_name(entity_name),
        job_title="Jefa de adquisiciones",
    )
    S1Participation.objects.create(
        declaration=row,
        company_name=company,
        name_normalised=normalise_name(company),
        rfc=company_rfc,
        percentage=percentage,
        kind="ACCI",
        kind_label="Accionista",
        relation="DECLARANTE",
    )
    return row
