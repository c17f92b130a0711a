"""The registry screens of the Wagtail admin: superusers only, secrets never shown back."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from integraciones.models import RegistryProvider, SyncRun

pytestmark = pytest.mark.django_db

PROVIDERS_URL = "integraciones_registryprovider_modeladmin_index"


@pytest.fixture
def provider():
    return RegistryProvider.objects.create(
        name="s3-sfp",
        system="s3",
        version="v1",
        supplier_name="Secretaría Anticorrupción y Buen Gobierno",
        url="https://s3.example.org/api",
        token_url="https://s3.example.org/oauth/token",
        username="pdn",
        password="contrasena-muy-secreta",
        client_id="cliente",
        client_secret="secreto-del-cliente",
        last_success_at=timezone.now(),
        last_error_at=timezone.now(),
        last_error_message="No se pudo conectar con https://s3.example.org/api/v1/ssancionados.",
    )


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("raiz", "raiz@example.org", "x" * 14)
    client.force_login(user)
    return client


def test_the_providers_list_shows_last_success_and_error_but_no_secret(superuser_client, provider):
    response = superuser_client.get(reverse(PROVIDERS_URL))

    content = response.content.decode()
    assert response.status_code == 200
    assert "s3-sfp" in content
    assert "último éxito" in content.lower()
    assert "último error" in content.lower()
    assert "No se pudo conectar" in content
    for secret in ("contrasena-muy-secreta", "secreto-del-cliente"):
        assert secret not in content


def test_the_edit_form_does_not_render_secrets_and_blank_keeps_them(superuser_client, provider):
    url = reverse("integraciones_registryprovider_modeladmin_edit", args=[provider.pk])
    form = superuser_client.get(url)
    assert "contrasena-muy-secreta" not in form.content.decode()
    data = {
        "name": "s3-sfp",
        "system": "s3",
        "version": "v1",
        "level": "federal",
        "supplier_name": "SABG",
        "url": "https://s3.example.org/api",
        "token_url": "https://s3.example.org/oauth/token",
        "username": "pdn",
        "password": "",
        "client_id": "cliente",
        "client_secret": "",
        "scope": "",
        "token": "",
        "collections": "",
        "active": "on",
    }

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.supplier_name == "SABG"
    assert provider.password == "contrasena-muy-secreta"
    assert provider.client_secret == "secreto-del-cliente"


def test_an_incomplete_configuration_is_refused_with_the_reason(superuser_client):
    url = reverse("integraciones_registryprovider_modeladmin_create")
    data = {
        "name": "s2-nuevo",
        "system": "s2",
        "version": "v2",
        "level": "estatal",
        "supplier_name": "SESEA",
        "url": "https://s2.example.org",
        "active": "on",
    }

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "token fijo" in response.content.decode()
    assert not RegistryProvider.objects.filter(name="s2-nuevo").exists()


def test_the_sync_runs_list_renders(superuser_client, provider):
    SyncRun.objects.create(
        provider=provider, status=SyncRun.Status.ERROR, pages=2, rows=10, error_message="Falló"
    )

    response = superuser_client.get(reverse("integraciones_syncrun_modeladmin_index"))

    assert response.status_code == 200
    assert "Falló" in response.content.decode()


def test_a_staff_user_who_is_not_superuser_cannot_see_the_providers(client, django_user_model):
    user = django_user_model.objects.create_user("editora", "e@example.org", "x" * 14)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = client.get(reverse(PROVIDERS_URL))

    assert response.status_code in (302, 403)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Proveedores PDN" not in home
