"""A complete direct award in a real browser: capturista captures, aprobador returns and approves.

The screenshots illustrate the «Capturista» and «Aprobador» sections of docs/manual-usuario.md.
"""

import pytest
from django.core.management import call_command

from devtools.demo_entities import DEMO_PASSWORD
from ocds_pages.models import Release
from tests.browser.conftest import screenshot
from tests.workflows import form_values as values
from workflows.forms.forms_engine import CaptureContext, data_from_values
from workflows.processes.process_models import ContractingProcess, StageProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/?next=/tramite/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{base}/tramite/")


def fill(page, data):
    """Type the form data a person would (selects chosen, hidden management fields left alone)."""
    for name, value in data.items():
        field = page.locator(f'[name="{name}"]')
        if field.count() == 0:
            group = name.split("-", 1)[0]
            page.locator(f'button[name="agregar_fila"][value="{group}"]').click()
            field = page.locator(f'[name="{name}"]')
        tag = field.evaluate("element => element.tagName.toLowerCase()")
        kind = field.get_attribute("type")
        if kind == "hidden":
            continue
        if tag == "select":
            field.select_option(value)
        else:
            field.fill(value)
    drop_extra_rows(page, data)


def drop_extra_rows(page, data):
    """Send only the rows typed: the form offers an extra empty row whose default currency makes
    it count as filled, and «Quitar esta fila» does not exempt it from validation in the form
    engine yet (reported to issue 5), so the extra row is left out of TOTAL_FORMS."""
    for name, total in data.items():
        if name.endswith("-TOTAL_FORMS"):
            page.locator(f'[name="{name}"]').evaluate("(e, total) => e.value = total", total)


def open_task(page, base, process, stage):
    run = StageProcess.objects.filter(contracting_process=process, stage=stage).latest("pk")
    task = run.task_set.filter(status__in=["NEW", "ASSIGNED"]).get()
    page.goto(f"{base}/tramite/tareas/{task.pk}/")
    return run


def capture(page, base, process, stage, typed, shot=None):
    run = open_task(page, base, process, stage)
    context = CaptureContext(procedure_type="adjudicacion_directa")
    fill(page, data_from_values(run.stage_draft.version, typed, context=context))
    if shot:
        screenshot(page, shot)
    page.get_by_role("button", name="Enviar a revisión").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/tramite/procesos/{process.pk}/", page.locator(
        ".con-error"
    ).all_inner_texts()


def approve(page, base, process, stage, shot=None):
    open_task(page, base, process, stage)
    if shot:
        screenshot(page, shot)
    page.get_by_role("button", name="Aprobar y publicar").click()
    page.wait_for_url(f"{base}/tramite/procesos/{process.pk}/")


def start(page, base, process, stage):
    page.goto(f"{base}/tramite/procesos/{process.pk}/")
    page.locator("#iniciar-etapa").select_option(stage)
    page.get_by_role("button", name="Iniciar etapa").click()
    page.wait_for_url(f"{base}/tramite/tareas/**")


def test_direct_award_from_planning_to_contract(live_server, page):
    call_command("cargar_demo")
    # A transactional test empties the database; put back the shipped forms the migration made.
    call_command("instalar_formularios")
    base = live_server.url
    log_in(page, base, "capturista.imss")
    page.goto(f"{base}/tramite/procesos/nuevo/")
    page.get_by_label("Título").fill("Paracetamol para unidades médicas")
    page.get_by_label("Tipo de procedimiento").select_option("adjudicacion_directa")
    page.get_by_label("Clave de la partida").fill("25301")
    page.get_by_label("Descripción de la partida").fill("Medicinas")
    page.get_by_label("Monto de la partida").fill("250000")
    # «tramite-nuevo-proceso» (two budget rows) is taken by tests/browser/test_capture_prefill.py.
    page.get_by_role("button", name="Crear proceso").click()
    process = ContractingProcess.objects.get()
    page.wait_for_url(f"{base}/tramite/procesos/{process.pk}/")
    capture(page, base, process, "planning", values.planning(), shot="tramite-captura-planeacion")
    screenshot(page, "tramite-proceso-enviado")

    log_in(page, base, "aprobador.imss")
    screenshot(page, "tramite-bandeja-aprobador")
    open_task(page, base, process, "planning")
    page.get_by_label("Motivo de la devolución").fill("Indique el programa presupuestario.")
    screenshot(page, "tramite-revision-devolver")
    page.get_by_role("button", name="Devolver a captura").click()
    page.wait_for_url(f"{base}/tramite/")

    log_in(page, base, "capturista.imss")
    assert "Indique el programa presupuestario." in page.locator("body").inner_text()
    screenshot(page, "tramite-bandeja-devuelta")
    capture(page, base, process, "planning", values.planning())
    previous = "planning"
    for stage, typed in (
        ("tender", values.tender("direct")),
        ("award", values.award()),
        ("contract", values.contract()),
    ):
        log_in(page, base, "aprobador.imss")
        approve(page, base, process, previous)
        log_in(page, base, "capturista.imss")
        start(page, base, process, stage)
        shot = "tramite-captura-adjudicacion" if stage == "tender" else None
        capture(page, base, process, stage, typed, shot=shot)
        previous = stage
    log_in(page, base, "aprobador.imss")
    approve(page, base, process, "contract", shot="tramite-revision-contrato")
    body = page.locator("body").inner_text()
    assert "Etapa aprobada" in body
    screenshot(page, "tramite-proceso-publicado")
    assert [r.tags[0] for r in Release.objects.order_by("date", "pk")] == [
        "planning", "tender", "award", "contract"
    ]  # fmt: skip
