"""Issue 16, item 2: impossible data is a Spanish error on the server and the draft is kept —
a contract ending before it starts, an amendment moving the end before the published start,
negative budget lines, amounts and quantities."""

import html

import pytest

from ocds_pages.models import Release
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.walker import Walker
from workflows.forms.defaults import field, group
from workflows.forms.forms_engine import build_form
from workflows.processes.process_models import ContractingProcess
from workflows.processes.process_services import active_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def walker():
    return Walker(drafts.people())


def direct_award_until(walker, last_stage):
    process = walker.create("capturista", "adjudicacion_directa")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("direct"))
    walker.stage(process, "award", values.award())
    if last_stage == "contract":
        walker.stage(process, "contract", values.contract())
    return process


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_contract_ending_before_it_starts_is_refused_and_kept(walker):
    process = direct_award_until(walker, "award")
    walker.start("capturista", process, "contract")
    inverted = {**values.contract(), "inicio": "2026-06-30", "fin": "2026-03-24"}
    response = walker.capture("capturista", process, "contract", inverted, expect=422)
    assert "La fecha de término (24/03/2026) es anterior a la de inicio (30/06/2026)." in text(
        response
    )
    run = walker.run(process, "contract")
    assert run.stage_draft.values["fin"] == "2026-03-24"  # what was typed is kept
    assert run.submitted_by_id is None
    assert active_task(run).flow_task.name == "capture"
    assert Release.objects.filter(ocid=process.ocid).count() == 3  # planning, tender, award


def test_an_amendment_moving_the_end_before_the_published_start_is_refused(walker):
    process = direct_award_until(walker, "contract")
    walker.start("capturista", process, "contractAmendment")
    amendment = {**values.contract_amendment(), "nuevoFin": "2026-03-01"}
    response = walker.capture("capturista", process, "contractAmendment", amendment, expect=422)
    assert (
        "La nueva fecha de término (01/03/2026) es anterior al inicio ya publicado (24/03/2026)."
        in text(response)
    )
    assert walker.run(process, "contractAmendment").stage_draft.values["nuevoFin"] == "2026-03-01"


def test_a_negative_budget_line_is_refused_when_creating_a_process(walker):
    before = ContractingProcess.objects.count()
    response = walker.as_("capturista").post(
        "/tramite/procesos/nuevo/",
        {
            "unit": walker.world["unit"].pk,
            "title": "Paracetamol",
            "main_procurement_category": "goods",
            "procedure_type": "adjudicacion_directa",
            "fiscal_year": "2026",
            "presupuesto-TOTAL_FORMS": "1",
            "presupuesto-INITIAL_FORMS": "0",
            "presupuesto-0-clave": "25301",
            "presupuesto-0-descripcion": "Medicinas",
            "presupuesto-0-monto": "-250000",
        },
    )
    assert response.status_code == 200
    assert "El monto de una partida presupuestal no puede ser negativo." in text(response)
    assert 'value="-250000"' in text(response)  # the typed row comes back to be fixed
    assert ContractingProcess.objects.count() == before


def test_the_service_refuses_negative_budget_lines_too(walker):
    from workflows.processes.process_services import WorkflowError, process_create

    with pytest.raises(WorkflowError, match="no puede ser negativo"):
        process_create(
            user=walker.world["capturista"],
            unit=walker.world["unit"],
            title="Paracetamol",
            main_procurement_category="goods",
            procedure_type="adjudicacion_directa",
            fiscal_year=2026,
            budget_lines=[{"id": "25301", "description": "Medicinas", "amount": -1}],
        )


def test_negative_amounts_and_quantities_are_refused_even_without_a_minimum_in_the_form():
    # An editor's form may leave out min_value: the engine still refuses what cannot be.
    spec = {
        "fields": [
            field("monto", "Monto estimado", "money", "tender/value"),
            group(
                "partidas",
                "Partidas",
                "tender/items",
                [
                    field("descripcion", "Descripción", "text", "description", required=True),
                    field("cantidad", "Cantidad", "decimal", "quantity"),
                ],
            ),
        ]
    }
    data = {
        "monto_0": "-5",
        "monto_1": "MXN",
        "partidas-TOTAL_FORMS": "2",
        "partidas-INITIAL_FORMS": "0",
        "partidas-0-descripcion": "Guantes",
        "partidas-0-cantidad": "10",
        "partidas-1-descripcion": "Cubrebocas",
        "partidas-1-cantidad": "-3",
    }
    form = build_form(spec, data)
    assert not form.is_valid()
    assert form.errors["monto"] == ["El monto no puede ser negativo."]
    rows = form.formsets["partidas"].forms
    assert not rows[0].errors
    assert rows[1].errors["cantidad"] == ["La cantidad no puede ser negativa."]


def test_a_correct_contract_still_goes_to_review(walker):
    process = direct_award_until(walker, "contract")
    assert Release.objects.filter(ocid=process.ocid).count() == 4
