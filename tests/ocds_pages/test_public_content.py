"""Home page with published figures, the editors' content pages and the headless API."""

import re

import pytest

from cms.models import ContentPage, HomePage

pytestmark = pytest.mark.django_db


def test_home_shows_editable_intro_figures_and_latest_processes(client, public_dataset):
    home = HomePage.objects.get()
    home.intro = "Bienvenida editada desde el administrador."
    home.save_revision().publish()

    html = client.get("/").content.decode()

    assert "Bienvenida editada desde el administrador." in html
    figures = re.findall(r'<span class="cifra">([^<]+)</span>', html)
    # processes, entities, suppliers (3 RFCs; bidders are not suppliers), contracted total
    # (medicines 558 k, cleaning 1.14 M, kits 255 k)
    assert figures == ["5", "2", "3", "$1,953,000.00 MXN"]
    assert public_dataset["botiquines"] in html
    assert 'action="/procesos/"' in html


def test_home_with_nothing_published_shows_zeros(client):
    html = client.get("/").content.decode()

    assert re.findall(r'<span class="cifra">([^<]+)</span>', html)[:2] == ["0", "0"]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/politica-de-publicacion/", "Cada etapa aprobada"),
        ("/licencia-de-datos/", "Creative Commons"),
        ("/ayuda/", "Buscar procesos"),
        ("/acerca-de/", "AGPL-3.0-or-later"),
    ],
)
def test_starter_content_pages_exist_in_spanish(client, path, text):
    response = client.get(path)

    assert response.status_code == 200
    assert text in response.content.decode()


def test_ocds_packages_link_to_the_policy_page_that_exists(client, public_dataset):
    import orjson

    ocid = public_dataset["medicamentos"]
    package = orjson.loads(client.get(f"/procesos/{ocid}/registro.json").content)
    policy_path = re.sub(r"^https?://[^/]+", "", package["publicationPolicy"])

    assert client.get(policy_path).status_code == 200


def test_content_api_is_public_and_exposes_the_body(client):
    page = ContentPage.objects.get(slug="licencia-de-datos")

    listing = client.get("/api/v2/pages/", {"type": "cms.ContentPage", "fields": "intro,body"})
    detail = client.get(f"/api/v2/pages/{page.pk}/")

    assert listing.status_code == 200
    titles = {item["title"] for item in listing.json()["items"]}
    assert {"Ayuda", "Política de publicación", "Licencia de datos", "Acerca de"} <= titles
    body = detail.json()["body"]
    assert body[0]["type"] == "heading"
    assert any("Creative Commons" in str(block["value"]) for block in body)


def test_content_api_lists_the_home_page_fields(client):
    response = client.get("/api/v2/pages/", {"type": "cms.HomePage", "fields": "intro,body"})

    (home,) = response.json()["items"]
    assert home["intro"].startswith("Contrataciones públicas abiertas")
    assert home["body"] == []


def test_images_and_documents_endpoints_answer_without_a_token(client):
    assert client.get("/api/v2/images/").status_code == 200
    assert client.get("/api/v2/documents/").status_code == 200
