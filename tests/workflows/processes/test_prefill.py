"""What a stage's form starts with and what the approver is shown as changed
(workflows.processes.prefill, issue 16, item 7): published values back as a person would type
them, only the main stages, and changes field by field."""

import pytest

from workflows.forms.defaults import AWARD, CONTRACT_AMENDMENT, PLANNING, TENDER_DIRECT, TENDER_OPEN
from workflows.processes import prefill


def spec(fields, stage):
    return {"stage": stage, "fields": fields}


TENDER_RECORD = {
    "parties": [{"id": "MX-RFC-MME920427EM3", "identifier": {"id": "MME920427EM3"}}],
    "tender": {
        "title": "Paracetamol para unidades médicas",
        "value": {"amount": 222000, "currency": "MXN"},
        "tenderPeriod": {"endDate": "2026-02-23T09:00:00-06:00"},
        "items": [
            {
                "id": "1",
                "description": "Paracetamol tabletas de 500 mg",
                "classification": {"scheme": "CUCOP", "id": "25301001", "description": "…"},
                "quantity": 12000,
                "unit": {"id": "XBX", "value": {"amount": 18.5, "currency": "MXN"}},
            }
        ],
    },
}


def test_the_award_starts_from_the_tender_as_typed_values():
    values = prefill.stage_values(
        spec(AWARD, "award"), stage="award", procedure_type="lp_nacional", known=TENDER_RECORD
    )
    assert values["titulo"] == "Paracetamol para unidades médicas"
    assert values["monto"] == {"amount": "222000", "currency": "MXN"}
    assert values["partidas"] == [
        {
            "descripcion": "Paracetamol tabletas de 500 mg",
            "cucop": "25301001",
            "cantidad": "12000",
            "unidad": "XBX",
            "precioUnitario": {"amount": "18.5", "currency": "MXN"},
        }
    ]
    # New in the award: nobody published them before.
    assert "fechaFallo" not in values and "proveedores" not in values
    assert "proposiciones" not in values


def test_the_process_facts_lie_under_what_was_published():
    class Process:
        title = "Título al crear"
        description = ""
        main_procurement_category = "services"
        budget_lines = [
            {"id": "33901", "description": "Subcontratación", "amount": 100000.5},
            {"id": "33104", "description": "Asesorías", "amount": 20000},
        ]

    facts = prefill.process_facts(Process())
    planning = prefill.stage_values(
        spec(PLANNING, "planning"),
        stage="planning",
        procedure_type="lp_nacional",
        known=prefill.known(facts, None),
    )
    assert planning["montoPresupuesto"] == {"amount": "120000.5", "currency": "MXN"}
    assert planning["lineasPresupuestales"] == [
        {"partida": "33901", "importe": {"amount": "100000.5", "currency": "MXN"}},
        {"partida": "33104", "importe": {"amount": "20000", "currency": "MXN"}},
    ]
    tender = prefill.stage_values(
        spec(TENDER_OPEN, "tender"),
        stage="tender",
        procedure_type="lp_nacional",
        known=prefill.known(facts, {"tender": {"title": "Título publicado"}}),
    )
    assert tender["titulo"] == "Título publicado"  # what was published wins
    assert tender["categoria"] == "services"
    assert tender["montoEstimado"] == {"amount": "120000.5", "currency": "MXN"}
    assert "descripcion" not in tender  # nothing was typed


def test_a_legal_ground_is_not_guessed_back_from_its_citation():
    known = {"tender": {"procurementMethodRationale": "Artículo 41, fracción III: …"}}
    values = prefill.stage_values(
        spec(TENDER_DIRECT, "tender"),
        stage="tender",
        procedure_type="adjudicacion_directa",
        known=known,
    )
    assert "fundamento" not in values


def test_events_start_empty():
    record = {"contracts": [{"value": {"amount": 221500, "currency": "MXN"}}]}
    values = prefill.stage_values(
        spec(CONTRACT_AMENDMENT, "contractAmendment"),
        stage="contractAmendment",
        procedure_type="lp_nacional",
        known=record,
    )
    assert values == {}


@pytest.mark.parametrize(
    ("kind", "published", "typed"),
    [
        ("date", "2026-06-30T00:00:00-06:00", "2026-06-30"),
        ("date", "2026-07-01T03:00:00+00:00", "2026-06-30"),  # still the 30th in Mexico City
        ("datetime", "2026-03-20T18:00:00+00:00", "2026-03-20T12:00"),
        ("decimal", 12000.0, "12000"),
        ("decimal", 0.125, "0.125"),
        ("integer", 25301, "25301"),
        ("boolean", False, "false"),
    ],
)
def test_published_values_come_back_as_typed(kind, published, typed):
    item = {"kind": "field", "key": "x", "field_type": kind, "ocds_path": "tender/title"}
    assert prefill.stage_values(
        spec([item], "tender"),
        stage="tender",
        procedure_type="lp_nacional",
        known={"tender": {"title": published}},
    ) == {"x": typed}


def test_changes_are_listed_field_by_field_with_their_labels():
    start = prefill.stage_values(
        spec(AWARD, "award"), stage="award", procedure_type="lp_nacional", known=TENDER_RECORD
    )
    draft = {
        **start,
        "monto": {"amount": "221500.00", "currency": "MXN"},
        "partidas": [
            {**start["partidas"][0], "cantidad": "12000.0", "precioUnitario": {"amount": "18.50"}},
            {"descripcion": "Ibuprofeno", "cantidad": "10", "unidad": "", "cucop": ""},
        ],
    }
    changes = prefill.changes(spec(AWARD, "award"), start, draft)
    assert [(c["label"], c["before"], c["after"]) for c in changes] == [
        ("Monto adjudicado", "222000 MXN", "221500 MXN"),
        ("Partidas (bienes o servicios), fila 2: Descripción", "∅", "Ibuprofeno"),
        ("Partidas (bienes o servicios), fila 2: Cantidad", "∅", "10"),
    ]  # 12000.0 is 12000 and 18.50 is 18.5: written differently, not changed
