"""No 500s and no HTML on the API (issue 20, item 5): every API error is JSON ``{code, message}``
in Spanish, and people get the Spanish error pages."""

import pytest
from django.db import OperationalError, connection

from cms.models import OAuthClient
from cms.roles import Role
from tests.cms.test_oauth import basic
from tests.factories import make_client, make_entity, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_errors(client, settings):
    """Errors as production answers them: the handlers of cms/urls.py, not the debug page."""
    settings.DEBUG = False
    client.raise_request_exception = False
    return client


def assert_json_error(response, status, code=None):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["message"]
    if code:
        assert body["code"] == code
    return body


@pytest.mark.parametrize(
    "url", ["/entes/%00/", "/proveedores/%00/", "/procesos/?q=%00", "/buscar/?q=%00"]
)
def test_nul_in_public_addresses_gets_the_spanish_400_page(production_errors, url):
    response = production_errors.get(url)
    assert response.status_code == 400
    assert "Solicitud no válida" in response.content.decode()
    assert "caracteres nulos" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/cms/entity/?q=%00",
        "/admin/auth/user/?q=%00",
        "/admin/cms/membership/?q=%00",
        "/admin/cms/oauthclient/?q=%00",
        "/admin/cms/purchasingunit/?q=%00",
    ],
)
def test_nul_in_admin_searches_is_a_400_not_a_500(production_errors, url):
    production_errors.force_login(make_user("nacional", is_superuser=True, is_staff=True))
    assert production_errors.get(url).status_code == 400


@pytest.mark.parametrize(
    "url", ["/api/ocds/releases/?ocid=%00", "/api/entes/%00/unidades/", "/api/ocds/records/%00/"]
)
def test_nul_in_api_addresses_is_json(production_errors, url):
    assert_json_error(production_errors.get(url), 400, "solicitud_invalida")


def test_whoami_with_a_client_credentials_token_names_the_client(client):
    make_client(
        "maquina",
        "secreto-123",
        grant=OAuthClient.GRANT_CLIENT_CREDENTIALS,
        scopes="read",
        pdn=False,
    )
    token = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "scope": "read"},
        HTTP_AUTHORIZATION=basic("maquina", "secreto-123"),
    ).json()["access_token"]
    response = client.get("/api/yo/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json() == {
        "username": None,
        "client_id": "maquina",
        "scopes": ["read"],
        "memberships": [],
    }


def test_whoami_with_a_session_still_lists_memberships(client):
    client.force_login(make_member(Role.OIC, make_entity("YO")))
    body = client.get("/api/yo/").json()
    assert body["client_id"] is None
    assert body["memberships"] == [{"entity": "YO", "unit": None, "role": "oic"}]


def test_api_body_over_the_limit_is_413_json(production_errors, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = b'{"query":{}}' + b" " * 2000
    response = production_errors.post("/api/s6/v1/records", body, content_type="application/json")
    assert_json_error(response, 413, "solicitud_muy_grande")
    token = production_errors.post("/oauth/token/", {"grant_type": "password", "x": "y" * 3000})
    assert_json_error(token, 413, "solicitud_muy_grande")


def test_deeply_nested_json_is_a_400_not_a_recursion_error(production_errors):
    make_client("pdn", "secreto-123", user=make_user("pdn"), scopes="read s6")
    response = production_errors.post(
        "/api/s6/v1/records",
        b"[" * 10_000 + b"]" * 10_000,
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer cualquiera",
    )
    assert_json_error(response, 400, "solicitud_invalida")


def test_unknown_api_address_is_json_404(production_errors):
    assert_json_error(production_errors.get("/api/no-existe/"), 404, "no_encontrado")


@pytest.fixture
def database_down(monkeypatch):
    """Every new query fails as it does when PostgreSQL is unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(connection, "cursor", refuse)


def test_database_outage_on_the_api_is_a_json_503(production_errors, database_down):
    body = assert_json_error(
        production_errors.get("/api/ocds/releases/"), 503, "servicio_no_disponible"
    )
    assert "no está disponible" in body["message"]


def test_database_outage_in_a_middleware_is_still_json(production_errors, database_down):
    response = production_errors.get("/api/yo/", HTTP_AUTHORIZATION="Bearer abc")
    assert response.status_code in (500, 503)
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] in ("error_interno", "servicio_no_disponible")


def test_database_outage_on_a_public_page_is_the_spanish_500_page(production_errors, database_down):
    response = production_errors.get("/entes/")
    assert response.status_code == 500
    assert "Ocurrió un error en el servidor" in response.content.decode()


def test_wagtail_error_test_page_is_not_exposed(production_errors):
    assert production_errors.get("/admin/failwhale/").status_code == 404
