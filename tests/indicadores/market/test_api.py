"""The market API: prices and candidate suppliers, public part and staff screening."""

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from cms.models import OAuthClient
from cms.roles import Role
from tests.factories import make_client, make_member
from tests.indicadores.builders import s3_sanction
from tests.indicadores.market.helpers import CUCOP, SUPPLIER_B, publish_priced
from tests.ocds_pages.factories import make_entity

pytestmark = pytest.mark.django_db

PRICES = "/api/mercado/precios/"
SUPPLIERS = "/api/mercado/proveedores/"


@pytest.fixture
def basket():
    entity = make_entity()
    for price in (10, 12, 13, 14, 15, 16, 100):
        publish_priced(entity, price)
    publish_priced(entity, 11, supplier=SUPPLIER_B)
    return entity


def staff_token(user) -> str:
    application = make_client(
        f"app-{user.username}",
        grant=OAuthClient.GRANT_AUTHORIZATION_CODE,
        scopes="read",
        pdn=False,
        redirect_uris="https://app.example.org/vuelta",
    )
    token = AccessToken.objects.create(
        user=user,
        application=application,
        token=f"token-de-{user.username}",
        scope="read",
        expires=timezone.now() + timedelta(hours=1),
    )
    return token.token


def test_prices_anonymous_statistics_and_rows_with_their_source(client, basket):
    body = client.get(PRICES, {"clasificacion": CUCOP, "unidad": "caja"}).json()
    stats = body["statistics"]
    # 10 11 12 13 14 15 16 100 (n = 8): Q1 at 1.75 → 11.75, median 13.5, Q3 at 5.25 → 15.25;
    # IQR 3.5, fences 6.5 and 20.5; inside: 10…16, mean 91 / 7 = 13.
    assert stats["count"] == 8
    assert (stats["p25"], stats["median"], stats["p75"]) == (11.75, 13.5, 15.25)
    assert (stats["lower_fence"], stats["upper_fence"]) == (6.5, 20.5)
    assert stats["outliers"] == 1 and stats["trimmed_mean"] == 13.0
    assert body["rowsTotal"] == 8
    outlier = next(row for row in body["rows"] if row["outlier"])
    assert outlier["unitPrice"] == 100.0
    assert {row["sourceName"] for row in body["rows"]} == {"Esta instalación"}
    assert body["inflation"]["requested"] is False


def test_prices_filters_year_state_and_quantity(client, basket):
    assert client.get(PRICES, {"clasificacion": CUCOP, "anio": 2024}).json()["rowsTotal"] == 0
    body = client.get(PRICES, {"clasificacion": CUCOP, "cantidad_min": 1000}).json()
    assert body["rowsTotal"] == 0 and body["statistics"]["sufficient"] is False
    assert "al menos 5" in body["statistics"]["message"]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({}, "clasificacion, familia o texto"),
        ({"clasificacion": CUCOP, "color": "rojo"}, "Parámetro desconocido"),
        ({"clasificacion": CUCOP, "cantidad_min": "mucho"}, "cantidad_min"),
        ({"clasificacion": CUCOP, "anio": "99999"}, "anio"),
        ({"clasificacion": CUCOP, "fuente": "otra"}, "fuente"),
        ({"texto": "papel " * 50}, "texto admite hasta 200 caracteres"),
    ],
)
def test_bad_parameters_are_json_errors(client, params, fragment):
    response = client.get(PRICES, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "solicitud_invalida" and fragment in body["message"]


def test_suppliers_anonymous_get_no_screening(client, basket):
    s3_sanction(name=SUPPLIER_B[2], rfc=SUPPLIER_B[1])
    body = client.get(SUPPLIERS, {"clasificacion": CUCOP}).json()
    assert body["screeningIncluded"] is False
    first, second = body["results"]
    assert (first["supplier"]["rfc"], first["contracts"]) == ("MME920427EM3", 7)
    assert second["supplier"]["rfc"] == "FAR010101AB2"
    assert "screening" not in first
    assert first["score"] > second["score"]
    assert set(first["scoreParts"]) == {"contracts", "amount", "buyers", "price"}


def test_suppliers_staff_token_gets_screening_with_evidence(client, basket):
    s3_sanction(name=SUPPLIER_B[2], rfc=SUPPLIER_B[1])
    user = make_member(Role.CAPTURISTA, basket)
    headers = {"Authorization": f"Bearer {staff_token(user)}"}
    body = client.get(SUPPLIERS, {"clasificacion": CUCOP}, headers=headers).json()
    assert body["screeningIncluded"] is True
    # The screening never moves a supplier: the same order and scores as without it.
    public = client.get(SUPPLIERS, {"clasificacion": CUCOP}).json()
    ranked = [(row["supplier"]["rfc"], row["score"]) for row in body["results"]]
    assert ranked == [(row["supplier"]["rfc"], row["score"]) for row in public["results"]]
    by_rfc = {row["supplier"]["rfc"]: row for row in body["results"]}
    flagged = by_rfc["FAR010101AB2"]["screening"]
    assert flagged["flagged"] is True
    finding = flagged["findings"][0]
    assert finding["code"] == "S3" and finding["severity"] == "high"
    assert finding["evidence"]["match_kind"] and finding["evidence"]["file_number"]
    assert by_rfc["MME920427EM3"]["screening"]["flagged"] is False


def test_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (PRICES, SUPPLIERS):
        names = {param["name"] for param in paths[path]["get"]["parameters"]}
        assert {"clasificacion", "unidad", "anio", "estado", "cantidad_min"} <= names
