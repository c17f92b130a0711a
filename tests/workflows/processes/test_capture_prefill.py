"""Issue 16, item 7: no re-keying. Each stage's form starts from what the process already has —
its published releases and what was typed when it was created — and the approver sees what the
capture changed since the previous stage."""

import html

import lxml.html
import pytest

from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.walker import Walker
from workflows.processes.process_models import ContractingProcess
from workflows.processes.process_services import active_task

pytestmark = pytest.mark.django_db

ITEMS = [
    {
        "descripcion": "Paracetamol tabletas de 500 mg, caja con 10",
        "cucop": "25301001",
        "cantidad": "12000",
        "unidad": "XBX",
        "precioUnitario": values.money("18.50"),
    },
    {
        "descripcion": "Ibuprofeno tabletas de 400 mg, caja con 10",
        "cucop": "25301002",
        "cantidad": "800",
        "unidad": "XBX",
        "precioUnitario": values.money(24),
    },
]
BUDGET = [
    ("25301", "Medicinas y productos farmacéuticos", "250000"),
    ("25401", "Material", "50000"),
]


@pytest.fixture
def walker():
    return Walker(drafts.people())


def budget_rows(lines=BUDGET) -> dict:
    """The «Partidas presupuestales» rows of the new-process form, as a browser posts them."""
    data = {"presupuesto-TOTAL_FORMS": str(len(lines)), "presupuesto-INITIAL_FORMS": "0"}
    for index, (key, description, amount) in enumerate(lines):
        data[f"presupuesto-{index}-clave"] = key
        data[f"presupuesto-{index}-descripcion"] = description
        data[f"presupuesto-{index}-monto"] = amount
    return data


