"""The alerts API: GET /api/alertas/ and POST /api/alertas/busqueda (scope alertas)."""

from datetime import timedelta

import orjson
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken

from cms.models import OAuthClient
from cms.roles import Role
from indicadores import alerts
from indicadores.models import Alert, AlertStatus
from tests.factories import make_client, make_entity, make_member, make_unit
from tests.indicadores.alert_helpers import compute, new_ocid, sanction, single_bid

pytestmark = pytest.mark.django_db

LIST = "/api/alertas/"
SEARCH = "/api/alertas/busqueda"


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def imss():
    return make_entity(key="IMSS")


@pytest.fixture
def sep():
    return make_entity(key="SEP")


@pytest.fixture
def unit(imss):
    return make_unit(imss, key="UC-IMSS-1")


@pytest.fixture
def planted(imss, sep, unit):
    """Two IMSS processes (three alerts) and one SEP process (one alert)."""
    first, second = new_ocid(imss), new_ocid(imss)
    compute(first, imss, unit, sanction(), single_bid())
    compute(second, imss, unit, single_bid())
    compute(new_ocid(sep), sep, None, sanction())
    return first, second


def staff_token(user, scope="alertas") -> str:
    """A token issued to a person, as the authorization-code grant leaves it (docs/api.md §1.3);
    the password grant is only for the PDN's service account (cms/oauth.py)."""
    application = make_client(
        f"app-{user.username}",
        grant=OAuthClient.GRANT_AUTHORIZATION_CODE,
        scopes="read alertas",
        pdn=False,
        redirect_uris="https://app.example.org/vuelta",
    )
    token = AccessToken.objects.create(
        user=user,
        application=application,
        token=f"token-de-{user.username}",
        scope=scope,
        expires=timezone.now() + timedelta(hours=1),
    )
    return token.token


