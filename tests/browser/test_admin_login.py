"""A new person logs into the admin, in Spanish, as the README says."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from devtools.demo_entities import DEMO_PASSWORD
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_entity_admin_logs_in_and_manages_units(live_server, page):
    call_command("cargar_demo")
    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("html").get_attribute("lang").lower().startswith("es")
    page.get_by_label("Nombre de usuario").fill("admin_ente.imss")
    page.get_by_label("Contraseña").fill(DEMO_PASSWORD)
    screenshot(page, "admin-acceso")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/cms/purchasingunit/")
    body = page.locator("body").inner_text()
    assert "050GYR047" in body  # IMSS's unit
    assert "009000987" not in body  # SICT's unit is not theirs
    screenshot(page, "admin-unidades")


def test_wrong_password_shows_spanish_error(live_server, page):
    call_command("cargar_demo")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Nombre de usuario").fill("oic.imss")
    page.get_by_label("Contraseña").fill("no-es-la-clave")
    page.get_by_role("button", name="Iniciar sesión").click()
    error = page.get_by_text("no concuerdan")
    error.wait_for()
    expect(error).to_be_visible()
