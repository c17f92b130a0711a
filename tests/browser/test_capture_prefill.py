"""Issue 16, item 7 in a real browser: budget lines typed as rows when the process is created, the
planning starting from them, an open tender's items flowing into the award without re-typing, and
the approver seeing what the award changed from the tender.

The screenshots illustrate the «Capturista» and «Aprobador» sections of docs/manual-usuario.md.
"""

import orjson
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ocds_pages.models import Record
from tests.browser.conftest import screenshot
from tests.browser.test_direct_award_workflow import fill, log_in, open_task, start
from tests.workflows import form_values as values
from workflows.forms.forms_engine import CaptureContext, data_from_values
from workflows.processes import process_services as services
from workflows.processes.process_models import ContractingProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OPEN = CaptureContext(procedure_type="lp_nacional")
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


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def submit(page, base, process):
    page.get_by_role("button", name="Enviar a revisión").click()
    page.wait_for_url(f"{base}/tramite/procesos/{process.pk}/")


def approve(run):
    aprobador = get_user_model().objects.get(username="aprobador.imss")
    services.review_approve(task=services.active_task(run), user=aprobador)


def value_of(page, name) -> str:
    return page.locator(f'[name="{name}"]').input_value()


def test_an_open_tender_flows_into_the_award_without_retyping(live_server, page):
    call_command("cargar_demo")
    call_command("instalar_formularios")
    base = live_server.url
    log_in(page, base, "capturista.imss")

    # Budget lines are rows: the second one added with «Agregar fila».
    page.goto(f"{base}/tramite/procesos/nuevo/")
    page.get_by_label("Título").fill("Medicamentos del primer semestre")
    page.locator("#id_description").fill("Analgésicos para las unidades médicas.")
    page.get_by_label("Tipo de procedimiento").select_option("lp_nacional")
    page.locator('[name="presupuesto-0-clave"]').fill("25301")
    page.locator('[name="presupuesto-0-descripcion"]').fill("Medicinas y productos farmacéuticos")
    page.locator('[name="presupuesto-0-monto"]').fill("250000")
    page.get_by_role("button", name="Agregar fila a «Partidas presupuestales»").click()
    page.locator('[name="presupuesto-1-clave"]').fill("25401")
    page.locator('[name="presupuesto-1-descripcion"]').fill("Material de curación")
    page.locator('[name="presupuesto-1-monto"]').fill("50000")
    assert value_of(page, "presupuesto-0-monto") == "250000"  # the first row was kept
    page.locator('[name="presupuesto-1-monto"]').scroll_into_view_if_needed()
    screenshot(page, "tramite-nuevo-proceso")
    page.get_by_role("button", name="Crear proceso").click()
    process = ContractingProcess.objects.get()
    page.wait_for_url(f"{base}/tramite/procesos/{process.pk}/")
    assert [line["id"] for line in process.budget_lines] == ["25301", "25401"]

    # The planning starts from those rows; only the justification is typed.
    run = open_task(page, base, process, "planning")
    assert value_of(page, "lineasPresupuestales-1-partida") == "25401"
    assert value_of(page, "montoPresupuesto_0") == "300000"
    page.get_by_label("Justificación de la contratación").fill("Abasto del primer semestre.")
    submit(page, base, process)
    approve(run)

    # The tender starts from the process: title, description and category are already there.
    start(page, base, process, "tender")
    run = open_task(page, base, process, "tender")
    assert value_of(page, "titulo") == "Medicamentos del primer semestre"
    assert value_of(page, "montoEstimado_0") == "300000"
    tender = {**values.tender("open"), "montoEstimado": values.money(290000), "partidas": ITEMS}
    fill(page, data_from_values(run.stage_draft.version, tender, context=OPEN))
    submit(page, base, process)
    approve(run)

    # The award starts from the tender's items and estimate; the capturista types what is new.
    start(page, base, process, "award")
    run = open_task(page, base, process, "award")
    assert value_of(page, "partidas-0-descripcion") == ITEMS[0]["descripcion"]
    assert value_of(page, "partidas-1-cucop") == "25301002"
    assert value_of(page, "partidas-0-precioUnitario_0") == "18.5"
    assert value_of(page, "monto_0") == "290000"
    page.get_by_test_id("precargado").scroll_into_view_if_needed()
    screenshot(page, "tramite-fallo-precargado")
    page.get_by_label("Fecha del fallo").fill("2026-03-20T12:00")
    page.locator('[name="monto_0"]').fill("221500")
    page.locator('[name="partidas-0-cantidad"]').fill("11000")
    page.locator('[name="proveedores-0-nombre"]').fill("Medicamentos Mexicanos, S.A. de C.V.")
    page.locator('[name="proveedores-0-rfc"]').fill("MME920427EM3")
    submit(page, base, process)

    # The approver sees what the award changed from what the tender published.
    log_in(page, base, "aprobador.imss")
    open_task(page, base, process, "award")
    changes = page.get_by_test_id("cambios-etapa-anterior")
    rows = changes.locator("tbody tr").all_inner_texts()
    assert any(
        "Monto adjudicado" in row and "290000 MXN" in row and "221500 MXN" in row for row in rows
    )
    assert any("fila 1: Cantidad" in row and "12000" in row and "11000" in row for row in rows)
    assert not any("Descripción" in row for row in rows)  # unchanged items are not listed
    changes.scroll_into_view_if_needed()
    screenshot(page, "tramite-revision-cambios-etapa-anterior")
    page.get_by_role("button", name="Aprobar y publicar").click()
    page.wait_for_url(f"{base}/tramite/procesos/{process.pk}/")

    record = orjson.loads(Record.objects.get(ocid=process.ocid).compiled_release)
    items = record["awards"][0]["items"]
    assert [item["classification"]["id"] for item in items] == ["25301001", "25301002"]
    assert [item["quantity"] for item in items] == [11000, 800]
    assert record["awards"][0]["value"] == {"amount": 221500, "currency": "MXN"}
