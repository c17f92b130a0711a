"""PDN Sistema 6: ``POST /api/s6/contrataciones-abiertas``, replayed as the PDN's client does it."""

import copy
import gzip
from pathlib import Path

import orjson
import pytest
from django.db import connection
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from ocds_pages.extension import patched_release_schema
from ocds_pages.models import Record
from tests.integraciones.pdn_client import pdn_token
from tests.ocds_pages.factories import make_entity
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db

URL = "/api/s6/contrataciones-abiertas"
SPEC = orjson.loads(
    (Path(__file__).parent / "specs" / "s6-contrataciones-openapi.json").read_bytes()
)
RELEASE_SCHEMA_URL = SPEC["paths"]["/contrataciones-abiertas"]["post"]["responses"]["200"][
    "content"
]["application/json"]["schema"]["allOf"][1]["properties"]["results"]["items"]["$ref"]


def response_validator() -> Draft7Validator:
    """The spec's 200 schema; its $ref to the OCDS release schema resolves to the bundled copy
    (with our extensions), so the test never reaches the network."""
    schema = copy.deepcopy(SPEC["paths"]["/contrataciones-abiertas"]["post"]["responses"]["200"])
    schema = schema["content"]["application/json"]["schema"]
    schema["components"] = SPEC["components"]
    schema["allOf"][0] = {"$ref": "#/components/schemas/paginatedResult"}
    registry = Registry().with_resource(
        RELEASE_SCHEMA_URL,
        Resource.from_contents(patched_release_schema(), default_specification=DRAFT7),
    )
    return Draft7Validator(schema, registry=registry)


@pytest.fixture
def token(pdn):
    return pdn_token(pdn)


def search(client, token, body, **extra):
    data = body if isinstance(body, bytes | str) else orjson.dumps(body)
    return client.post(
        URL, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}", **extra
    )


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ocids(response) -> list[str]:
    return [release["ocid"] for release in results(response)]


@pytest.fixture
def imss():
    return make_entity()


@pytest.fixture
def sep():
    return make_entity(key="SEP", name="Secretaría de Educación Pública", rfc="SEP210905778")


# --- the PDN's client, end to end ----------------------------------------------------------------


def test_pdn_client_replay_token_then_search_validates_against_the_spec(pdn, imss):
    publish_process(imss)
    publish_process(imss, title="Servicio de limpieza", method="direct")

    token = pdn_token(pdn)
    response = pdn.post(
        URL,
        orjson.dumps({"page": 1, "pageSize": 10}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(response_validator().iter_errors(body)) == []
    assert body["pagination"] == {"pageSize": 10, "page": 1, "totalRows": 2, "hasNextPage": False}
    assert body["totalRows"] == 2  # the spec also requires the fields at the top level
    assert body["results"][0]["tag"] == ["compiled"]
    assert body["results"][0]["awards"][0]["status"] == "active"


def test_results_are_the_stored_compiled_release_bytes(token, client, imss):
    ocid = publish_process(imss)

    response = search(client, token, {})

    stored = Record.objects.get(ocid=ocid).compiled_release.encode()
    assert response.content.endswith(b',"results":[' + stored + b"]}")


def test_response_is_gzipped_when_the_client_accepts_it(token, client, imss):
    publish_process(imss)

    response = search(client, token, {}, HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert orjson.loads(gzip.decompress(response.content))["pagination"]["totalRows"] == 1


# --- authentication and errors -------------------------------------------------------------------


def test_without_token_is_401_with_code_and_message(client):
    response = client.post(URL, {}, content_type="application/json")

    assert response.status_code == 401
    assert response.json()["code"] == "no_autenticado"
    assert response.json()["message"].startswith("No tienes permisos")


def test_invalid_token_is_401(client):
    response = search(client, "no-es-un-token", {})

    assert response.status_code == 401
    assert set(response.json()) == {"code", "message"}


def test_token_without_s6_scope_is_403(pdn):
    token = pdn_token(pdn, scope="read")

    response = search(pdn, token, {})

    assert response.status_code == 403
    assert response.json()["code"] == "sin_permiso"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"page": 0}, "Página inválida"),
        ({"page": -3}, "Página inválida"),
        ({"page": "2"}, "Página inválida"),
        ({"pageSize": 201}, "pageSize"),
        ({"pageSize": 0}, "pageSize"),
        ({"pageSize": 2.5}, "pageSize"),
        ({"sort": {"date": "asc"}}, "Campo desconocido en sort: date"),
        ({"sort": {"title": "up"}}, "Valor no admitido en sort/title"),
        ({"query": {"procurementMethod": ["abierta"]}}, "Valor no admitido"),
        ({"query": {"awardStatus": "active"}}, "debe ser de tipo arreglo"),
        ({"query": {"tenderStartDate": "2025-13-01"}}, "RFC 3339"),
        ({"query": {"numberOfTenderers": "tres"}}, "entero"),
        ({"query": {"supplier": "x"}}, "Campo desconocido en query: supplier"),
        ({"query": {"procurementMethod": ["open", "open"]}}, "repetidos"),
        ({"pagina": 1}, "Campo desconocido"),
        (
            {
                "query": {
                    "tenderStartDate": "2025-03-01T00:00:00Z",
                    "tenderEndDate": "2025-01-01T00:00:00Z",
                }
            },
            "posterior",
        ),
    ],
)
def test_invalid_bodies_are_400_with_a_spanish_message(token, client, body, fragment):
    response = search(client, token, body)

    assert response.status_code == 400
    assert response.json()["code"] == "solicitud_invalida"
    assert fragment in response.json()["message"]


