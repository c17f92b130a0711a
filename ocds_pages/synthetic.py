"""Realistic synthetic contracting processes, as OCDS releases, for the public-site benchmark and
the tests of the public pages.

``lifecycle_releases`` returns the releases a Mexican purchasing unit would publish for one
process — planning, tender, award, contract, a contract amendment (convenio modificatorio) and
implementation with milestones and payments — each valid on its own and in order, so they go
through ``publish_releases`` like any real publication.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from cms.models import Entity
from ocds_pages.publication import build_release_id

STAGES = ("planning", "tender", "award", "contract", "contractAmendment", "implementation")


@dataclass(frozen=True)
class Supplier:
    rfc: str
    name: str

    @property
    def party_id(self) -> str:
        return f"MX-RFC-{self.rfc}"


@dataclass(frozen=True)
class Item:
    description: str
    cucop: str
    quantity: int
    unit: str
    unit_price: Decimal


@dataclass
class ProcessSpec:
    """What varies between processes; everything else follows from it."""

    ocid: str
    title: str
    description: str
    items: list[Item]
    supplier: Supplier
    method: str = "open"
    method_details: str = "Licitación pública"
    category: str = "goods"
    start: datetime = datetime.fromisoformat("2025-02-03T10:00:00-06:00")
    stages: tuple[str, ...] = STAGES
    bidders: list[Supplier] = field(default_factory=list)
    paid_fraction: Decimal = Decimal("0.5")

    @property
    def total(self) -> Decimal:
        return sum((item.unit_price * item.quantity for item in self.items), Decimal(0))


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _amount(value: Decimal) -> dict:
    return {"amount": float(value), "currency": "MXN"}


def _party(supplier: Supplier, roles: list[str]) -> dict:
    return {
        "id": supplier.party_id,
        "name": supplier.name,
        "identifier": {"scheme": "MX-RFC", "id": supplier.rfc, "legalName": supplier.name},
        "roles": roles,
    }


def _buyer(entity: Entity) -> dict:
    return {
        "id": f"MX-RFC-{entity.rfc}",
        "name": entity.name,
        "identifier": {"scheme": "MX-RFC", "id": entity.rfc, "legalName": entity.name},
        "roles": ["buyer", "procuringEntity"],
    }


def _items(spec: ProcessSpec) -> list[dict]:
    return [
        {
            "id": str(number),
            "description": item.description,
            "classification": {"scheme": "CUCOP", "id": item.cucop},
            "quantity": item.quantity,
            "unit": {"name": item.unit, "value": _amount(item.unit_price)},
        }
        for number, item in enumerate(spec.items, start=1)
    ]


def _document(spec: ProcessSpec, key: str, kind: str, title: str, day: datetime) -> dict:
    # The hash of a file that exists only in this generator: stable, so tests can look for it.
    digest = hashlib.sha256(f"{spec.ocid}/{key}".encode()).hexdigest()
    return {
        "id": f"{spec.ocid}-{key}",
        "documentType": kind,
        "title": title,
        "url": f"https://transparencia.example.gob.mx/{spec.ocid}/{key}.pdf",
        "datePublished": _iso(day),
        "format": "application/pdf",
        "sha256": digest,
    }


def _base(spec: ProcessSpec, entity: Entity, number: int, tag: str, day: datetime) -> dict:
    parties = [_buyer(entity)]
    return {
        "ocid": spec.ocid,
        "id": build_release_id(ocid=spec.ocid, number=number),
        "date": _iso(day),
        "tag": [tag],
        "language": "es",
        "initiationType": "tender",
        "parties": parties,
        "buyer": {"id": parties[0]["id"], "name": entity.name},
    }


def _planning(spec: ProcessSpec, day: datetime) -> dict:
    return {
        "planning": {
            "rationale": f"Necesidad del programa anual de adquisiciones: {spec.title.lower()}.",
            "budget": {
                "description": "Partida 25301 Medicinas y productos farmacéuticos",
                "amount": _amount(spec.total * Decimal("1.1")),
            },
            "documents": [
                _document(spec, "paaas", "procurementPlan", "Programa anual", day),
                _document(spec, "mercado", "marketStudies", "Investigación de mercado", day),
            ],
        }
    }


def _tender(spec: ProcessSpec, day: datetime) -> dict:
    bidders = [spec.supplier, *spec.bidders]
    return {
        "tender": {
            "id": f"{spec.ocid}-tender",
            "title": spec.title,
            "description": spec.description,
            "status": "active",
            "procurementMethod": spec.method,
            "procurementMethodDetails": spec.method_details,
            "mainProcurementCategory": spec.category,
            "value": _amount(spec.total),
            "tenderPeriod": {"startDate": _iso(day), "endDate": _iso(day + timedelta(days=21))},
            "items": _items(spec),
            "numberOfTenderers": len(bidders),
            "tenderers": [{"id": s.party_id, "name": s.name} for s in bidders],
            "documents": [_document(spec, "convocatoria", "tenderNotice", "Convocatoria", day)],
        }
    }


def _award(spec: ProcessSpec, day: datetime) -> dict:
    return {
        "awards": [
            {
                "id": f"{spec.ocid}-award-1",
                "title": "Fallo",
                "status": "active",
                "date": _iso(day),
                "value": _amount(spec.total),
                "suppliers": [{"id": spec.supplier.party_id, "name": spec.supplier.name}],
                "items": _items(spec),
                "documents": [_document(spec, "fallo", "awardNotice", "Acta de fallo", day)],
            }
        ]
    }


def _contract(spec: ProcessSpec, day: datetime, **extra) -> dict:
    contract = {
        "id": f"{spec.ocid}-contract-1",
        "awardID": f"{spec.ocid}-award-1",
        "title": f"Contrato: {spec.title}",
        "status": "active",
        "dateSigned": _iso(day),
        "period": {"startDate": _iso(day), "endDate": _iso(day + timedelta(days=120))},
        "value": _amount(spec.total),
        "items": _items(spec),
        "documents": [_document(spec, "contrato", "contractSigned", "Contrato firmado", day)],
    }
    contract.update(extra)
    return {"contracts": [contract]}


def _amendment(spec: ProcessSpec, day: datetime, contract_day: datetime) -> dict:
    amendment = {
        "id": f"{spec.ocid}-amendment-1",
        "date": _iso(day),
        "rationale": "Ampliación del plazo de entrega por causas no imputables al proveedor.",
        "description": "Convenio modificatorio 1: se amplía la vigencia 30 días.",
    }
    period = {
        "startDate": _iso(contract_day),
        "endDate": _iso(contract_day + timedelta(days=150)),
    }
    return _contract(spec, contract_day, period=period, amendments=[amendment])


def _implementation(spec: ProcessSpec, day: datetime, contract_day: datetime, buyer: dict) -> dict:
    paid = (spec.total * spec.paid_fraction).quantize(Decimal("0.01"))
    implementation = {
        "milestones": [
            {
                "id": "entrega-1",
                "title": "Primera entrega en almacén central",
                "type": "delivery",
                "status": "met",
                "dueDate": _iso(day - timedelta(days=2)),
                "dateMet": _iso(day - timedelta(days=3)),
            },
            {
                "id": "entrega-2",
                "title": "Segunda entrega en unidades médicas",
                "type": "delivery",
                "status": "scheduled",
                "dueDate": _iso(day + timedelta(days=60)),
            },
        ],
        "transactions": [
            {
                "id": f"{spec.ocid}-pago-1",
                "source": "https://transparencia.example.gob.mx/pagos",
                "date": _iso(day),
                "value": _amount(paid),
                "payer": {"id": buyer["id"], "name": buyer["name"]},
                "payee": {"id": spec.supplier.party_id, "name": spec.supplier.name},
            }
        ],
        "documents": [
            _document(spec, "avance", "physicalProgressReport", "Informe de avance", day)
        ],
    }
    period = {
        "startDate": _iso(contract_day),
        "endDate": _iso(contract_day + timedelta(days=150)),
    }
    # Amendments stay in the compiled release from their own release (merged by id).
    extra = {"period": period, "implementation": implementation}
    return _contract(spec, contract_day, **extra)


def lifecycle_releases(*, spec: ProcessSpec, entity: Entity) -> list[dict]:
    """The releases of ``spec.stages`` in order, dated from ``spec.start``."""
    days = {
        "planning": spec.start - timedelta(days=20),
        "tender": spec.start,
        "award": spec.start + timedelta(days=30),
        "contract": spec.start + timedelta(days=37),
        "contractAmendment": spec.start + timedelta(days=60),
        "implementation": spec.start + timedelta(days=80),
    }
    releases = []
    for number, stage in enumerate(spec.stages, start=1):
        day = days[stage]
        release = _base(spec, entity, number, stage, day)
        release.update(_sections(spec, stage, day, days["contract"], release["buyer"]))
        if stage in {"award", "contract", "contractAmendment", "implementation"}:
            release["parties"].append(_party(spec.supplier, ["supplier", "tenderer"]))
        if stage == "tender":
            release["parties"] += [_party(bidder, ["tenderer"]) for bidder in spec.bidders]
            release["parties"].append(_party(spec.supplier, ["tenderer"]))
        releases.append(release)
    return releases


def _sections(spec: ProcessSpec, stage, day: datetime, contract_day: datetime, buyer) -> dict:
    if stage == "planning":
        return _planning(spec, day)
    if stage == "tender":
        return _tender(spec, day)
    if stage == "award":
        return _award(spec, day)
    if stage == "contract":
        return _contract(spec, day)
    if stage == "contractAmendment":
        return _amendment(spec, day, contract_day)
    return _implementation(spec, day, contract_day, buyer)
