"""Wagtail's content API (headless) is public and read-only."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_api_is_public(client):
    response = client.get("/api/v2/pages/")
    assert response.status_code == 200
    titles = [item["title"] for item in response.json()["items"]]
    assert "Compra Íntegra" in titles


def test_pages_api_refuses_writes(client):
    assert client.post("/api/v2/pages/", {}).status_code == 405
