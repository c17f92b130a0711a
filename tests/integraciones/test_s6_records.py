"""PDN Sistema 6, 2025 variant: ``POST /api/s6/v1/records`` with a nested OCDS-shaped query."""

import orjson
import pytest

from ocds_pages.publication import publish_release
from tests.integraciones.pdn_client import pdn_token
from tests.ocds_pages.factories import make_contract_release, make_entity
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db

URL = "/api/s6/v1/records"


@pytest.fixture
def token(pdn):
    return pdn_token(pdn)


@pytest.fixture
def imss():
    return make_entity()


def search(client, token, body):
    return client.post(
        URL,
        orjson.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def ocids(client, token, query) -> list[str]:
    response = search(client, token, {"query": query})
    assert response.status_code == 200, response.content
    return sorted(record["ocid"] for record in response.json()["results"])


def test_results_are_records_with_releases_and_compiled_release(client, token, imss):
    ocid = publish_process(imss)

    body = search(client, token, {}).json()

    assert body["pagination"] == {"pageSize": 10, "page": 1, "totalRows": 1, "hasNextPage": False}
    [record] = body["results"]
    assert record["ocid"] == ocid
    assert [release["id"] for release in record["releases"]] == [f"{ocid}-0001", f"{ocid}-0002"]
    assert record["compiledRelease"]["tag"] == ["compiled"]


def test_projection_filters(client, token, imss):
    open_ = publish_process(
        imss, title="Compra de vacunas", method="open", item_description="Vacuna"
    )
    direct = publish_process(
        imss, title="Renta de oficinas", method="direct", supplier_name="Inmobiliaria Núñez"
    )

    assert ocids(client, token, {"ocid": direct}) == [direct]
    assert ocids(client, token, {"buyer": {"name": "SEGURO social"}}) == sorted([open_, direct])
    assert ocids(client, token, {"tender": {"title": "vacunas"}}) == [open_]
    assert ocids(client, token, {"tender": {"procurementMethod": "direct"}}) == [direct]
    assert ocids(client, token, {"tender": {"procurementMethod": ["open", "direct"]}}) == sorted(
        [open_, direct]
    )
    assert ocids(client, token, {"awards": {"suppliers": {"name": "nunez"}}}) == [direct]
    assert ocids(client, token, {"awards": {"items": {"description": "vacuna"}}}) == [open_]
    assert ocids(client, token, {"tender": {"items": {"description": "paracetamol"}}}) == sorted(
        [open_, direct]
    )


def test_tender_period_bounds(client, token, imss):
    early = publish_process(
        imss, start="2025-01-10T09:00:00-06:00", end="2025-01-20T09:00:00-06:00"
    )
    publish_process(imss, start="2025-06-01T09:00:00-06:00", end="2025-06-20T09:00:00-06:00")

    period = {"startDate": "2025-01-01T00:00:00Z", "endDate": "2025-02-01T00:00:00Z"}
    assert ocids(client, token, {"tender": {"tenderPeriod": period}}) == [early]


def test_award_title_and_status_are_matched_in_the_compiled_json(client, token, imss):
    pending = publish_process(imss, award_status="pending")
    active = publish_process(imss, award_status="active")

    assert ocids(client, token, {"awards": {"status": "pending"}}) == [pending]
    assert ocids(client, token, {"awards": {"status": ["pending", "active"]}}) == sorted(
        [pending, active]
    )
    assert ocids(client, token, {"awards": {"title": "FALLO de la licitacion"}}) == sorted(
        [pending, active]
    )
    assert ocids(client, token, {"awards": {"title": "no existe", "status": "pending"}}) == []


def test_contract_title_and_parties(client, token, imss):
    contracted = publish_process(imss)
    publish_release(release=make_contract_release(ocid=contracted, entity=imss), entity=imss)
    publish_process(imss, awarded=False)

    assert ocids(client, token, {"contracts": {"title": "suministro de MEDICAMENTOS"}}) == [
        contracted
    ]
    assert ocids(
        client, token, {"parties": {"name": "medicamentos mexicanos", "roles": "supplier"}}
    ) == [contracted]
    # name and role must hold for the same party: the buyer is not a supplier.
    assert ocids(client, token, {"parties": {"name": "seguro social", "roles": ["supplier"]}}) == []
    assert len(ocids(client, token, {"parties": {"roles": ["buyer"]}})) == 2


def test_pagination_and_totals(client, token, imss):
    for _ in range(3):
        publish_process(imss)

    last = search(client, token, {"page": 2, "pageSize": 2}).json()

    assert last["pagination"] == {"pageSize": 2, "page": 2, "totalRows": 3, "hasNextPage": False}
    assert len(last["results"]) == 1


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"page": 0}, "Página inválida"),
        ({"pageSize": 201}, "pageSize"),
        ({"query": {"tender": {"procurementMethod": "abierto"}}}, "query/tender/procurementMethod"),
        ({"query": {"awards": {"status": ["ganada"]}}}, "query/awards/status"),
        ({"query": {"tender": {"tenderPeriod": {"startDate": "ayer"}}}}, "RFC 3339"),
        ({"query": {"buyer": {"nombre": "x"}}}, "Campo desconocido en query/buyer: nombre"),
        ({"sort": {"title": "asc"}}, "Campo desconocido"),
    ],
)
def test_invalid_bodies_are_400(client, token, body, fragment):
    response = search(client, token, body)

    assert response.status_code == 400
    assert fragment in response.json()["message"]


def test_requires_the_s6_scope(client, pdn):
    assert client.post(URL, b"{}", content_type="application/json").status_code == 401
    read_only = pdn_token(pdn, scope="read")
    assert search(client, read_only, {}).status_code == 403
