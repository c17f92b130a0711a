import pytest

pytestmark = pytest.mark.django_db


def test_health_reports_database(client):
    response = client.get("/salud/")
    assert response.status_code == 200
    body = response.json()
    assert body["base_de_datos"] == "ok"
    assert body["motor"] in ("sqlite", "postgresql")
    assert "no-cache" in response["Cache-Control"]
