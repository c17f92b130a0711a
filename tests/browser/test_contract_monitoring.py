"""Contract monitoring in a real browser (issue 19), at 1280 and 360 px with axe-core's check:
the contract administrator of a unit reads the unit's portfolio dashboard and a late contract, an
anonymous visitor reads the public progress of a contract and reports a problem, and the entity's
OIC moderates the reports (accepts one, rejects another). The screenshots illustrate
docs/manual-usuario.md («Administrador del contrato: seguimiento de la ejecución»)."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from cms.models import Membership
from cms.roles import Role
from devtools.demo_monitoring import load_demo_monitoring
from indicadores.monitoring.models import CitizenReport, MonitoredContract
from tests.browser.conftest import screenshot
from tests.browser.test_oic_alerts import log_in
from tests.browser.test_public_site import ensure_site_pages, serious_violations
from tests.factories import make_entity, make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 360)
LATE = "Equipo de rayos X (atraso grave)"


@pytest.fixture
def setting():
    cache.clear()
    ensure_site_pages()
    entity = make_entity(key="IMSS", name="Instituto Mexicano del Seguro Social")
    unit = make_unit(entity, key="UC-050GYR047", name="Coordinación de Abastecimiento")
    assert load_demo_monitoring("IMSS") == 9
    admin = make_user("admin.contratos", first_name="Rosa", last_name="Olvera Núñez")
    Membership.objects.create(user=admin, entity=entity, unit=unit, role=Role.CAPTURISTA)
    oic = make_user("oic.imss", first_name="Laura", last_name="Méndez Ríos")
    Membership.objects.create(user=oic, entity=entity, role=Role.OIC)
    yield entity
    cache.clear()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def check_page(page, name: str, focus: str = "") -> None:
    """At each width: nothing scrolls sideways, axe finds nothing serious, a screenshot (of the
    ``focus`` element's part of the page, if given)."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.reload()
        if focus:
            page.locator(focus).scroll_into_view_if_needed()
        assert no_horizontal_scroll(page), (name, width)
        assert serious_violations(page) == [], (name, width)
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_unit_portfolio_and_a_late_contract(live_server, page, setting):
    base = live_server.url
    log_in(page, base, "admin.contratos", "/tramite/seguimiento/")
    expect(page.get_by_role("heading", name="Tablero de seguimiento de contratos")).to_be_visible()
    summary = page.locator('[data-testid="resumen"]').inner_text()
    assert "9 contratos" in summary.replace("\n", " ")
    by_status = page.locator('[data-testid="por-estado"]').inner_text()
    for label in ("Pagado de más", "Con atraso", "En riesgo", "En tiempo", "Concluido"):
        assert label in by_status, label
    check_page(page, "seguimiento-tablero")

    page.locator("#t-atraso").scroll_into_view_if_needed()
    page.get_by_role("link", name=LATE).first.click()
    page.wait_for_url("**/tramite/seguimiento/contratos/*/")
    assert page.get_by_role("heading", level=1).inner_text() == LATE
    milestones = page.locator('[data-testid="entregas"]').inner_text()
    assert "Entrega 2" in milestones and "pendiente" in milestones
    check_page(page, "seguimiento-contrato-atrasado")


def test_public_progress_a_citizen_report_and_its_moderation(live_server, page, setting):
    base = live_server.url
    late = MonitoredContract.objects.get(title=LATE)
    page.goto(f"{base}/procesos/{late.ocid}/")
    section = page.locator('[data-testid="seguimiento-publico"]')
    section.scroll_into_view_if_needed()
    text = section.inner_text()
    assert "Avance físico" in text and "Avance financiero" in text
    assert "LSU010101AA1" not in text  # the public section never shows the supplier's RFC
    check_page(page, "seguimiento-publico-contrato", '[data-testid="seguimiento-publico"] h2')

    section.get_by_role("link", name="Reportar un problema con la entrega").click()
    page.wait_for_url(f"**/seguimiento/{late.ocid}/reportar/")
    check_page(page, "seguimiento-reporte-ciudadano")
    for kind, text in (
        ("No se entregó", "El equipo de rayos X no ha llegado al hospital; la sala sigue vacía."),
        ("Otro problema", "Publicidad de una empresa que no tiene que ver con el contrato."),
    ):
        page.get_by_label("¿Qué problema encontró?").select_option(label=kind)
        page.get_by_label("Cuéntenos qué vio").fill(text)
        page.get_by_label("¿Dónde? (opcional)").fill("Hospital General de Zona 1, Tapachula")
        page.get_by_role("button", name="Enviar reporte").click()
        page.wait_for_url("**/reportar/?enviado=1")
        expect(page.get_by_role("status")).to_be_visible()
    received, spam = CitizenReport.objects.order_by("pk")

    log_in(page, base, "oic.imss", "/tramite/seguimiento/reportes/")
    expect(page.locator(f'[data-testid="reporte-{received.pk}"]')).to_be_visible()
    check_page(page, "seguimiento-moderar-reportes")
    row = page.locator(f'[data-testid="reporte-{received.pk}"]')
    row.get_by_label("Nota (obligatoria para rechazar)").fill("Se pidió la visita de inspección.")
    row.get_by_role("button", name="Aceptar").click()
    page.wait_for_url("**/tramite/seguimiento/reportes/")
    row = page.locator(f'[data-testid="reporte-{spam.pk}"]')
    row.get_by_role("button", name="Rechazar").click()  # without a note: refused
    expect(page.get_by_role("status").get_by_text("Para rechazar un reporte")).to_be_visible()
    row = page.locator(f'[data-testid="reporte-{spam.pk}"]')
    row.get_by_label("Nota (obligatoria para rechazar)").fill("No trata de la entrega.")
    row.get_by_role("button", name="Rechazar").click()
    expect(page.get_by_role("status").get_by_text("Reporte moderado.")).to_be_visible()
    received.refresh_from_db()
    spam.refresh_from_db()
    assert (received.status, spam.status) == ("aceptado", "rechazado")

    # The OIC reads every report of the contract beside it, with how it was moderated; the
    # contract administrator, the accepted ones only.
    page.goto(f"{base}/tramite/seguimiento/contratos/{late.pk}/")
    reports = page.locator('[data-testid="reportes-contrato"]').inner_text()
    assert "No se entregó" in reports and "Se pidió la visita de inspección." in reports
    assert "Rechazado" in reports and "No trata de la entrega." in reports
    check_page(page, "seguimiento-contrato-reportes", '[data-testid="reportes-contrato"]')
    log_in(page, base, "admin.contratos", f"/tramite/seguimiento/contratos/{late.pk}/")
    reports = page.locator('[data-testid="reportes-contrato"]').inner_text()
    assert "No se entregó" in reports and "Publicidad" not in reports