@pytest.mark.parametrize("raw", [b"{page: 1}", b"[1, 2]", b"\xff\xfe", b'"texto"'])
def test_non_json_or_non_object_body_is_400(token, client, raw):
    response = search(client, token, raw)

    assert response.status_code == 400
    assert "JSON" in response.json()["message"]


def test_body_over_the_limit_is_413(token, client, settings):
    settings.S6_MAX_BODY_BYTES = 100

    response = search(client, token, {"query": {"title": "x" * 200}})

    assert response.status_code == 413
    assert response.json()["code"] == "solicitud_muy_grande"


def test_get_is_405_json(token, client):
    response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 405
    assert response.json()["code"] == "metodo_no_permitido"


def test_throttle_per_client_is_429_with_retry_after(token, client, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], client="2/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    statuses = [search(client, token, {}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    refused = search(client, token, {})
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "demasiadas_solicitudes"


# --- pagination ---------------------------------------------------------------------------------


def test_defaults_are_page_1_and_10_rows(token, client, imss):
    for _ in range(12):
        publish_process(imss)

    body = search(client, token, {}).json()

    assert body["pagination"] == {"pageSize": 10, "page": 1, "totalRows": 12, "hasNextPage": True}
    assert len(body["results"]) == 10


def test_pages_cover_every_process_once_and_the_last_has_no_next(token, client, imss):
    published = {publish_process(imss) for _ in range(5)}

    pages = [search(client, token, {"page": n, "pageSize": 2}).json() for n in (1, 2, 3, 4)]

    seen = [release["ocid"] for page in pages for release in page["results"]]
    assert sorted(seen) == sorted(published)
    assert [page["pagination"]["hasNextPage"] for page in pages] == [True, True, False, False]
    assert [len(page["results"]) for page in pages] == [2, 2, 1, 0]
    assert {page["pagination"]["totalRows"] for page in pages} == {5}


def test_exactly_full_last_page_has_no_next(token, client, imss):
    for _ in range(4):
        publish_process(imss)

    body = search(client, token, {"page": 2, "pageSize": 2}).json()

    assert body["pagination"]["hasNextPage"] is False
    assert len(body["results"]) == 2


def test_page_size_200_is_accepted(token, client, imss):
    publish_process(imss)

    body = search(client, token, {"pageSize": 200}).json()

    assert body["pagination"]["pageSize"] == 200


def test_queries_per_page_do_not_grow_with_page_size(
    token, client, imss, settings, django_assert_num_queries
):
    settings.S6_COUNT_CACHE_SECONDS = 0
    for _ in range(6):
        publish_process(imss)
    # Token lookup (1), count (1) and the page (1), whatever the number of releases in it.
    with django_assert_num_queries(3):
        assert len(results(search(client, token, {"pageSize": 2}))) == 2
    with django_assert_num_queries(3):
        assert len(results(search(client, token, {"pageSize": 200, "sort": {"title": "asc"}}))) == 6