def machine_token(client, entity=None, scopes="alertas") -> str:
    client_id = f"maquina-{entity.key if entity else 'nacional'}"
    make_client(
        client_id,
        "secreto-maquina-123",
        grant=OAuthClient.GRANT_CLIENT_CREDENTIALS,
        scopes=scopes,
        pdn=False,
        entity=entity,
    )
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": "secreto-maquina-123",
            "scope": scopes,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def search(client, token, body):
    data = body if isinstance(body, bytes | str) else orjson.dumps(body)
    return client.post(
        SEARCH, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def listing(client, token, **params):
    return client.get(LIST, params, HTTP_AUTHORIZATION=f"Bearer {token}")


def codes(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.content
    return [(row["entity"], row["code"]) for row in response.json()["results"]]


# --- who sees what -------------------------------------------------------------------------------


def test_a_staff_token_sees_its_entitys_alerts_only(client, planted, imss):
    token = staff_token(make_member(Role.OIC, imss))
    body = search(client, token, {}).json()
    assert body["pagination"] == {"pageSize": 10, "page": 1, "totalRows": 3, "hasNextPage": False}
    assert {row["entity"] for row in body["results"]} == {"IMSS"}
    assert [row["code"] for row in body["results"]][0] == "MX-SANC"  # most severe first


def test_a_staff_token_without_the_oic_role_sees_nothing(client, planted, imss, unit):
    token = staff_token(make_member(Role.APROBADOR, imss, unit))
    assert codes(search(client, token, {})) == []


def test_an_entity_client_sees_its_entity_and_a_national_client_everything(client, planted, sep):
    assert codes(search(client, machine_token(client, sep), {})) == [("SEP", "MX-SANC")]
    national = machine_token(client)
    assert sorted(codes(search(client, national, {}))) == [
        ("IMSS", "MX-SANC"),
        ("IMSS", "MX-SINGLE-BID"),
        ("IMSS", "MX-SINGLE-BID"),
        ("SEP", "MX-SANC"),
    ]
    assert codes(search(client, national, {"query": {"entity": "SEP"}})) == [("SEP", "MX-SANC")]


def test_without_token_is_401_and_without_scope_403(client, planted):
    response = client.post(SEARCH, b"{}", content_type="application/json")
    assert response.status_code == 401
    assert set(response.json()) >= {"code", "message"}
    token = machine_token(client, scopes="read")
    response = search(client, token, {})
    assert response.status_code == 403 and response.json()["code"] == "sin_permiso"
    assert listing(client, token).status_code == 403


# --- the PDN's query shape -----------------------------------------------------------------------


def test_the_result_carries_the_evidence_and_lifecycle(client, planted, imss):
    oic = make_member(Role.OIC, imss)
    alert = Alert.objects.get(ocid=planted[0], code="MX-SANC")
    alerts.change_status(alert=alert, user=oic, to_status=AlertStatus.IN_REVIEW)
    token = staff_token(oic)
    row = search(client, token, {"query": {"ocid": planted[0], "code": "MX-SANC"}}).json()[
        "results"
    ][0]
    assert row["status"] == "en_revision" and row["severity"] == "high"
    assert row["unit"] == "UC-IMSS-1" and row["supplier"].startswith("Medicamentos Mexicanos")
    assert row["evidence"]["registry"]["match_kind"] == "rfc_exact"
    assert row["stillFlagged"] is True and row["responseRequest"] is None


def test_filters_sort_and_pages(client, planted, imss):
    token = machine_token(client)
    assert codes(search(client, token, {"query": {"severity": "medium", "entity": "IMSS"}})) == [
        ("IMSS", "MX-SINGLE-BID"),
        ("IMSS", "MX-SINGLE-BID"),
    ]
    by_rfc = search(client, token, {"query": {"supplier": "mme920427em3"}})
    assert sorted(codes(by_rfc)) == [("IMSS", "MX-SANC"), ("SEP", "MX-SANC")]
    body = search(client, token, {"page": 2, "pageSize": 3, "sort": {"code": "asc"}}).json()
    assert body["pagination"] == {"pageSize": 3, "page": 2, "totalRows": 4, "hasNextPage": False}
    assert [row["code"] for row in body["results"]] == ["MX-SINGLE-BID"]
    ordered = search(client, token, {"sort": {"code": "desc"}}).json()["results"]
    assert [row["code"] for row in ordered][:2] == ["MX-SINGLE-BID", "MX-SINGLE-BID"]


def test_get_takes_the_same_filters_as_parameters(client, planted):
    token = machine_token(client)
    response = listing(client, token, entity="IMSS", code="MX-SANC", pageSize=5)
    assert codes(response) == [("IMSS", "MX-SANC")]
    assert response.json()["pagination"]["pageSize"] == 5


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"page": 0}, "page"),
        ({"pageSize": 201}, "pageSize"),
        ({"query": {"severity": "altísima"}}, "severity"),
        ({"query": {"proveedor": "x"}}, "query.proveedor"),
        ({"sort": {"code": "arriba"}}, "sort.code"),
        ({"sort": {"precio": "asc"}}, "sort.precio"),
        ({"filtro": 1}, "filtro"),
        ({"query": {"since": "2025-05-01", "until": "2025-04-01"}}, "posterior"),
        ({"query": {"since": "ayer"}}, "query.since"),
        ([1, 2], "objeto JSON"),
    ],
)
def test_bad_queries_are_400_with_a_spanish_message(client, planted, body, fragment):
    response = search(client, machine_token(client), body)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "solicitud_invalida" and fragment in error["message"]


def test_malformed_json_is_400(client, planted):
    response = search(client, machine_token(client), b"{no es json")
    assert response.status_code == 400 and "JSON" in response.json()["message"]


def test_get_on_the_search_is_405_json(client):
    response = client.get(SEARCH, HTTP_AUTHORIZATION=f"Bearer {machine_token(client)}")
    assert response.status_code == 405 and response.json()["code"] == "metodo_no_permitido"


def test_queries_do_not_grow_with_the_page(client, imss, unit, django_assert_max_num_queries):
    token = machine_token(client)
    compute(new_ocid(imss), imss, unit, sanction())
    search(client, token, {})
    with CaptureQueriesContext(connection) as one:
        search(client, token, {"pageSize": 200})
    oic = make_member(Role.OIC, imss)
    for _index in range(20):
        ocid = new_ocid(imss)
        compute(ocid, imss, unit, sanction(), single_bid())
        alerts.assign(alert=Alert.objects.get(ocid=ocid, code="MX-SANC"), user=oic, assignee=oic)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = search(client, token, {"pageSize": 200})
    assert len(response.json()["results"]) == 41


def test_the_schema_documents_both_operations_with_scope_alertas(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, method in ((LIST, "get"), (SEARCH, "post")):
        operation = schema["paths"][path][method]
        assert operation["summary"] and "alertas" in operation["description"]
        assert operation["security"] == [{"oauth2": ["alertas"]}]
        assert "400" in operation["responses"] and "403" in operation["responses"]
    body = schema["paths"][SEARCH]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/AlertSearch")
