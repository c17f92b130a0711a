"""Every export endpoint is documented in /api/schema/ and shown by /api/docs/."""

import pytest

pytestmark = pytest.mark.django_db

EXPORT_OPERATIONS = {
    ("/api/s6/contrataciones-abiertas", "post"),
    ("/api/s6/v1/records", "post"),
    ("/api/ocds/releases/", "get"),
    ("/api/ocds/releases/{ocid}/{release_id}/", "get"),
    ("/api/ocds/release-package/", "get"),
    ("/api/ocds/records/", "get"),
    ("/api/ocds/records/{ocid}/", "get"),
    ("/api/ocds/bulk/", "get"),
    ("/api/ocds/bulk/{name}", "get"),
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_every_export_operation_has_a_spanish_summary_and_description(schema):
    documented = {
        (path, method)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post"}
    }
    assert documented >= EXPORT_OPERATIONS
    for path, method in EXPORT_OPERATIONS:
        operation = schema["paths"][path][method]
        assert operation["summary"] and len(operation["description"]) > 40, path


def resolved(schema, node: dict) -> dict:
    """``node`` with a ``$ref`` (or a one-element ``allOf`` of one) replaced by its component."""
    if len(node.get("allOf", [])) == 1:
        node = node["allOf"][0]
    if "$ref" in node:
        return schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def request_body(schema, path: str) -> dict:
    body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    return resolved(schema, body)


def test_s6_request_fields_are_documented_and_secured_with_scope_s6(schema):
    operation = schema["paths"]["/api/s6/contrataciones-abiertas"]["post"]
    request = request_body(schema, "/api/s6/contrataciones-abiertas")
    query = resolved(schema, request["properties"]["query"])["properties"]

    assert request["properties"]["pageSize"]["maximum"] == 200
    assert set(query) == {
        "ocid",
        "title",
        "buyerName",
        "procurementMethod",
        "awardStatus",
        "supplierName",
        "tenderStartDate",
        "tenderEndDate",
        "itemDescription",
        "numberOfTenderers",
    }
    assert all(field.get("description") for field in query.values())
    assert {"oauth2": ["s6"]} in operation["security"]
    assert {"400", "401", "403", "413", "429"} <= set(operation["responses"])


def test_s6_request_bodies_are_documented_from_the_schemas_that_validate_them(schema):
    from integraciones.s6_request import RECORDS_SCHEMA, contrataciones_validator

    assert request_body(schema, "/api/s6/contrataciones-abiertas") == (
        contrataciones_validator().schema
    )
    assert request_body(schema, "/api/s6/v1/records") == RECORDS_SCHEMA


def test_s6_records_filters_are_described(schema):
    query = request_body(schema, "/api/s6/v1/records")["properties"]["query"]["properties"]

    assert set(query) == {"ocid", "awards", "buyer", "contracts", "tender", "parties"}
    assert all(field.get("description") for field in query.values())
    period = query["tender"]["properties"]["tenderPeriod"]["properties"]
    assert period["startDate"]["description"] and period["endDate"]["description"]


def test_password_flow_points_at_our_token_endpoint(schema):
    flows = schema["components"]["securitySchemes"]["oauth2"]["flows"]

    assert flows["password"]["tokenUrl"] == "/oauth/token/"
    assert "s6" in flows["password"]["scopes"]


def test_ocds_list_parameters_are_documented(schema):
    parameters = schema["paths"]["/api/ocds/releases/"]["get"]["parameters"]

    names = {parameter["name"] for parameter in parameters}
    assert {"ocid", "entity", "procurementMethod", "tag", "dateFrom", "dateTo", "since"} <= names
    assert {"cursor", "limit"} <= names
    assert all(parameter.get("description") for parameter in parameters)


def test_interactive_docs_page_loads(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert "swagger-ui" in response.content.decode()
