"""Issue 16 in a real browser: payments added with «Agregar fila» publish in MXN, a contract with
inverted dates is refused with the draft kept, a stage-form file field refuses a program, and a
draft file is not served to an anonymous visitor."""

import orjson
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from ocds_pages.models import Release
from tests.browser.conftest import screenshot
from tests.browser.test_direct_award_workflow import fill, log_in, open_task, start
from tests.workflows import form_values as values
from workflows.forms.forms_engine import CaptureContext, data_from_values
from workflows.processes import process_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DIRECT = CaptureContext(procedure_type="adjudicacion_directa")
PROGRAM = b"MZ" + b"\0" * 62


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def publish(process, stage, typed, capturista, aprobador):
    """A stage captured and approved through the services (the browser part comes after)."""
    run = process.stage_runs.get(stage=stage) if stage == "planning" else None
    if run is None:
        run = process_services.stage_start(process=process, stage=stage, user=capturista)
    assert (
        process_services.capture_submit(
            task=process_services.active_task(run), user=capturista, values=typed
        )
        == []
    )
    process_services.review_approve(task=process_services.active_task(run), user=aprobador)


def awarded_process():
    users = get_user_model().objects
    capturista, aprobador = (
        users.get(username="capturista.imss"),
        users.get(username="aprobador.imss"),
    )
    unit = capturista.memberships.exclude(unit=None).first().unit
    process = process_services.process_create(
        user=capturista,
        unit=unit,
        title="Paracetamol para unidades médicas",
        main_procurement_category="goods",
        procedure_type="adjudicacion_directa",
        fiscal_year=2026,
    )
    publish(process, "planning", values.planning(), capturista, aprobador)
    publish(process, "tender", values.tender("direct"), capturista, aprobador)
    publish(process, "award", values.award(), capturista, aprobador)
    return process, capturista, aprobador


def submit(page):
    page.get_by_role("button", name="Enviar a revisión").click()
    page.wait_for_load_state()


def test_contract_dates_files_payments_and_drafts(live_server, page):
    call_command("cargar_demo")
    call_command("instalar_formularios")
    process, capturista, aprobador = awarded_process()
    base = live_server.url
    log_in(page, base, "capturista.imss")

    # A contract ending before it starts, with a program in the «Contrato firmado» field.
    start(page, base, process, "contract")
    run = open_task(page, base, process, "contract")
    inverted = {**values.contract(), "inicio": "2026-06-30", "fin": "2026-03-24"}
    fill(page, data_from_values(run.stage_draft.version, inverted, context=DIRECT))
    page.locator('[name="contratoFirmado"]').set_input_files(
        {
            "name": "contrato.exe",
            "mimeType": "application/octet-stream",
            "buffer": b"MZ" + b"\0" * 62,
        }
    )
    submit(page)
    body = page.locator("body").inner_text()
    assert "La fecha de término (24/03/2026) es anterior a la de inicio (30/06/2026)." in body
    assert "No se admiten programas ni archivos ejecutables." in body
    assert page.locator('[name="fin"]').input_value() == "2026-03-24"  # the draft is kept
    page.locator('[name="inicio"]').scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 120)")
    screenshot(page, "tramite-contrato-fechas-invertidas")

    # Corrected, with a real PDF: the draft file is not public while the contract is in review.
    page.locator('[name="fin"]').fill("2026-06-30")
    page.locator('[name="inicio"]').fill("2026-03-24")
    page.locator('[name="contratoFirmado"]').set_input_files(
        {"name": "contrato.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    submit(page)
    assert page.url == f"{base}/tramite/procesos/{process.pk}/"
    run.stage_draft.refresh_from_db()
    draft_url = run.stage_draft.values["contratoFirmado"]["url"].split("/media/", 1)[1]
    # Asked through Django itself: the live server's own media handler (django.test's
    # _MediaFilesHandler) serves MEDIA_ROOT before any URL is resolved, as no deployment does.
    response = Client().get(f"/media/{draft_url}")
    assert response.status_code in (302, 404)
    process_services.review_approve(task=process_services.active_task(run), user=aprobador)

    # Two payments, the second added with «Agregar fila»; nobody touches its currency.
    start(page, base, process, "implementation")
    run = open_task(page, base, process, "implementation")
    second = {
        **values.implementation(2)["pagos"][0],
        "importe": {"amount": "40000", "currency": ""},
    }
    typed = {"pagos": [values.implementation(1)["pagos"][0], second], "entregas": []}
    data = data_from_values(run.stage_draft.version, typed, context=DIRECT)
    data.pop("pagos-1-importe_1")
    fill(page, data)
    assert page.locator('[name="pagos-1-importe_1"]').input_value() == "MXN"
    page.locator('[name="pagos-1-importe_0"]').scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 200)")
    screenshot(page, "tramite-pagos-agregar-fila")
    submit(page)
    assert page.url == f"{base}/tramite/procesos/{process.pk}/"
    process_services.review_approve(task=process_services.active_task(run), user=aprobador)
    release = orjson.loads(Release.objects.filter(ocid=process.ocid).latest("date", "pk").data)
    payments = release["contracts"][0]["implementation"]["transactions"]
    assert [p["value"]["currency"] for p in payments] == ["MXN", "MXN"]