def test_next_pages_of_a_query_reuse_its_total(token, client, imss, django_assert_num_queries):
    for _ in range(3):
        publish_process(imss)
    query = {"query": {"buyerName": "seguro"}}
    with django_assert_num_queries(3):
        search(client, token, {**query, "page": 1, "pageSize": 2})
    with django_assert_num_queries(2):  # the count is not repeated for page 2
        body = search(client, token, {**query, "page": 2, "pageSize": 2}).json()
    assert body["pagination"]["totalRows"] == 3


def test_a_publication_renews_every_cached_total(
    token, client, imss, django_capture_on_commit_callbacks
):
    publish_process(imss)
    assert search(client, token, {}).json()["pagination"]["totalRows"] == 1

    # release_published is sent after the commit, as in production.
    with django_capture_on_commit_callbacks(execute=True):
        publish_process(imss)

    assert search(client, token, {}).json()["pagination"]["totalRows"] == 2


# --- filters -------------------------------------------------------------------------------------


def test_title_is_accent_and_case_insensitive_contains(token, client, imss):
    wanted = publish_process(imss, title="Adquisición de EQUIPO médico")
    publish_process(imss, title="Servicio de limpieza")

    assert ocids(search(client, token, {"query": {"title": "adquisicion de equipo MEDICO"}})) == [
        wanted
    ]
    assert ocids(search(client, token, {"query": {"title": "quipo méd"}})) == [wanted]


def test_buyer_name_filter(token, client, imss, sep):
    wanted = publish_process(sep)
    publish_process(imss)

    assert ocids(search(client, token, {"query": {"buyerName": "educacion publica"}})) == [wanted]


def test_supplier_name_filter_accent_insensitive(token, client, imss):
    wanted = publish_process(imss, supplier_name="Distribuidora Peñón, S.A. de C.V.")
    publish_process(imss, supplier_name="Farmacéutica del Norte")

    assert ocids(search(client, token, {"query": {"supplierName": "PENON"}})) == [wanted]


def test_item_description_filter_matches_awarded_items(token, client, imss):
    wanted = publish_process(imss, item_description="Jeringas desechables de 5 ml")
    publish_process(imss, item_description="Guantes de látex")

    assert ocids(search(client, token, {"query": {"itemDescription": "jeringas"}})) == [wanted]
    assert ocids(search(client, token, {"query": {"itemDescription": "latex"}})) != [wanted]


def test_arrays_mean_any_of(token, client, imss):
    open_ = publish_process(imss, method="open")
    direct = publish_process(imss, method="direct")
    publish_process(imss, method="selective")

    found = ocids(search(client, token, {"query": {"procurementMethod": ["open", "direct"]}}))

    assert sorted(found) == sorted([open_, direct])


def test_award_status_any_of(token, client, imss):
    pending = publish_process(imss, award_status="pending")
    publish_process(imss, award_status="active")
    publish_process(imss, awarded=False)

    assert ocids(search(client, token, {"query": {"awardStatus": ["pending", "cancelled"]}})) == [
        pending
    ]


def test_ocid_and_number_of_tenderers(token, client, imss):
    wanted = publish_process(imss, tenderers=7)
    other = publish_process(imss, tenderers=2)

    assert ocids(search(client, token, {"query": {"numberOfTenderers": 7}})) == [wanted]
    assert ocids(search(client, token, {"query": {"ocid": other}})) == [other]
    assert ocids(search(client, token, {"query": {"ocid": other, "numberOfTenderers": 7}})) == []


def test_tender_period_filters(token, client, imss):
    early = publish_process(
        imss, start="2025-01-10T09:00:00-06:00", end="2025-01-20T09:00:00-06:00"
    )
    late = publish_process(imss, start="2025-06-01T09:00:00-06:00", end="2025-06-20T09:00:00-06:00")

    after_may = {"tenderStartDate": "2025-05-01T00:00:00Z"}
    before_feb = {"tenderEndDate": "2025-02-01T00:00:00Z"}
    assert ocids(search(client, token, {"query": after_may})) == [late]
    assert ocids(search(client, token, {"query": before_feb})) == [early]


