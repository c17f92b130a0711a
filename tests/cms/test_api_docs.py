"""The OpenAPI schema and the interactive docs are served, self-hosted."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_documents_project_endpoints_only(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/yo/" in paths
    assert not [p for p in paths if p.startswith("/api/v2/") or p.startswith("/admin/")]


def test_openapi_schema_is_served_as_yaml_by_default(client):
    """What a browser or curl gets without an Accept header: the YAML document. A dict key that
    is not a plain string (an enum member) breaks only this rendering, not the JSON one."""
    import yaml

    response = client.get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert "/api/seguimiento/entes/" in document["paths"]
    by_status = document["components"]["schemas"]["ByStatus"]["properties"]
    assert "atrasado" in by_status


def test_interactive_docs_use_no_cdn(client):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html


def test_list_filters_are_documented_from_their_filtersets(client):
    from ocds_pages.api_params import RecordFilters, ReleaseFilters

    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]

    def names(path):
        return {param["name"] for param in paths[path]["get"]["parameters"]}

    assert names("/api/ocds/releases/") == set(ReleaseFilters.base_filters) | {"cursor", "limit"}
    assert names("/api/ocds/records/") == set(RecordFilters.base_filters) | {"cursor", "limit"}
    assert names("/api/ocds/release-package/") == set(ReleaseFilters.base_filters)
    tag = next(p for p in paths["/api/ocds/releases/"]["get"]["parameters"] if p["name"] == "tag")
    assert tag["description"] == ReleaseFilters.base_filters["tag"].extra["help_text"]
