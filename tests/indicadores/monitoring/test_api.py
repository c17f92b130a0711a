"""GET /api/seguimiento/contratos/ and /api/seguimiento/entes/: who sees what (real OAuth tokens),
filters, errors, schema."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from oauth2_provider.models import AccessToken

from cms.models import OAuthClient
from cms.roles import Role
from tests.factories import make_client, make_entity, make_member, make_unit
from tests.indicadores.monitoring.contracts import (
    day,
    milestone,
    payment,
    persona_fisica,
    publish_contract,
)

pytestmark = pytest.mark.django_db
URL = "/api/seguimiento/contratos/"


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
def planted(imss, sep, django_capture_on_commit_callbacks):
    """IMSS: one contract 20 days late, one on time (unit UC-1); SEP: one over-paid contract of a
    natural person."""
    today = timezone.localdate()
    unit = make_unit(imss, key="UC-1")
    with django_capture_on_commit_callbacks(execute=True):
        late = publish_contract(
            imss, 1, {"milestones": [milestone(1, day(-20, today))], "transactions": []}
        )
        calm = publish_contract(
            imss,
            2,
            {"milestones": [milestone(1, day(-60, today), day(-61, today))], "transactions": []},
            unit=unit,
            contract_extra={"period": {"startDate": day(-90, today), "endDate": day(30, today)}},
        )
        over = publish_contract(
            sep,
            1,
            {
                "milestones": [milestone(1, day(-5, today), day(-5, today))],
                "transactions": [payment(1, day(-4, today), 1_200_000)],
            },
            supplier=persona_fisica(),
        )
    return {"late": late, "calm": calm, "over": over}


def staff_token(user, scope="alertas") -> str:
    """A token issued to a person, as the authorization-code grant leaves it."""
    application = make_client(
        f"app-{user.username}",
        grant=OAuthClient.GRANT_AUTHORIZATION_CODE,
        scopes="read alertas",
        pdn=False,
        redirect_uris="https://app.example.org/vuelta",
    )
    return AccessToken.objects.create(
        user=user,
        application=application,
        token=f"token-de-{user.username}",
        scope=scope,
        expires=timezone.now() + timedelta(hours=1),
    ).token


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


def get(client, token=None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(URL, params, **headers)


def ocids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["ocid"] for row in response.json()["results"]}


# --- permission matrix ---------------------------------------------------------------------------


def test_anonymous_sees_every_published_contract_without_a_persons_rfc(client, planted):
    response = get(client)
    assert ocids(response) == set(planted.values())
    rows = {row["ocid"]: row for row in response.json()["results"]}
    assert rows[planted["over"]]["supplierRfc"] == ""  # persona física: personal data
    assert rows[planted["late"]]["supplierRfc"] == "MME920427EM3"  # a company's RFC is public
    assert rows[planted["late"]]["status"] == "atrasado"
    assert rows[planted["late"]]["daysOverdue"] == 20
    assert rows[planted["over"]]["findings"] == ["sobrepagado"]


@pytest.mark.parametrize("role", [Role.OIC, Role.CAPTURISTA, Role.APROBADOR])
def test_a_staff_token_sees_its_entitys_full_view_only(client, planted, imss, role):
    token = staff_token(make_member(role, imss))
    assert ocids(get(client, token)) == {planted["late"], planted["calm"]}


def test_a_staff_token_of_the_other_entity_sees_the_persons_rfc(client, planted, sep):
    rows = get(client, staff_token(make_member(Role.OIC, sep))).json()["results"]
    assert [row["supplierRfc"] for row in rows] == ["PELJ800101AB1"]


def test_a_user_without_memberships_sees_nothing(client, planted, django_user_model):
    user = django_user_model.objects.create_user("sinrol", password="x-123456789")
    assert ocids(get(client, staff_token(user))) == set()


def test_an_entity_client_sees_its_entity_and_a_national_client_everything(client, planted, sep):
    assert ocids(get(client, machine_token(client, sep))) == {planted["over"]}
    assert ocids(get(client, machine_token(client))) == set(planted.values())


def test_a_read_token_gets_the_published_view_only(client, planted, imss):
    """``read`` is «leer datos publicados»: the full view needs the scope ``alertas``."""
    rows = get(client, staff_token(make_member(Role.OIC, imss), scope="read")).json()["results"]
    assert {row["ocid"] for row in rows} == set(planted.values())
    assert {row["ocid"]: row["supplierRfc"] for row in rows}[planted["over"]] == ""
    machine = machine_token(client, imss, scopes="read")
    assert ocids(get(client, machine)) == set(planted.values())


def test_a_token_without_read_or_alertas_is_refused(client, planted, imss):
    token = staff_token(make_member(Role.OIC, imss), scope="s6")
    response = get(client, token)
    assert response.status_code == 403
    assert response.json()["code"] == "sin_permiso"


def test_an_invalid_token_is_refused_in_json(client, planted):
    response = get(client, "no-existe")
    assert response.status_code == 401
    assert response.json()["code"] == "no_autenticado"


# --- filters, paging, errors ---------------------------------------------------------------------


def test_filters(client, planted):
    assert ocids(get(client, ente="SEP")) == {planted["over"]}
    assert ocids(get(client, estado="atrasado")) == {planted["late"]}
    assert ocids(get(client, estado="en_tiempo")) == {planted["calm"]}
    assert ocids(get(client, proveedor="pelj800101ab1")) == {planted["over"]}
    assert ocids(get(client, proveedor="Medicamentos")) == {planted["late"], planted["calm"]}
    assert ocids(get(client, unidad="UC-1")) == {planted["calm"]}


def test_paging(client, planted):
    body = get(client, pageSize=2, page=2).json()
    assert body["pagination"] == {"pageSize": 2, "page": 2, "totalRows": 3, "hasNextPage": False}
    assert len(body["results"]) == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"estado": "tarde"}, "tarde"),
        ({"ente": "NOEXISTE"}, "No existe el ente público NOEXISTE."),
        ({"pais": "MX"}, "Parámetro desconocido: pais."),
        ({"pageSize": "500"}, "pageSize debe ser un entero positivo (1 a 200)."),
    ],
)
def test_errors_are_json_in_spanish(client, planted, params, message):
    response = get(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "solicitud_invalida" and message in body["message"]


def test_in_the_openapi_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    operation = response.json()["paths"][URL]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"ente", "estado", "proveedor", "unidad", "page", "pageSize"} <= names


# --- /api/seguimiento/entes/: the portfolio of each entity ---------------------------------------

ENTITIES_URL = "/api/seguimiento/entes/"


def entities(client, token=None, **params) -> dict:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    response = client.get(ENTITIES_URL, params, **headers)
    assert response.status_code == 200, response.content
    return {row["entity"]: row for row in response.json()["results"]}


def test_entity_aggregates_for_anyone(client, planted, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        rows = entities(client)
    assert set(rows) == {"IMSS", "SEP"}
    imss = rows["IMSS"]
    assert imss["contracts"] == 2
    assert imss["byStatus"]["atrasado"] == 1 and imss["byStatus"]["en_tiempo"] == 1
    assert sum(imss["byStatus"].values()) == 2
    assert imss["findings"]["overdue"] == 1 and imss["findings"]["overpaid"] == 0
    assert imss["maxDaysOverdue"] == 20
    assert imss["amounts"] == [
        {
            "currency": "MXN",
            "contracts": 2,
            "amount": 2_000_000.0,
            "paid": 0.0,
            "penalties": 0.0,
            "overdueAmount": 1_000_000.0,
        }
    ]
    sep = rows["SEP"]
    assert sep["byStatus"]["sobrepagado"] == 1 and sep["findings"]["overpaid"] == 1
    assert sep["amounts"][0]["paid"] == 1_200_000.0


def test_entity_aggregates_filter_page_and_scope(client, planted, sep, imss):
    assert set(entities(client, ente="SEP")) == {"SEP"}
    body = client.get(ENTITIES_URL, {"pageSize": 1, "page": 2}).json()
    assert body["pagination"] == {"pageSize": 1, "page": 2, "totalRows": 2, "hasNextPage": False}
    assert [row["entity"] for row in body["results"]] == ["SEP"]
    assert set(entities(client, machine_token(client, sep))) == {"SEP"}
    assert set(entities(client, staff_token(make_member(Role.OIC, imss), scope="read"))) == {
        "IMSS",
        "SEP",
    }


@pytest.mark.parametrize(
    ("params", "code"),
    [({"estado": "atrasado"}, 400), ({"ente": "NOEXISTE"}, 400), ({"page": "0"}, 400)],
)
def test_entity_aggregates_errors(client, planted, params, code):
    response = client.get(ENTITIES_URL, params)
    assert response.status_code == code
    assert response.json()["code"] == "solicitud_invalida"


def test_entity_aggregates_refuse_bad_tokens(client, planted, imss):
    assert client.get(ENTITIES_URL, HTTP_AUTHORIZATION="Bearer no-existe").status_code == 401
    token = staff_token(make_member(Role.OIC, imss), scope="s6")
    assert client.get(ENTITIES_URL, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403


def test_entity_aggregates_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"][ENTITIES_URL]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"ente", "page", "pageSize"}
    assert "alertas" in operation["description"]
