"""Package metadata a consumer can trust (issue 22, item 6): a publisher scheme only with its uid,
no member the 1.1.5 package schemas do not define, and every URL from the configured site URL."""

import orjson
import pytest

from ocds_pages.packages import iter_release_package
from ocds_pages.publication import publish_release
from tests.ocds_pages.factories import make_entity, make_tender_release, own_ocid

pytestmark = pytest.mark.django_db


def package() -> dict:
    return orjson.loads(b"".join(iter_release_package(releases=[], uri="https://x.example/p")))


def test_a_publisher_scheme_comes_only_with_its_uid(settings):
    settings.OCDS_PUBLISHER = {"name": "Compra Íntegra", "scheme": "MX-RFC", "uid": ""}
    assert package()["publisher"] == {"name": "Compra Íntegra", "uri": settings.SITE_URL}
    settings.OCDS_PUBLISHER = {"name": "Compra Íntegra", "scheme": "MX-RFC", "uid": "SAB230101AB1"}
    assert package()["publisher"]["scheme"] == "MX-RFC"


def test_api_packages_take_every_url_from_the_site_url_whatever_host_was_asked(client, settings):
    # In production every absolute link starts with SITE_URL (cms/links.py), as do the extensions.
    settings.PRODUCTION = True
    settings.SITE_URL = "https://compras.example.gob.mx"
    settings.ALLOWED_HOSTS = ["*"]
    settings.OCDS_API_WATERMARK_SECONDS = 0
    entity = make_entity()
    for serial in (1, 2):
        publish_release(
            release=make_tender_release(ocid=own_ocid(entity, serial), entity=entity),
            entity=entity,
        )
    response = client.get("/api/ocds/releases/?limit=1", HTTP_HOST="interno:8000")
    body = response.json()
    assert body["uri"] == "https://compras.example.gob.mx/api/ocds/releases/?limit=1"
    assert all(url.startswith(settings.SITE_URL) for url in body["extensions"])
    assert response["Link"].startswith("<https://compras.example.gob.mx/api/ocds/releases/?")
    assert set(body) == {
        "uri",
        "version",
        "publishedDate",
        "publisher",
        "license",
        "publicationPolicy",
        "extensions",
        "releases",
    }
