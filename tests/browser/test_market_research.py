"""A capturista does a market research in a real browser: words that lead to the item, its price
references by CUCoP key, the candidate list with a supplier flagged in S3, and the report attached
to the planning stage.

The screenshots illustrate «Investigación de mercado» in docs/manual-usuario.md.
"""

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot
from tests.browser.test_oic_alerts import log_in
from tests.indicadores.builders import s3_sanction
from tests.indicadores.market.helpers import CUCOP, SUPPLIER_B, publish_priced
from tests.workflows import drafts
from workflows.processes import process_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # A transactional test before this one may have flushed the shipped forms; put them back.
    call_command("instalar_formularios", verbosity=0)
    world = drafts.people()
    world["capturista"].first_name, world["capturista"].last_name = "Ana", "Torres"
    world["capturista"].save()
    for price, date in ((18.5, "2025-03-05"), (17.9, "2025-04-10"), (19.2, "2025-05-12")):
        publish_priced(world["entity"], price, date=date, quantity=1200)
    for price in (18.1, 18.8, 45.0):
        publish_priced(world["entity"], price, quantity=800)
    publish_priced(world["entity"], 16.4, supplier=SUPPLIER_B, quantity=1000)
    # Another item the same word describes: the text search lists both, to choose one.
    publish_priced(
        world["entity"],
        38.0,
        code="25300099",
        unit="Ampolleta",
        description="Paracetamol solución inyectable 1 g",
        quantity=300,
    )
    s3_sanction(name=SUPPLIER_B[2], rfc=SUPPLIER_B[1])
    world["process"] = process_services.process_create(
        user=world["capturista"],
        unit=world["unit"],
        title="Paracetamol para unidades médicas",
        description="Compra consolidada de analgésicos.",
        main_procurement_category="goods",
        procedure_type="adjudicacion_directa",
        fiscal_year=2026,
        budget_lines=[{"id": "25301", "description": "Medicinas", "amount": 250000}],
    )
    return world


def test_market_research_from_search_to_report(live_server, page, world):
    base = live_server.url
    log_in(page, base, world["capturista"].username, "/tramite/mercado/")
    page.get_by_label("Texto").fill("paracetamol")
    page.get_by_role("button", name="Buscar").click()
    found = page.locator('[data-testid="partidas"]')
    assert CUCOP in found.inner_text() and "Paracetamol 500 mg" in found.inner_text()
    assert "Paracetamol solución inyectable 1 g" in found.inner_text()
    screenshot(page, "mercado-partidas")
    found.get_by_role("link", name="Ver precios de referencia").first.click()
    assert page.get_by_label("Clave CUCoP").input_value() == CUCOP
    stats = page.locator('[data-testid="estadisticas"]')
    assert "Mediana" in stats.inner_text()
    screenshot(page, "mercado-busqueda")

    candidates = page.locator('[data-testid="candidatos"]')
    candidates.scroll_into_view_if_needed()
    flagged = page.locator(f'[data-testid="candidato-{SUPPLIER_B[1]}"]')
    assert "Inhabilitación vigente en S3" in flagged.inner_text()
    screenshot(page, "mercado-candidatos")

    page.get_by_label("Necesidad").fill("Paracetamol 500 mg para el segundo semestre")
    page.get_by_label("Cantidad requerida").fill("1000")
    page.get_by_role("button", name="Guardar investigación").click()
    page.get_by_label("Proceso de contratación").select_option(str(world["process"].pk))
    page.get_by_role("button", name="Guardar", exact=True).click()
    flagged = page.locator(f'[data-testid="candidato-{SUPPLIER_B[1]}"]')
    flagged.get_by_placeholder("Motivo").fill("Inhabilitado en S3")
    flagged.get_by_role("button", name="Excluir proveedor").click()
    page.get_by_role("button", name="Generar y adjuntar a la planeación").click()
    report = page.locator('[data-testid="reporte"]')
    assert "Planeación, versión 1" in report.inner_text()
    assert "Excluido de la canasta" in page.content()
    report.scroll_into_view_if_needed()
    screenshot(page, "mercado-reporte")