def create(walker, procedure_type="lp_nacional", lines=BUDGET, **extra):
    response = walker.as_("capturista").post(
        "/tramite/procesos/nuevo/",
        {
            "unit": walker.world["unit"].pk,
            "title": "Medicamentos del primer semestre",
            "description": "Analgésicos para las unidades médicas de la delegación.",
            "main_procurement_category": "goods",
            "procedure_type": procedure_type,
            "fiscal_year": "2026",
            **budget_rows(lines),
            **extra,
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return ContractingProcess.objects.latest("pk")


def form_fields(response) -> dict:
    """What the page's form shows: field name → value (the selected option of a select)."""
    assert response.status_code == 200, response.status_code
    document = lxml.html.fromstring(response.content.decode())
    shown = {}
    for element in document.iter("input", "textarea", "select"):
        name = element.get("name")
        if not name or element.get("type") in ("submit", "checkbox", "file"):
            continue
        if element.tag == "select":
            chosen = [
                o.get("value") for o in element.iter("option") if o.get("selected") is not None
            ]
            shown[name] = chosen[0] if chosen else ""
        elif element.tag == "textarea":
            shown[name] = (element.text or "").strip()
        else:
            shown[name] = element.get("value") or ""
    return shown


def capture_page(walker, process, stage, who="capturista"):
    task = active_task(walker.run(process, stage))
    return walker.as_(who).get(f"/tramite/tareas/{task.pk}/")


def review_page(walker, process, stage):
    return capture_page(walker, process, stage, who="aprobador")


def text(response) -> str:
    return html.unescape(response.content.decode())


def tender_published(walker, procedure_type="lp_nacional"):
    process = create(walker, procedure_type)
    walker.stage(process, "planning", values.planning())
    method = "direct" if procedure_type == "adjudicacion_directa" else "open"
    walker.stage(process, "tender", {**values.tender(method), "partidas": ITEMS})
    return process


# --- budget lines are rows --------------------------------------------------------------------


def test_a_new_process_takes_its_budget_lines_as_rows(walker):
    process = create(walker)
    assert process.budget_lines == [
        {"id": "25301", "description": "Medicinas y productos farmacéuticos", "amount": 250000.0},
        {"id": "25401", "description": "Material", "amount": 50000.0},
    ]


def test_the_new_process_form_offers_rows_and_adds_one_without_losing_what_was_typed(walker):
    page = form_fields(walker.as_("capturista").get("/tramite/procesos/nuevo/"))
    assert {"presupuesto-0-clave", "presupuesto-0-descripcion", "presupuesto-0-monto"} <= set(page)
    assert "budget_lines" not in page  # no pipe-separated text any more

    before = ContractingProcess.objects.count()
    response = walker.as_("capturista").post(
        "/tramite/procesos/nuevo/",
        {
            "unit": walker.world["unit"].pk,
            "title": "Medicamentos",
            "main_procurement_category": "goods",
            "procedure_type": "lp_nacional",
            "fiscal_year": "2026",
            **budget_rows(BUDGET[:1]),
            "agregar_fila": "presupuesto",
        },
    )
    shown = form_fields(response)
    assert ContractingProcess.objects.count() == before  # adding a row creates nothing yet
    assert shown["presupuesto-0-clave"] == "25301" and shown["title"] == "Medicamentos"
    assert shown["presupuesto-1-clave"] == "" and shown["presupuesto-TOTAL_FORMS"] == "2"


def test_a_negative_or_malformed_budget_row_is_refused_beside_the_row_and_kept(walker):
    before = ContractingProcess.objects.count()
    response = walker.as_("capturista").post(
        "/tramite/procesos/nuevo/",
        {
            "unit": walker.world["unit"].pk,
            "title": "Medicamentos",
            "main_procurement_category": "goods",
            "procedure_type": "lp_nacional",
            "fiscal_year": "2026",
            **budget_rows([("25301", "Medicinas", "-250000"), ("253", "Material", "10")]),
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "El monto de una partida presupuestal no puede ser negativo." in page
    assert "La partida lleva los cinco dígitos del clasificador por objeto del gasto" in page
    shown = form_fields(response)
    assert (shown["presupuesto-0-monto"], shown["presupuesto-1-clave"]) == ("-250000", "253")
    assert ContractingProcess.objects.count() == before


# --- each stage starts from what the process already has --------------------------------------


def test_planning_starts_from_the_budget_rows_of_the_process(walker):
    process = create(walker)
    shown = form_fields(capture_page(walker, process, "planning"))
    assert shown["lineasPresupuestales-0-partida"] == "25301"
    assert shown["lineasPresupuestales-0-importe_0"] == "250000"
    assert shown["lineasPresupuestales-1-partida"] == "25401"
    assert shown["lineasPresupuestales-1-importe_0"] == "50000"
    assert (shown["montoPresupuesto_0"], shown["montoPresupuesto_1"]) == ("300000", "MXN")


def test_the_tender_starts_from_the_process_and_its_planning(walker):
    process = create(walker)
    walker.stage(process, "planning", values.planning())
    walker.start("capturista", process, "tender")
    response = capture_page(walker, process, "tender")
    shown = form_fields(response)
    assert shown["titulo"] == "Medicamentos del primer semestre"
    assert shown["descripcion"] == "Analgésicos para las unidades médicas de la delegación."
    assert shown["categoria"] == "goods"
    # The estimate starts from the budget the planning published (values.planning: 250,000).
    assert (shown["montoEstimado_0"], shown["montoEstimado_1"]) == ("250000", "MXN")
    # A form nobody saved yet is not shown as full of errors.
    assert "Este campo es obligatorio" not in text(response)
    assert 'data-testid="precargado"' in response.content.decode()


def test_the_award_starts_from_the_tender_items_and_estimate(walker):
    process = tender_published(walker)
    walker.start("capturista", process, "award")
    shown = form_fields(capture_page(walker, process, "award"))
    assert shown["partidas-TOTAL_FORMS"] == "2"
    assert shown["partidas-0-descripcion"] == ITEMS[0]["descripcion"]
    assert shown["partidas-0-cucop"] == "25301001"
    assert shown["partidas-0-cantidad"] == "12000"
    assert shown["partidas-0-unidad"] == "XBX"
    assert (shown["partidas-0-precioUnitario_0"], shown["partidas-0-precioUnitario_1"]) == (
        "18.5",
        "MXN",
    )
    assert shown["partidas-1-cucop"] == "25301002"
    assert (shown["monto_0"], shown["monto_1"]) == ("222000", "MXN")


def test_the_award_publishes_the_tender_items_without_retyping(walker):
    """The capturista only types what is new (date, supplier); the items flow through."""
    process = tender_published(walker)
    walker.start("capturista", process, "award")
    shown = form_fields(capture_page(walker, process, "award"))
    typed = {
        **shown,
        "fechaFallo": "2026-03-20T12:00",
        "proveedores-0-nombre": "Medicamentos Mexicanos, S.A. de C.V.",
        "proveedores-0-rfc": "MME920427EM3",
        "accion": "enviar",
    }
    typed = {name: value for name, value in typed.items() if not name.startswith("proposiciones")}
    typed |= {"proposiciones-TOTAL_FORMS": "1", "proposiciones-INITIAL_FORMS": "0"}
    typed |= {
        f"proposiciones-0-{key}": value
        for key, value in {
            "rfc": "MME920427EM3",
            "nombre": "Medicamentos Mexicanos, S.A. de C.V.",
            "monto_0": "222000",
            "monto_1": "MXN",
            "estado": "valid",
        }.items()
    }
    task = active_task(walker.run(process, "award"))
    response = walker.as_("capturista").post(f"/tramite/tareas/{task.pk}/", typed)
    assert response.status_code == 302, text(response)[-3000:]
    walker.decide("aprobador", process, "award")
    import orjson

    from ocds_pages.models import Record

    record = orjson.loads(Record.objects.get(ocid=process.ocid).compiled_release)
    items = record["awards"][0]["items"]
    assert [item["classification"]["id"] for item in items] == ["25301001", "25301002"]
    assert items[0]["quantity"] == 12000 and items[0]["unit"]["value"]["amount"] == 18.5
    assert record["awards"][0]["value"] == {"amount": 222000, "currency": "MXN"}


def test_the_contract_starts_from_the_award(walker):
    process = tender_published(walker)
    walker.stage(process, "award", {**values.award(), "partidas": ITEMS[:1]})
    walker.start("capturista", process, "contract")
    shown = form_fields(capture_page(walker, process, "contract"))
    assert (shown["monto_0"], shown["monto_1"]) == ("221500", "MXN")  # the award, not the tender
    assert shown["titulo"] == "Paracetamol para unidades médicas"  # the tender's title
    assert shown["partidas-TOTAL_FORMS"] == "1"  # the award's items, not the tender's two
    assert shown["partidas-0-cucop"] == "25301001"


def test_an_amendment_starts_empty_it_records_only_what_changes(walker):
    """A convenio's «nuevo monto» copied from the contract would always «change» the contract, and
    the rule that a convenio must change the amount or the term could never catch a blank one."""
    process = create(walker, "adjudicacion_directa")
    walker.stage(process, "planning", values.planning())
    walker.stage(process, "tender", values.tender("direct"))
    walker.stage(process, "award", values.award())
    walker.stage(process, "contract", values.contract())
    walker.start("capturista", process, "contractAmendment")
    shown = form_fields(capture_page(walker, process, "contractAmendment"))
    assert (shown["nuevoMonto_0"], shown["nuevoFin"]) == ("", "")
    assert shown["convenios-0-motivo"] == ""


def test_what_the_capturista_saved_wins_over_the_prefill(walker):
    process = tender_published(walker)
    walker.start("capturista", process, "award")
    task = active_task(walker.run(process, "award"))
    data = walker.form_data(process, walker.run(process, "award"), values.award(), "guardar")
    walker.as_("capturista").post(f"/tramite/tareas/{task.pk}/", data)
    response = capture_page(walker, process, "award")
    shown = form_fields(response)
    assert shown["monto_0"] == "221500"
    assert shown["partidas-TOTAL_FORMS"] == "0"  # the rows the capturista removed stay removed
    assert 'data-testid="precargado"' not in response.content.decode()


# --- the review shows what changed since the previous stage -----------------------------------


def award_in_review(walker, award_values):
    process = tender_published(walker)
    walker.start("capturista", process, "award")
    walker.capture("capturista", process, "award", award_values)
    return process


def test_the_review_shows_what_changed_since_the_previous_stage(walker):
    changed_items = [{**ITEMS[0], "cantidad": "11000"}, ITEMS[1]]
    award = {**values.award(), "partidas": changed_items}  # 221,500 against the 222,000 estimate
    process = award_in_review(walker, award)
    page = text(review_page(walker, process, "award"))
    section = page[page.index('data-testid="cambios-etapa-anterior"') :]
    table = section[: section.index("</table>")]
    assert "Monto adjudicado" in table and "222000" in table and "221500" in table
    assert "Partidas (bienes o servicios), fila 1: Cantidad" in table
    assert "12000" in table and "11000" in table
    assert "Descripción" not in table  # what stayed as it was is not listed
    assert "Ibuprofeno" not in table


def test_the_review_says_when_nothing_changed_since_the_previous_stage(walker):
    award = {
        **values.award(),
        "titulo": "Paracetamol para unidades médicas",  # the tender's title, as prefilled
        "monto": values.money(222000),
        "partidas": ITEMS,
    }
    process = award_in_review(walker, award)
    page = review_page(walker, process, "award").content.decode()
    assert 'data-testid="sin-cambios-etapa-anterior"' in page
    assert 'data-testid="cambios-etapa-anterior"' not in page


def test_the_planning_review_compares_with_the_budget_rows_of_the_process(walker):
    process = create(walker)
    planning = {
        **values.planning(),
        "lineasPresupuestales": [{"partida": "25301", "importe": values.money(200000)}],
    }
    walker.capture("capturista", process, "planning", planning)
    page = text(review_page(walker, process, "planning"))
    section = page[page.index('data-testid="cambios-etapa-anterior"') :]
    table = section[: section.index("</table>")]
    assert "Monto presupuestado" in table and "300000" in table and "250000" in table
    assert "Líneas presupuestales (EDCA-MX budgetLines), fila 1: Importe aprobado" in table
    assert "fila 2: Partida específica" in table and "25401" in table
