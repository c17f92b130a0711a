"""The OIC's risk dashboard and a public entity page with the index, in a real browser at 1280
and 360 px. The screenshots illustrate docs/manual-usuario.md («OIC: tablero de riesgo»)."""

import re

import pytest
from playwright.sync_api import expect

from cms.models import Membership
from cms.roles import Role
from tests.browser.conftest import screenshot
from tests.browser.test_oic_alerts import log_in
from tests.factories import make_entity, make_unit, make_user
from tests.indicadores.risk import dataset as d
from tests.publishing import publish_process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 360)


@pytest.fixture
def setting():
    entity = make_entity(key="SALUD", name="Secretaría de Salud")
    units = (
        make_unit(entity, key="U1", name="Dirección de Adquisiciones"),
        make_unit(entity, key="U2", name="Hospital General"),
    )
    d.plant(entity, *units)
    publish_process(entity, title="Adquisición de medicamentos genéricos")
    oic = make_user("oic.salud", first_name="Laura", last_name="Méndez Ríos")
    Membership.objects.create(user=oic, entity=entity, role=Role.OIC)
    return entity


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


# OCDS codes a person should never read raw: the procedure types and categories.
RAW_CODES = re.compile(r"\b(open|selective|limited|direct|goods|works|services)\b")


def raw_codes(page) -> list[str]:
    """OCDS codes in what the page shows, including the options of its filters."""
    options = page.locator("option").all_inner_texts()
    return RAW_CODES.findall(page.locator("body").inner_text() + " ".join(options))


def test_the_oic_dashboard_at_1280_and_360(live_server, page, setting):
    base = live_server.url
    log_in(page, base, "oic.salud", "/tramite/riesgo/")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/tramite/riesgo/")
        expect(page.get_by_role("heading", name="Tablero de riesgo")).to_be_visible()
        assert page.locator('[data-testid="indice"]').inner_text().strip()
        chart = page.get_by_role("img", name="Índice de riesgo y componentes por año")
        expect(chart).to_be_visible()
        assert "MX-DOCS" in page.locator('[data-testid="tabla-indicadores"]').inner_text()
        assert no_horizontal_scroll(page)
        assert raw_codes(page) == []
        screenshot(page, f"oic-tablero-riesgo-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator('[data-testid="tabla-indicadores"]').get_by_role("link", name="MX-DOCS").click()
    assert "MX-DOCS" in page.locator('[data-testid="procesos-riesgo"]').inner_text()
    screenshot(page, "oic-tablero-riesgo-procesos")
    # The drill-down of a figure cut by procedure: the procedure's name, never its code.
    page.goto(f"{base}/tramite/riesgo/")
    page.get_by_label("Tipo de procedimiento").select_option(label="Adjudicación directa")
    page.get_by_role("button", name="Filtrar").click()
    page.locator('[data-testid="tabla-componentes"]').get_by_role(
        "link", name="Competencia"
    ).first.click()
    table = page.locator('[data-testid="procesos-riesgo"]').inner_text()
    assert "Adjudicación directa" in table
    assert raw_codes(page) == []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert no_horizontal_scroll(page)


def test_the_oic_home_shows_the_index(live_server, page, setting):
    log_in(page, live_server.url, "oic.salud", "/admin/")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/admin/")
        panel = page.locator("#indice-riesgo-section")
        panel.scroll_into_view_if_needed()
        assert "Secretaría de Salud, 2025" in panel.inner_text()
        assert no_horizontal_scroll(page)
        screenshot(page, f"oic-inicio-riesgo-{width}")
    page.get_by_role("link", name="Abrir el tablero de riesgo").click()
    expect(page.get_by_role("heading", name="Tablero de riesgo")).to_be_visible()


def test_the_public_entity_page_with_the_index(live_server, page, setting):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/entes/SALUD/")
        panel = page.locator('[data-testid="indice-riesgo"]')
        panel.scroll_into_view_if_needed()
        assert "Índice de riesgo 2025" in panel.inner_text()
        assert no_horizontal_scroll(page)
        assert raw_codes(page) == []
        screenshot(page, f"publico-ente-indice-{width}")
