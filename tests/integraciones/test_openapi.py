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


def test_s6_request_fields_are_documented_and_secured_with_scope_s6(schema):
    operation = schema["paths"]["/api/s6/contrataciones-abiertas"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request = schema["components"]["schemas"][body.rsplit("/", 1)[-1]]
    query_ref = request["properties"]["query"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    query = schema["components"]["schemas"][query_ref]["properties"]

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
