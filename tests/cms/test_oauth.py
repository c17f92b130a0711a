"""OAuth 2.0 as the PDN and machine clients use it: tokens issued by our own server."""

import base64
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from cms.models import OAuthClient
from tests.factories import PASSWORD, make_client, make_entity, make_member, make_user

pytestmark = pytest.mark.django_db

TOKEN_URL = "/oauth/token/"
SECRET = "secreto-de-prueba-123"


def basic(client_id, secret):
    raw = f"{client_id}:{secret}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def pdn_token_request(client, *, client_id="pdn", secret=SECRET, username="pdn", scope="read s6"):
    """Exactly what the PDN's client sends (docs/api.md §1.1): form body AND Basic header."""
    return client.post(
        TOKEN_URL,
        {
            "grant_type": "password",
            "username": username,
            "password": PASSWORD,
            "client_id": client_id,
            "client_secret": secret,
            "scope": scope,
        },
        HTTP_AUTHORIZATION=basic(client_id, secret),
    )


@pytest.fixture
def pdn_client():
    user = make_user("pdn")
    return make_client("pdn", SECRET, user=user, scopes="read s6", pdn=True)


def test_pdn_password_grant_with_basic_header_issues_bearer_token(client, pdn_client):
    response = pdn_token_request(client)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert set(body["scope"].split()) == {"read", "s6"}
    me = client.get("/api/yo/", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert me.status_code == 200
    assert me.json()["username"] == "pdn"
    assert me.json()["scopes"] == ["read", "s6"]


def test_password_grant_with_credentials_in_body_only(client, pdn_client):
    response = client.post(
        TOKEN_URL,
        {
            "grant_type": "password",
            "username": "pdn",
            "password": PASSWORD,
            "client_id": "pdn",
            "client_secret": SECRET,
            "scope": "read",
        },
    )
    assert response.status_code == 200
    assert response.json()["scope"] == "read"


def test_wrong_client_secret_is_401_json_with_rfc6749_and_pdn_fields(client, pdn_client):
    response = pdn_token_request(client, secret="no-es-el-secreto")
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "invalid_client"
    assert body["code"] == "oauth_invalid_client"
    assert "credenciales del cliente" in body["message"]


def test_wrong_user_password_is_invalid_grant_in_spanish(client, pdn_client):
    response = client.post(
        TOKEN_URL,
        {
            "grant_type": "password",
            "username": "pdn",
            "password": "otra-contraseña",
            "scope": "read",
        },
        HTTP_AUTHORIZATION=basic("pdn", SECRET),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_grant"
    assert body["message"].startswith("Usuario o contraseña incorrectos")


def test_password_grant_refused_for_client_not_registered_for_pdn_protocol(client):
    make_user("app")
    make_client("app", SECRET, pdn=False)
    response = pdn_token_request(client, client_id="app", username="app")
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "unauthorized_client"
    assert "no tiene permitido" in response.json()["message"]


def test_scope_outside_client_allowance_is_refused(client, pdn_client):
    response = pdn_token_request(client, scope="read alertas")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_client_credentials_grant_for_machine_clients(client):
    make_client(
        "maquina",
        SECRET,
        grant=OAuthClient.GRANT_CLIENT_CREDENTIALS,
        scopes="read alertas",
        pdn=False,
    )
    response = client.post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "scope": "read"},
        HTTP_AUTHORIZATION=basic("maquina", SECRET),
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    public = client.get("/api/entes/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert public.status_code == 200


def test_expired_token_is_rejected_with_401(client, pdn_client):
    token = pdn_token_request(client).json()["access_token"]
    get_access_token_model().objects.update(expires=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/yo/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["code"] == "no_autenticado"


def test_missing_scope_is_403(client, pdn_client):
    token = pdn_token_request(client, scope="s6").json()["access_token"]
    response = client.get("/api/yo/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert response.json()["code"] == "sin_permiso"


def test_no_token_is_401_with_bearer_challenge(client):
    response = client.get("/api/yo/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["message"].startswith("No tienes permisos")


def test_token_in_query_string_is_not_accepted(client, pdn_client):
    token = pdn_token_request(client).json()["access_token"]
    response = client.get(f"/api/yo/?access_token={token}")
    assert response.status_code == 401


def test_revoked_token_stops_working(client, pdn_client):
    token = pdn_token_request(client).json()["access_token"]
    revoke = client.post(
        "/oauth/revoke_token/", {"token": token}, HTTP_AUTHORIZATION=basic("pdn", SECRET)
    )
    assert revoke.status_code == 200
    assert client.get("/api/yo/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_tokens_are_not_stored_in_plaintext(client, pdn_client):
    token = pdn_token_request(client).json()["access_token"]
    stored = get_access_token_model().objects.get()
    assert stored.token != token


def test_authorization_code_with_pkce_for_third_party_apps(client):
    entity = make_entity("APPS")
    user = make_member("oic", entity)
    make_client(
        "app-terceros",
        SECRET,
        grant=OAuthClient.GRANT_AUTHORIZATION_CODE,
        pdn=False,
        redirect_uris="https://app.example.org/callback",
        scopes="read",
    )
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    challenge = challenge.decode().rstrip("=")
    client.force_login(user)
    params = {
        "response_type": "code",
        "client_id": "app-terceros",
        "scope": "read",
        "redirect_uri": "https://app.example.org/callback",
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = client.get("/oauth/authorize/", params)
    assert page.status_code == 200
    allow = client.post("/oauth/authorize/", {**params, "allow": "Authorize"})
    assert allow.status_code == 302
    query = parse_qs(urlparse(allow["Location"]).query)
    assert query["state"] == ["xyz"]
    client.logout()
    exchange = client.post(
        TOKEN_URL,
        {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": "https://app.example.org/callback",
            "code_verifier": verifier,
        },
        HTTP_AUTHORIZATION=basic("app-terceros", SECRET),
    )
    assert exchange.status_code == 200, exchange.content
    token = exchange.json()["access_token"]
    me = client.get("/api/yo/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.json()["memberships"] == [{"entity": "APPS", "unit": None, "role": "oic"}]


def test_authorization_code_without_pkce_is_refused(client):
    entity = make_entity("APPS2")
    user = make_member("oic", entity)
    make_client(
        "app-sin-pkce",
        SECRET,
        grant=OAuthClient.GRANT_AUTHORIZATION_CODE,
        pdn=False,
        redirect_uris="https://app.example.org/callback",
        scopes="read",
    )
    client.force_login(user)
    response = client.get(
        "/oauth/authorize/",
        {
            "response_type": "code",
            "client_id": "app-sin-pkce",
            "scope": "read",
            "redirect_uri": "https://app.example.org/callback",
        },
    )
    # Without a code_challenge the server redirects back with an error, never with a code.
    location = response.get("Location", "")
    assert "code=" not in location
    assert response.status_code in (302, 400)


# --- issue 20, items 7 and 8 -----------------------------------------------------------------


def test_password_grant_client_only_issues_tokens_for_its_own_service_user(client, pdn_client):
    staff = make_member("capturista", make_entity("AJENO"), username="capturista.ajeno")
    response = pdn_token_request(client, username=staff.username)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not get_access_token_model().objects.filter(user=staff).exists()


def test_guessing_client_secrets_is_throttled_per_client_and_address(client, settings, pdn_client):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        assert pdn_token_request(client, secret="adivinanza").status_code == 401
    refused = pdn_token_request(client)  # even the right secret waits now
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "demasiadas_solicitudes"
    assert "Demasiados intentos fallidos" in refused.json()["message"]
    other_address = client.post(
        TOKEN_URL,
        {
            "grant_type": "password",
            "username": "pdn",
            "password": PASSWORD,
            "scope": "read",
        },
        HTTP_AUTHORIZATION=basic("pdn", SECRET),
        REMOTE_ADDR="192.0.2.50",
    )
    assert other_address.status_code == 200
