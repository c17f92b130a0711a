"""Wagtail's own screens speak es-MX and its «Ayuda» menu opens our manual (issue 16, item 9)."""

import pytest
from django.utils import translation

from cms.roles import Role
from tests.factories import make_entity, make_member

pytestmark = pytest.mark.django_db

# Strings Wagtail 8.0 ships without a Spanish translation; cms/locale supplies them.
WAGTAIL_GAPS = {
    "Go to the first error": "Ir al primer error",
    "- Select an option -": "— Elija una opción —",
    "Search all pages…": "Buscar en todas las páginas…",
    "Keyboard shortcuts": "Atajos de teclado",
    "Use server time zone": "Usar la zona horaria del servidor",
}


@pytest.mark.parametrize(("english", "spanish"), WAGTAIL_GAPS.items())
def test_wagtail_strings_missing_from_its_catalogue_are_translated(english, spanish):
    with translation.override("es-mx"):
        assert translation.gettext(english) == spanish


def test_dashboard_has_no_english_guide_and_links_the_manual(client):
    client.force_login(make_member(Role.CAPTURISTA, make_entity()))
    html = client.get("/admin/").content.decode()
    assert "guide.wagtail.org" not in html
    assert "Search all pages" not in html
    assert "Keyboard shortcuts" not in html
    assert "Atajos de teclado" in html
    assert "/admin/manual/" in html
    assert "<title>Panel de control - Compra Íntegra</title>" in html


def test_manual_renders_with_a_link_per_role_and_its_screenshots(client):
    client.force_login(make_member(Role.APROBADOR, make_entity()))
    response = client.get("/admin/manual/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="capturista">Capturista</h2>' in html
    assert '<h2 id="aprobador">Aprobador</h2>' in html
    assert 'src="img/admin-acceso.png"' in html
    image = client.get("/admin/manual/img/admin-acceso.png")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "name", ["manual-usuario.md", ".admin-acceso.png", "no-existe.png", "admin-acceso.PNG"]
)
def test_manual_serves_only_its_screenshots(client, name):
    client.force_login(make_member(Role.APROBADOR, make_entity()))
    assert client.get(f"/admin/manual/img/{name}").status_code == 404


def test_manual_requires_login(client):
    response = client.get("/admin/manual/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
