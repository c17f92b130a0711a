"""GET /api/indicadores/entes/ (anonymous) and /api/indicadores/unidades/ (scope alertas), with
tokens issued by our own OAuth server (authorization code + PKCE for people, client credentials
for machines)."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache

from cms.models import OAuthClient
from cms.roles import Role
from tests.factories import make_client, make_entity, make_member, make_unit
from tests.indicadores.risk import dataset as d

pytestmark = pytest.mark.django_db

ENTITIES = "/api/indicadores/entes/"
UNITS = "/api/indicadores/unidades/"
SECRET = "secreto-de-prueba-123"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def salud():
    entity = make_entity(key="SALUD")
    d.plant(entity, make_unit(entity, key="U1"), make_unit(entity, key="U2"))
    return entity


@pytest.fixture
def sep():
    entity = make_entity(key="SEP")
    data, outcomes = d.p4(entity)
    d.send(data, entity, make_unit(entity, key="SEP-U1"), outcomes)
    return entity


def person_token(client, user, scope="alertas") -> str:
    """Authorization code with PKCE through /oauth/authorize/ and /oauth/token/."""
    client_id = f"app-{user.username}"
    make_client(
        client_id,
        SECRET,
        grant=OAuthClient.GRANT_AUTHORIZATION_CODE,
        pdn=False,
        redirect_uris="https://app.example.org/vuelta",
        scopes="read alertas",
    )
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    params = {
        "response_type": "code",
        "client_id": client_id,
        "scope": scope,
        "redirect_uri": "https://app.example.org/vuelta",
        "state": "s",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    client.force_login(user)
    allow = client.post("/oauth/authorize/", {**params, "allow": "Authorize"})
    code = parse_qs(urlparse(allow["Location"]).query)["code"][0]
    client.logout()
    raw = base64.b64encode(f"{client_id}:{SECRET}".encode()).decode()
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "https://app.example.org/vuelta",
            "code_verifier": verifier,
        },
        HTTP_AUTHORIZATION=f"Basic {raw}",
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def machine_token(client, entity=None, scope="alertas") -> str:
    client_id = f"maquina-{entity.key if entity else 'nacional'}"
    make_client(
        client_id,
        SECRET,
        grant=OAuthClient.GRANT_CLIENT_CREDENTIALS,
        scopes="read alertas",
        pdn=False,
        entity=entity,
    )
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": SECRET,
            "scope": scope,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def get(client, url, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(url, params, **headers)


# --- entities, anonymous ----------------------------------------------------------------------


def test_entities_are_public_with_the_hand_computed_figures(client, salud, sep):
    response = get(client, ENTITIES)
    assert response.status_code == 200
    body = response.json()
    assert body["pagination"] == {"pageSize": 50, "page": 1, "totalRows": 2, "hasNextPage": False}
    row = body["results"][0]
    assert (row["entity"], row["year"], row["processes"]) == ("SALUD", 2025, 4)
    assert row["index"] == 36.4 and row["componentsComputed"] == 4
    assert row["components"]["competition"]["value"] == 47.5
    single = row["components"]["competition"]["measures"]["single_bid"]
    assert single == {"value": 50.0, "numerator": 1, "denominator": 1 + 1, "eligible": 2}
    assert row["components"]["transparency"]["measures"]["late_publication"]["value"] is None
    assert row["quality"]["value"] == 65.0
    assert row["quality"]["checks"]["s2_servants"] == {"value": 25.0, "passed": 1, "applicable": 4}
    docs = next(i for i in row["indicators"] if i["code"] == "MX-DOCS")
    assert docs == {"code": "MX-DOCS", "eligible": 3, "flagged": 2, "notComputable": 0}


def test_entities_filter_and_paginate(client, salud, sep):
    page = get(client, ENTITIES, pageSize=1, page=2).json()
    assert page["pagination"]["hasNextPage"] is False
    assert [r["entity"] for r in page["results"]] == ["SEP"]
    assert get(client, ENTITIES, entity="SEP").json()["pagination"]["totalRows"] == 1
    assert get(client, ENTITIES, year=2024).json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"pageSize": 0},
        {"pageSize": 201},
        {"year": "dos mil"},
        {"ente": "SEP"},
        {"page": -1},
        {"page": 184467440737095518},
    ],
)
def test_entities_refuse_bad_parameters_as_json(client, params):
    response = get(client, ENTITIES, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "solicitud_invalida" and body["message"]


# --- units, scope alertas -----------------------------------------------------------------------


def test_units_need_a_token(client, salud):
    response = get(client, UNITS)
    assert response.status_code == 401
    assert set(response.json()) >= {"code", "message"}


def test_units_need_the_alertas_scope(client, salud):
    token = machine_token(client, salud, scope="read")
    response = get(client, UNITS, token)
    assert response.status_code == 403
    assert response.json()["code"] == "sin_permiso"


def test_an_oic_sees_only_the_units_of_its_entity(client, salud, sep):
    token = person_token(client, make_member(Role.OIC, salud))
    body = get(client, UNITS, token).json()
    assert {r["entity"] for r in body["results"]} == {"SALUD"}
    units = {r["unit"]: r for r in body["results"]}
    assert set(units) == {"U1", "U2"}
    assert units["U1"]["index"] == 37.5 and units["U1"]["quality"]["value"] == 90.0
    assert get(client, UNITS, token, entity="SEP").json()["results"] == []


def test_a_person_without_the_oic_role_sees_no_unit(client, salud):
    token = person_token(client, make_member(Role.CAPTURISTA, salud))
    assert get(client, UNITS, token).json()["results"] == []


def test_machine_clients_see_their_entity_or_all(client, salud, sep):
    own = machine_token(client, sep)
    assert {r["unit"] for r in get(client, UNITS, own).json()["results"]} == {"SEP-U1"}
    national = machine_token(client)
    rows = get(client, UNITS, national).json()["results"]
    assert {r["unit"] for r in rows} == {"U1", "U2", "SEP-U1"}
    assert [r["unit"] for r in get(client, UNITS, national, unit="U2").json()["results"]] == ["U2"]


def test_both_are_in_the_openapi_schema(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert "/api/indicadores/entes/" in paths and "/api/indicadores/unidades/" in paths
    names = {p["name"] for p in paths["/api/indicadores/unidades/"]["get"]["parameters"]}
    assert names == {"page", "pageSize", "entity", "year", "unit"}
