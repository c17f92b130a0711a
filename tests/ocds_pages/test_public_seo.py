"""What search engines and link previews read: sitemap sections, robots.txt, meta and Open Graph."""

import re
from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own server's answer)
    return [node.text for node in root.iterfind(".//s:loc", NS)]


def test_sitemap_index_lists_every_section(client, public_dataset):
    sections = locations(client, "/sitemap.xml")

    for name in ["paginas", "procesos", "entes", "proveedores"]:
        assert any(url.endswith(f"/sitemap-{name}.xml") for url in sections)


def test_sitemap_sections_hold_processes_entities_suppliers_and_pages(client, public_dataset):
    processes = locations(client, "/sitemap-procesos.xml")
    entities = locations(client, "/sitemap-entes.xml")
    suppliers = locations(client, "/sitemap-proveedores.xml")
    pages = locations(client, "/sitemap-paginas.xml")

    assert len(processes) == 5
    assert any(url.endswith(f"/procesos/{public_dataset['carretera']}/") for url in processes)
    assert sorted(url.rsplit("/", 2)[1] for url in entities) == ["IMSS", "SICT"]
    assert any(url.endswith("/proveedores/MME920427EM3/") for url in suppliers)
    assert len(suppliers) == 3  # Medicamentos, Limpieza, Constructora (not mere bidders)
    assert any(url.endswith("/politica-de-publicacion/") for url in pages)


def test_every_sitemap_url_answers(client, public_dataset):
    for section in ["procesos", "entes", "proveedores", "paginas"]:
        for url in locations(client, f"/sitemap-{section}.xml"):
            path = re.sub(r"^https?://[^/]+", "", url)
            assert client.get(path).status_code == 200, path


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin(client, settings):
    settings.PRODUCTION = True  # links start with SITE_URL (cms/links.py)
    response = client.get("/robots.txt")

    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert "Disallow: /procesos/descargar/" in text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text


def meta(html: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    assert match, name
    return match.group(1)


@pytest.mark.parametrize(
    ("path", "title"),
    [
        (
            "/procesos/{medicamentos}/",
            "Adquisición de medicamentos genéricos para el primer semestre",
        ),
        ("/entes/SICT/", "Secretaría de Infraestructura, Comunicaciones y Transportes"),
        ("/proveedores/MME920427EM3/", "Medicamentos Mexicanos, S.A. de C.V."),
        ("/procesos/", "Buscar procesos de contratación"),
        ("/politica-de-publicacion/", "Política de publicación"),
    ],
)
def test_pages_carry_title_description_and_open_graph(client, public_dataset, path, title):
    html = client.get(path.format(**public_dataset)).content.decode()

    assert f"<title>{title} · Compra Íntegra</title>" in html
    assert meta(html, "property", "og:title") == title
    assert meta(html, "name", "description")
    assert meta(html, "property", "og:description") == meta(html, "name", "description")
    assert meta(html, "property", "og:locale") == "es_MX"
    assert meta(html, "property", "og:url").endswith(path.format(**public_dataset))
    assert '<link rel="canonical"' in html


def test_process_description_names_buyer_and_procedure(client, public_dataset):
    html = client.get(f"/procesos/{public_dataset['limpieza']}/").content.decode()

    description = meta(html, "name", "description")
    assert "Instituto Mexicano del Seguro Social" in description
    assert "Invitación a cuando menos tres personas" in description
    assert meta(html, "property", "og:type") == "article"
