"""A small hand-computed dataset of the risk index: four processes of one entity in 2025.

The outcomes are real ``Outcome`` values sent through the real ``outcomes_computed`` with the
arguments the engine sends (release and complete), so the index sees exactly what it sees after a
publication. The expected figures of each test are worked out by hand in its docstring.

| proceso | unidad | método | adjudicado | señalados | sin bandera | no calculables |
|---|---|---|---|---|---|---|
| P1 | U1 | open | 400 000 | MX-DOCS | R018 (3 licitantes), MX-SANC, R003 | MX-LATEPUB |
| P2 | U1 | direct | 300 000 | MX-ADMAX, MX-SANC | MX-FRAC, MX-DOCS | MX-EFOS |
| P3 | U2 | open | 200 000 | R018 (1), MX-DOCS, R003 | MX-SANC | — |
| P4 | U2 | direct | 100 000 | — | MX-ADMAX, MX-SANC | — |
"""

from django.conf import settings
from django.utils import timezone

from indicadores.outcomes import Outcome, OutcomeStatus
from indicadores.signals import outcomes_computed
from tests.indicadores import builders as b

FLAG, CLEAR, UNKNOWN = (
    OutcomeStatus.FLAGGED,
    OutcomeStatus.NOT_FLAGGED,
    OutcomeStatus.NOT_COMPUTABLE,
)


def outcome(code, status, **evidence) -> Outcome:
    missing = ("data",) if status == UNKNOWN else ()
    return Outcome(code=code, version=1, status=status, evidence=evidence, missing=missing)


def send(release, entity, unit, outcomes, *, complete=True):
    outcomes_computed.send(
        sender=Outcome,
        ocid=release["ocid"],
        entity_id=entity.pk,
        unit_id=unit.pk if unit else None,
        outcomes=outcomes,
        computed_at=timezone.now(),
        release=release,
        complete=complete,
    )


def ocid(entity, serial) -> str:
    # Apart from the serials of tests/publishing.py, which a test may publish beside these.
    return f"{settings.OCID_PREFIX}-{entity.key}-{800000 + serial:06d}"


def direct() -> dict:
    return {"procurementMethod": "direct", "procurementMethodDetails": "Adjudicación directa"}


def release(entity, serial, *, amount, contract=None, method="open", **changes) -> dict:
    tender = changes.pop("tender", {})
    if method == "direct":
        tender = {**direct(), **tender}
    data = b.compiled(
        ocid=ocid(entity, serial), award_amount=amount, tender=tender or None, **changes
    )
    data["contracts"][0]["value"]["amount"] = contract if contract is not None else amount
    return data


def p1(entity):
    data = release(
        entity,
        1,
        amount=400000,
        tender={"value": {"amount": 400000, "currency": "MXN"}},
        planning={"budget": {"amount": {"amount": 450000, "currency": "MXN"}}},
    )
    return data, [
        outcome("MX-DOCS", FLAG),
        outcome("R018", CLEAR, tenderers=3),
        outcome("MX-SANC", CLEAR),
        outcome("R003", CLEAR),
        outcome("MX-LATEPUB", UNKNOWN),
    ]


def p2(entity):
    data = release(entity, 2, amount=300000, method="direct", payments=("2025-03-20",))
    return data, [
        outcome("MX-ADMAX", FLAG),
        outcome("MX-SANC", FLAG),
        outcome("MX-FRAC", CLEAR),
        outcome("MX-DOCS", CLEAR),
        outcome("MX-EFOS", UNKNOWN),
    ]


def p3(entity):
    data = release(
        entity,
        3,
        amount=200000,
        contract=500000,
        award_date="2025-02-20T12:00:00-06:00",
        tender={"value": {"amount": 200000, "currency": "MXN"}},
        planning={"budget": {"amount": {"amount": 1000000, "currency": "MXN"}}},
    )
    return data, [
        outcome("R018", FLAG, tenderers=1),
        outcome("MX-DOCS", FLAG),
        outcome("R003", FLAG),
        outcome("MX-SANC", CLEAR),
    ]


def p4(entity):
    data = release(entity, 4, amount=100000, method="direct")
    return data, [outcome("MX-ADMAX", CLEAR), outcome("MX-SANC", CLEAR)]


def plant(entity, u1, u2):
    """Send the four processes; P1 has a servant registered in S2 for its procedure."""
    first, _outcomes = p1(entity)
    b.servant(file_numbers=[first["ocid"]])
    for build, unit in ((p1, u1), (p2, u1), (p3, u2), (p4, u2)):
        data, outcomes = build(entity)
        send(data, entity, unit, outcomes)