def test_empty_filter_values_are_ignored(token, client, imss):
    publish_process(imss)
    publish_process(imss, method="direct")
    empty = {
        "ocid": "",
        "title": "  ",
        "buyerName": None,
        "procurementMethod": [],
        "awardStatus": [],
        "supplierName": "",
        "itemDescription": "",
    }

    body = search(client, token, {"query": empty, "sort": {}}).json()

    assert body["pagination"]["totalRows"] == 2


def test_filters_combine_with_and_and_totals_follow(token, client, imss, sep):
    for _ in range(3):
        publish_process(sep, method="open")
    publish_process(sep, method="direct")
    publish_process(imss, method="open")

    body = search(
        client,
        token,
        {"pageSize": 2, "query": {"buyerName": "Secretaría", "procurementMethod": ["open"]}},
    ).json()

    assert body["pagination"] == {"pageSize": 2, "page": 1, "totalRows": 3, "hasNextPage": True}


def test_like_wildcards_in_terms_are_literal(token, client, imss):
    publish_process(imss, title="Compra de papel")

    assert ocids(search(client, token, {"query": {"title": "%"}})) == []
    assert ocids(search(client, token, {"query": {"title": "_"}})) == []


# --- sorting --------------------------------------------------------------------------------------


def _titles(response) -> list[str]:
    return [release["tender"]["title"] for release in results(response)]


def test_sort_by_title_uses_spanish_order(token, client, imss):
    for title in ["Ñandú de peluche", "nopales", "Árboles frutales", "mangueras", "Zapatos", "oro"]:
        publish_process(imss, title=title)

    ascending = _titles(search(client, token, {"sort": {"title": "asc"}}))
    descending = _titles(search(client, token, {"sort": {"title": "desc"}}))

    expected = ["Árboles frutales", "mangueras", "nopales", "Ñandú de peluche", "oro", "Zapatos"]
    assert ascending == expected
    assert descending == list(reversed(expected))


def test_sort_by_buyer_name(token, client, imss, sep):
    publish_process(sep)
    publish_process(imss)
    alphabetical = ["Instituto Mexicano del Seguro Social", "Secretaría de Educación Pública"]

    ascending = search(client, token, {"sort": {"buyerName": "asc"}})
    descending = search(client, token, {"sort": {"buyerName": "desc"}})

    assert [r["buyer"]["name"] for r in results(ascending)] == alphabetical
    assert [r["buyer"]["name"] for r in results(descending)] == alphabetical[::-1]


def test_a_column_filtered_and_sorted_keeps_the_spanish_order(token, client, imss):
    # Filtering the sorted column switches the ORDER BY to an expression no index serves
    # (s6_selectors.ordering): same order, same tie-breaking.
    for title in ["Ñandú de peluche", "nopales de Árbol", "Árboles frutales", "Zapatos de árbol"]:
        publish_process(imss, title=title)

    query = {"title": "arbol"}
    ascending = _titles(search(client, token, {"query": query, "sort": {"title": "asc"}}))
    descending = _titles(search(client, token, {"query": query, "sort": {"title": "desc"}}))

    assert ascending == ["Árboles frutales", "nopales de Árbol", "Zapatos de árbol"]
    assert descending == list(reversed(ascending))


def test_sorted_pages_are_stable_with_equal_keys(token, client, imss):
    published = {publish_process(imss, title="Mismo título") for _ in range(5)}

    pages = [
        ocids(search(client, token, {"page": n, "pageSize": 2, "sort": {"title": "asc"}}))
        for n in (1, 2, 3)
    ]

    assert sorted(sum(pages, [])) == sorted(published)


def test_spanish_collation_is_used_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("ICU collations exist only on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT collname FROM pg_collation WHERE collname = 'es-x-icu'")
        assert cursor.fetchone() == ("es-x-icu",)


def test_the_url_with_a_final_slash_is_served_too(token, client, imss):
    publish_process(imss)

    response = client.post(
        URL + "/", b"{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 200
    assert response.json()["pagination"]["totalRows"] == 1


def test_unknown_s6_path_is_a_json_404(client):
    response = client.post("/api/s6/no-existe", b"{}", content_type="application/json")

    assert response.status_code == 404
    assert response.json()["code"] == "no_encontrado"
