"""An editor adds a field to a stage form in Wagtail, publishes it, fills it and sees the OCDS."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from cms.models import PurchasingUnit
from devtools.demo_entities import DEMO_PASSWORD
from tests.browser.conftest import screenshot
from tests.workflows.drafts import tender_in_capture
from workflows.models import FormDefinition
from workflows.processes.permissions import may_capture_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def imss_people() -> dict:
    """The demo capturista and aprobador of the IMSS and the unit they work for."""
    users = get_user_model().objects
    capturista = users.get(username="capturista.imss")
    unit = next(
        unit
        for unit in PurchasingUnit.objects.filter(entity__key="IMSS")
        if may_capture_in(capturista, unit)
    )
    return {
        "capturista": capturista,
        "aprobador": users.get(username="aprobador.imss"),
        "unit": unit,
    }


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{base}/admin/")


def add_custom_field(page):
    """Append a «Campo» block at the end of the StreamField and fill it in, as an editor does."""
    keys = page.locator("input[name$='-value-key']")
    before = keys.count()
    page.locator("[data-streamfield-stream-container] > div > button.c-sf-add-button").last.click()
    page.get_by_role("option", name="Campo", exact=True).first.click()
    # The block is inserted by JavaScript: until it is there, «the last block» is an existing
    # field, and filling it in broke that field (a 400 on save, seen on a loaded CI machine).
    expect(keys).to_have_count(before + 1)
    block = (
        page.locator("[data-contentpath]")
        .filter(has=page.locator("input[name$='-value-key']"))
        .last
    )
    prefix = block.locator("input[name$='-value-key']").get_attribute("name").removesuffix("-key")
    page.fill(f"input[name='{prefix}-key']", "numeroRequisicion")
    page.fill(f"input[name='{prefix}-label']", "Número de requisición")
    page.fill(f"textarea[name='{prefix}-help_text']", "Folio de la requisición del área usuaria.")
    page.fill(f"input[name='{prefix}-ocds_path']", "tender/numeroRequisicion")
    page.select_option(f"select[name='{prefix}-field_type']", "text")
    page.check(f"input[name='{prefix}-custom']")
    page.check(f"input[name='{prefix}-required']")
    page.fill(f"input[name='{prefix}-pattern']", "^REQ-[0-9]{4}$")
    return prefix


def footer_publish_button(page):
    """Open the footer's «more actions» menu and return its «Publicar» button.

    The menu opens only once Wagtail's JavaScript has connected it: a click before that did
    nothing, and on a loaded CI machine the test went on to a double submit of the form."""
    toggle = page.locator("footer [data-w-dropdown-target='toggle']").first
    publish = page.locator("button[name='action-publish']")
    for _attempt in range(20):
        toggle.click()
        try:
            publish.wait_for(state="visible", timeout=1000)
            return publish
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("El menú del pie no abrió")


def test_editor_adds_a_field_publishes_and_sees_the_ocds(live_server, page):
    call_command("cargar_demo")
    call_command("instalar_formularios")
    national = FormDefinition.objects.get(
        stage="tender", procedure_type="adjudicacion_directa", entity=None
    )
    base = live_server.url

    log_in(page, base, "editor.imss")
    page.goto(f"{base}/admin/formularios/definiciones/")
    page.get_by_text(national.title).first.wait_for()
    screenshot(page, "formularios-lista")

    page.goto(f"{base}/admin/formularios/definiciones/copy/{national.pk}/")
    page.fill("input[name='title']", "Adjudicación directa (IMSS)")
    prefix = add_custom_field(page)
    page.locator(f"input[name='{prefix}-label']").scroll_into_view_if_needed()
    screenshot(page, "formularios-campo-nuevo")
    publish = footer_publish_button(page)
    # Wait for the page the publish POST leads to: the URL pattern alone matched the form page
    # itself, so the database was read while the request was still publishing.
    with page.expect_navigation():
        publish.click()
    page.wait_for_url(f"{base}/admin/formularios/definiciones/**")

    own = FormDefinition.objects.get(
        entity__key="IMSS", stage="tender", procedure_type="adjudicacion_directa"
    )
    assert own.latest_version().number == 1
    assert "numeroRequisicion" in json.dumps(own.latest_version().spec)

    page.context.clear_cookies()
    run, task = tender_in_capture(imss_people(), "adjudicacion_directa")
    log_in(page, base, "capturista.imss")
    page.goto(f"{base}/tramite/tareas/{task.pk}/")
    page.get_by_label("Número de requisición").wait_for()
    assert run.stage_draft.version == own.latest_version()

    page.get_by_label("Número de requisición").fill("12")
    page.get_by_role("button", name="Guardar borrador").click()
    page.get_by_text("Borrador guardado con errores").wait_for()
    assert page.get_by_label("Número de requisición").input_value() == "12"
    assert page.get_by_label("Número de requisición").get_attribute("aria-invalid") == "true"
    page.get_by_label("Número de requisición").scroll_into_view_if_needed()
    screenshot(page, "captura-errores")

    page.get_by_label("Número de requisición").fill("REQ-0042")
    page.get_by_label("Título del procedimiento").fill("Mantenimiento de equipo de rayos X")
    page.locator("#id_descripcion").fill("Servicio con el fabricante exclusivo.")
    page.get_by_label("Categoría principal").select_option("services")
    page.get_by_label("Fundamento legal de la excepción").select_option("LAASSP-41-I")
    page.locator("#id_partidas-0-descripcion").fill("Mantenimiento preventivo anual")
    page.locator("#id_partidas-0-cantidad").fill("1")
    page.get_by_role("button", name="Guardar borrador").click()
    fragment = page.get_by_test_id("fragmento-ocds")
    fragment.wait_for()
    produced = json.loads(fragment.inner_text())
    assert produced["tender"]["numeroRequisicion"] == "REQ-0042"
    assert produced["tender"]["procurementMethod"] == "direct"
    fragment.scroll_into_view_if_needed()
    screenshot(page, "captura-ocds")
