"""The public transparency site in Debian's chromium: search with filters, a process and its
timeline, the JSON download, keyboard-only navigation, axe-core's accessibility check and the
screenshots of the user manual (desktop 1280 px and phone 360 px)."""

import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from tests.browser.conftest import require_tool, screenshot
from tests.ocds_pages.public_data import publish_public_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}


def ensure_site_pages():
    """The home and content pages come from data migrations; an earlier transactional test's
    flush removes them, so they are made again the way the migrations make them."""
    if Site.objects.filter(is_default_site=True).exists():
        return
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    for migration in ("0002_home_page", "0005_starter_content_pages"):
        module = importlib.import_module(f"cms.migrations.{migration}")
        runner = getattr(module, "create_home_page", None) or module.create_pages
        runner(django_apps, None)


@pytest.fixture
def dataset():
    cache.clear()
    ensure_site_pages()
    yield publish_public_dataset()
    cache.clear()


def page_paths(dataset) -> dict[str, str]:
    return {
        "portada": "/",
        "busqueda": "/procesos/?q=medicamentos&procedimiento=open",
        "proceso": f"/procesos/{dataset['medicamentos']}/",
        "ente": "/entes/IMSS/",
        "proveedor": "/proveedores/MME920427EM3/",
        "contenido": "/politica-de-publicacion/",
    }


def serious_violations(page) -> list[dict]:
    """axe-core (served from the local npm install, never a CDN) on WCAG 2.1 A/AA rules."""
    require_tool(AXE, "instale npm; `make test` ejecuta `npm ci`.")
    # Evaluated, not added as a <script>: the site's Content-Security-Policy refuses inline scripts.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_search_with_filters_open_a_process_follow_the_timeline_download_json(
    live_server, page, dataset
):
    page.goto(f"{live_server.url}/procesos/")
    page.get_by_label("Buscar", exact=True).fill("medicamentos")
    page.get_by_label("Tipo de procedimiento").select_option(label="Licitación pública")
    page.get_by_label("Ente público").select_option(label="Instituto Mexicano del Seguro Social")
    page.get_by_role("button", name="Buscar").click()
    page.wait_for_url("**/procesos/?*")

    assert "procedimiento=open" in page.url and "ente=IMSS" in page.url  # a shareable URL
    assert page.get_by_role("status").inner_text().startswith("1 proceso encontrado")
    page.get_by_role("link", name="Adquisición de medicamentos genéricos").click()
    page.wait_for_url(f"**/procesos/{dataset['medicamentos']}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Adquisición")

    page.locator(".linea-tiempo").get_by_role("link", name="Ejecución").click()
    assert page.url.endswith("#ejecucion")
    expect(page.get_by_text("Pagado: 45 %")).to_be_visible()
    page.locator(".linea-tiempo").get_by_role("link", name="Contrato").click()
    assert page.url.endswith("#contrato")
    expect(page.get_by_text("Convenio modificatorio 1")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Descargar el registro OCDS completo (JSON)").click()
    package = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert package["records"][0]["ocid"] == dataset["medicamentos"]
    assert len(package["records"][0]["releases"]) == 6


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {tag: el.tagName, text: (el.innerText || el.value || '').trim(),
                    id: el.id, outline: style.outlineStyle + ' ' + style.outlineWidth};
        }"""
    )


def tab_until(page, predicate, limit=60) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if predicate(element):
            return element
    pytest.fail("El foco no llegó al elemento esperado con el teclado.")


def test_keyboard_only_from_home_to_a_process(live_server, page, dataset):
    page.goto(f"{live_server.url}/")

    skip = tab_until(page, lambda el: el["tag"] == "A")
    assert skip["text"] == "Saltar al contenido"
    assert skip["outline"].startswith("solid")  # the focus is visible
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "contenido"

    search = tab_until(page, lambda el: el["id"] == "portada-q")
    assert search["outline"].startswith("solid")
    page.keyboard.type("limpieza hospitales")
    page.keyboard.press("Enter")
    page.wait_for_url("**/procesos/?q=*")

    link = tab_until(page, lambda el: el["text"].startswith("Servicio de limpieza integral"))
    assert link["tag"] == "A"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/procesos/{dataset['limpieza']}/")

    stage = tab_until(page, lambda el: el["text"] == "Adjudicación (fallo)")
    assert stage["outline"].startswith("solid")
    page.keyboard.press("Enter")
    assert page.url.endswith("#adjudicacion")


@pytest.mark.parametrize(
    "name", ["portada", "busqueda", "proceso", "ente", "proveedor", "contenido"]
)
def test_no_serious_accessibility_violations(live_server, page, dataset, name):
    page.goto(live_server.url + page_paths(dataset)[name])

    assert serious_violations(page) == []


@pytest.mark.parametrize(
    "name", ["portada", "busqueda", "proceso", "ente", "proveedor", "contenido"]
)
def test_screenshots_desktop_and_phone_without_horizontal_scroll(
    live_server, browser, dataset, name
):
    for label, viewport in (("escritorio", {"width": 1280, "height": 800}), ("telefono", PHONE)):
        context = browser.new_context(locale="es-MX", viewport=viewport)
        page = context.new_page()
        page.goto(live_server.url + page_paths(dataset)[name])
        width = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, f"consulta-{name}-{label}")
        context.close()
        assert width <= viewport["width"], (name, label, width)
