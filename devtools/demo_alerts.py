"""The integrity cases the demo plants, so an approver and an OIC see real alerts on day one.

Each case is a demo process of the IMSS made through the real workflow
(:class:`devtools.demo_processes.Demo`) whose supplier is a party the fake registries publish:

* **MX-SANC** — the award goes to the company the fake S3 publishes as inhabilitada
  (``KNOWN["s3_company"]``, 2024-01-15 → 2027-01-14). Its award is published; its contract waits
  for the approver, whose review screen shows the blocking finding.
* **MX-EFOS** — the supplier is «Definitivo» on the fake SAT 69-B list since 2025
  (``devtools.fake_sat.KNOWN_69B["definitive"]``).
* **MX-CONFLICT** — the supplier is the company in which the fake S1 declarant
  (``KNOWN["s1_declarant"]``) declared a 60 % shareholding, and the fake S2 publishes that same
  person as having intervened in this procedure: its ``numeroExpedienteFolio`` is the process's
  ocid (:func:`planted_registry_records`, which ``servidores_falsos_pdn`` serves), the identifier
  the engine links an S2 intervention by (ocid or tender/id).
* **MX-ADMAX** and **MX-FRAC** — a direct award above the 2026 legal maximum, and two direct
  awards to one supplier in one week that add up to more than it. The maximum is a
  ``LegalMaximum`` row for 2026 that this loader adds (stated as a demo figure).

The alerts appear once ``make run`` has synced the mirrors from the fakes, imported the fake 69-B
list and run ``calcular_indicadores``. Every other demo process stays clean of high-severity ones.
"""

from dataclasses import dataclass

from django.db import transaction

from cms.models import Entity
from devtools.demo_processes import Demo, Purchase, _contract
from devtools.fake_pdn import KNOWN, V2_COLLECTIONS, Generator
from devtools.fake_sat import KNOWN_69B
from indicadores.engine.stats_model import LegalMaximum
from workflows.base.procedures import Stage
from workflows.processes.process_models import ContractingProcess

ENTITY_KEY = "IMSS"
DEMO_YEAR = 2026
# Not the PEF 2026 figure (each installation enters the one of its budget range): the PEF 2019
# figure the engine ships (indicadores/indicators/legal.py), repeated for the demo's year.
DEMO_MAXIMA = {
    ("goods", "direct"): 636_840,
    ("services", "direct"): 636_840,
    ("goods", "selective"): 4_392_920,
    ("services", "selective"): 4_392_920,
}
DEMO_MAXIMA_SOURCE = "Demostración: cifras del PEF 2019 (IMCO IRC) repetidas para 2026"

_DECLARANT = KNOWN["s1_declarant"]
_SANCTIONED = KNOWN["s3_company"]
_EFOS = KNOWN_69B["definitive"]
_SPLIT_SUPPLIER = ("Papelería y Consumibles del Centro, S.A. de C.V.", "PCC100310WX2")


@dataclass(frozen=True)
class PlantedCase:
    """One planted process: what it buys, by which procedure, and the alert it must raise."""

    code: str
    purchase: Purchase
    procedure_type: str
    days: int = 0  # the period for proposals (competitive procedures)


SANCTIONED = PlantedCase(
    "MX-SANC",
    Purchase("Impermeabilización de la Unidad de Medicina Familiar 12",
             "Impermeabilización de azotea, m²", 1800, 540000,
             _SANCTIONED["name"], _SANCTIONED["rfc"], "works"),
    "adjudicacion_directa",
)  # fmt: skip
EFOS = PlantedCase(
    "MX-EFOS",
    Purchase("Guantes de exploración para unidades médicas",
             "Guante de látex desechable, caja con 100", 6000, 390000,
             _EFOS["name"], _EFOS["rfc"]),
    "adjudicacion_directa",
)  # fmt: skip
CONFLICT = PlantedCase(
    "MX-CONFLICT",
    Purchase("Equipo de protección personal para hospitales", "Respirador N95, caja con 20",
             5000, 1450000, _DECLARANT["company"], _DECLARANT["company_rfc"]),
    "invitacion3",
    days=10,
)  # fmt: skip
ABOVE_MAXIMUM = PlantedCase(
    "MX-ADMAX",
    Purchase("Camas hospitalarias eléctricas", "Cama hospitalaria eléctrica de tres posiciones",
             10, 1250000, "Equipos Hospitalarios de Occidente, S.A. de C.V.", "EHO090909UV1"),
    "adjudicacion_directa",
)  # fmt: skip
SPLIT = [
    PlantedCase(
        "MX-FRAC",
        Purchase(
            f"Papel bond para oficinas ({part})",
            "Papel bond carta, caja con 10 paquetes",
            950,
            380000,
            *_SPLIT_SUPPLIER,
        ),
        "adjudicacion_directa",
    )  # fmt: skip
    for part in ("primera compra", "segunda compra")
]
CASES = [SANCTIONED, EFOS, CONFLICT, ABOVE_MAXIMUM, *SPLIT]


def _legal_maxima() -> None:
    """The demo year's maxima, once (rows are add-only: an existing one is left as it is)."""
    for (category, method), amount in DEMO_MAXIMA.items():
        if not LegalMaximum.objects.filter(
            year=DEMO_YEAR, category=category, method=method
        ).exists():
            LegalMaximum.objects.create(
                year=DEMO_YEAR,
                category=category,
                method=method,
                amount=amount,
                source=DEMO_MAXIMA_SOURCE,
            )


def _plant(demo: Demo, case: PlantedCase) -> ContractingProcess:
    if case is SANCTIONED:
        # Awarded and published; the contract waits for the approver (the blocking panel).
        process = demo.to_contract(case.purchase, case.procedure_type, case.days, upto=Stage.AWARD)
        demo.capture(process, Stage.CONTRACT, _contract(case.purchase, case.days))
        return process
    return demo.to_contract(case.purchase, case.procedure_type, case.days)


@transaction.atomic
def load_planted_cases() -> int:
    """Plant the cases that are not there yet (by title); how many processes were started."""
    entity = Entity.objects.filter(key=ENTITY_KEY).first()
    if entity is None:
        return 0
    _legal_maxima()
    demo = Demo(entity)
    created = 0
    for case in CASES:
        if not ContractingProcess.objects.filter(entity=entity, title=case.purchase.title).exists():
            _plant(demo, case)
            created += 1
    return created


def planted_process(case: PlantedCase) -> ContractingProcess | None:
    return ContractingProcess.objects.filter(
        entity__key=ENTITY_KEY, title=case.purchase.title
    ).first()


def planted_registry_records() -> dict[tuple[str, str], dict[str, list[dict]]]:
    """What the fake registries must add for the planted cases, by (system, version) and
    collection: the S2 v2 record of the S1 declarant intervening in the conflict's procedure,
    filed under its ocid. Empty until the demo processes are loaded (the ocid does not exist)."""
    process = planted_process(CONFLICT)
    if process is None:
        return {}
    person = {key: _DECLARANT[key] for key in ("names", "rfc", "curp")}
    record = Generator(system="s2", version="v2").s2_intervention(
        person, process.ocid, beneficiary=_DECLARANT["company"]
    )
    return {("s2", "v2"): {V2_COLLECTIONS["s2"][0]: [record]}}
