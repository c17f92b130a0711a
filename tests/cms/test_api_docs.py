"""The OpenAPI schema and the interactive docs are served, self-hosted."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_documents_project_endpoints_only(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/yo/" in paths
    assert not [p for p in paths if p.startswith("/api/v2/") or p.startswith("/admin/")]


def test_interactive_docs_use_no_cdn(client):
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html
