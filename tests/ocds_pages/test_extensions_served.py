"""Every extension our packages declare resolves, with its schemas and codelists, from what this
site serves, and OCP's tools accept them offline (issue 22, item 5)."""

import orjson
import pytest

from ocds_pages.packages import iter_release_package, package_metadata
from ocds_pages.schema import EDCA_MX_EXTENSIONS
from tests.ocds_pages.factories import make_entity, make_tender_release, own_ocid
from tests.ocds_pages.ocp import lib_cove_ocds

pytestmark = pytest.mark.django_db


def get(client, url, settings):
    return client.get(url.removeprefix(settings.SITE_URL))


def test_every_declared_file_of_every_extension_is_served(client, settings):
    settings.SITE_URL = "https://compras.example.gob.mx"
    extensions = package_metadata(uri="https://compras.example.gob.mx/p.json")["extensions"]
    assert len(extensions) == len(EDCA_MX_EXTENSIONS) + 1
    served = 0
    for url in extensions:
        assert url.startswith(settings.SITE_URL)
        metadata = get(client, url, settings)
        assert metadata.status_code == 200, url
        assert metadata["Access-Control-Allow-Origin"] == "*"
        base = url.removesuffix("extension.json")
        declared = [*metadata.json().get("schemas", [])]
        declared += [f"codelists/{name}" for name in metadata.json().get("codelists", [])]
        for name in declared:
            assert not name.startswith("http"), "schemas and codelists are file names"
            answer = get(client, base + name, settings)
            assert answer.status_code == 200, base + name
            served += 1
    assert served == 8 + 9  # one schema per extension, plus the 9 codelists they declare
    bid_status = client.get("/ocds/extension/codelists/bidStatus.csv")
    assert bid_status["Content-Type"].startswith("text/csv")
    assert b"disqualified,Desechada" in bid_status.content


def test_files_an_extension_does_not_declare_are_not_served(client):
    assert client.get("/ocds/extension/codelists/otra.csv").status_code == 404
    assert client.get("/ocds/extensiones/guarantees/README.md").status_code == 404
    assert client.get("/ocds/extensiones/desconocida/extension.json").status_code == 404


def test_ocp_validator_resolves_every_extension_offline(settings):
    entity = make_entity()
    release = make_tender_release(ocid=own_ocid(entity), entity=entity)
    body = b"".join(
        iter_release_package(releases=[orjson.dumps(release)], uri=f"{settings.SITE_URL}/p.json")
    )
    report = lib_cove_ocds(orjson.loads(body))
    extensions = report["extensions"]
    assert extensions["invalid_extension"] == {} and extensions["is_extended_schema"]
    assert [item["failed_codelists"] for item in extensions["extensions"]] == [{}] * 8
    assert report["validation_errors"] == []
    assert not report.get("additional_closed_codelist_values")
