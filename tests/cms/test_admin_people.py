"""The entity administrator manages the people of their entity in the Wagtail admin (Spanish)."""

import pytest
from django.contrib.auth import get_user_model

from cms.models import Membership
from cms.roles import Role
from tests.factories import make_entity, make_member, make_unit

pytestmark = pytest.mark.django_db


def test_admin_login_page_is_in_spanish(client):
    html = client.get("/admin/login/").content.decode()
    assert 'lang="es-mx"' in html.lower() or 'lang="es"' in html.lower()
    assert "Iniciar sesión" in html or "Inicia sesión" in html


def test_entity_admin_creates_a_capturista_with_membership(client):
    entity = make_entity("ALTA")
    unit = make_unit(entity)
    client.force_login(make_member(Role.ADMIN_ENTE, entity))
    response = client.post(
        "/admin/auth/user/create/",
        {
            "username": "nueva.capturista",
            "first_name": "Ana",
            "last_name": "Pérez",
            "email": "ana@ejemplo.gob.mx",
            "password1": "Clave-Muy-Segura-88",
            "password2": "Clave-Muy-Segura-88",
            "entity": entity.pk,
            "role": Role.CAPTURISTA,
            "unit": unit.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="nueva.capturista")
    assert user.check_password("Clave-Muy-Segura-88")
    membership = Membership.objects.get(user=user)
    assert (membership.entity, membership.unit, membership.role) == (entity, unit, "capturista")
    assert user.groups.filter(name="Capturistas").exists()


def test_weak_password_and_missing_unit_are_refused_in_spanish(client):
    entity = make_entity("DEBIL")
    client.force_login(make_member(Role.ADMIN_ENTE, entity))
    response = client.post(
        "/admin/auth/user/create/",
        {
            "username": "debil",
            "first_name": "B",
            "last_name": "C",
            "email": "b@ejemplo.mx",
            "password1": "123",
            "password2": "123",
            "entity": entity.pk,
            "role": Role.CAPTURISTA,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Un capturista debe pertenecer a una unidad." in html
    assert "contraseña" in html.lower()
    assert not get_user_model().objects.filter(username="debil").exists()


def test_removing_last_membership_removes_role_group(client):
    entity = make_entity("GRUPO")
    user = make_member(Role.OIC, entity)
    assert user.groups.filter(name="Órgano interno de control").exists()
    Membership.objects.filter(user=user).delete()
    assert not user.groups.filter(name="Órgano interno de control").exists()


def test_editor_can_edit_the_public_site_pages(client):
    from wagtail.models import Page

    editor = make_member(Role.EDITOR, make_entity("EDIT"))
    home = Page.objects.get(depth=2)
    client.force_login(editor)
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code == 200


def test_capturista_cannot_edit_the_public_site_pages(client):
    from wagtail.models import Page

    capturista = make_member(Role.CAPTURISTA, make_entity("NOEDIT"))
    home = Page.objects.get(depth=2)
    client.force_login(capturista)
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code in (302, 403)
