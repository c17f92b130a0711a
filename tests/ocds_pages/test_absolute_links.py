"""Absolute links follow the request in development and SITE_URL in production (issue 16, item 12).

`make run PORT=8300` used to publish links to :8000; cms.links is the one rule for the CSV
«página» column, OCDS package URIs and published documents.
"""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from django.test import RequestFactory

from cms.links import absolute_url, site_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SECOND_SERVER = {"HTTP_HOST": "127.0.0.1:8300"}
PUBLIC_NAME = "https://compras.ejemplo.gob.mx"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_pages(response) -> list[str]:
    text = body(response).decode("utf-8").lstrip("\ufeff")
    return [row["página"] for row in csv.DictReader(io.StringIO(text))]


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True
    settings.SITE_URL = PUBLIC_NAME
    settings.ALLOWED_HOSTS = ["127.0.0.1"]


def test_development_links_follow_the_request():
    request = RequestFactory().get("/procesos/", **SECOND_SERVER)
    assert site_url(request) == "http://127.0.0.1:8300"
    assert absolute_url("/x/", request) == "http://127.0.0.1:8300/x/"


def test_production_links_use_site_url_whatever_the_host(production):
    request = RequestFactory().get("/procesos/", **SECOND_SERVER)
    assert site_url(request) == PUBLIC_NAME


def test_without_a_request_links_use_site_url(settings):
    settings.SITE_URL = "http://127.0.0.1:8300"
    assert absolute_url("/documentos/") == "http://127.0.0.1:8300/documentos/"


def test_csv_page_column_points_to_the_server_that_answered(client, public_dataset):
    pages = csv_pages(client.get("/procesos/descargar/procesos.csv", **SECOND_SERVER))
    assert pages
    assert all(page.startswith("http://127.0.0.1:8300/procesos/ocds-") for page in pages)


def test_csv_page_column_uses_site_url_in_production(client, public_dataset, production):
    pages = csv_pages(client.get("/procesos/descargar/procesos.csv", **SECOND_SERVER))
    assert pages
    assert all(page.startswith(f"{PUBLIC_NAME}/procesos/ocds-") for page in pages)


def test_package_uri_follows_the_request_in_development(client, public_dataset):
    response = client.get(
        "/procesos/descargar/procesos.json", {"procedimiento": "direct"}, **SECOND_SERVER
    )
    uri = orjson.loads(body(response))["uri"]
    assert uri == "http://127.0.0.1:8300/procesos/descargar/procesos.json?procedimiento=direct"


def test_package_uri_uses_site_url_in_production(client, public_dataset, production):
    response = client.get(
        "/procesos/descargar/procesos.json", {"procedimiento": "direct"}, **SECOND_SERVER
    )
    uri = orjson.loads(body(response))["uri"]
    assert uri == f"{PUBLIC_NAME}/procesos/descargar/procesos.json?procedimiento=direct"


def test_development_site_url_defaults_to_the_port_make_run_serves_on():
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "DJANGO_ENV"}}
    env["PORT"] = "8300"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.SITE_URL)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8300", result.stderr
