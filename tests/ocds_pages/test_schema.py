import json

import pytest

from ocds_pages import schema
from ocds_pages.extension import extension_fields_register, patched_release_schema
from ocds_pages.validation import validate_release
from tests.ocds_pages.factories import make_entity, make_tender_release, own_ocid


def test_committed_patched_schema_is_what_the_bundled_files_build():
    assert schema.committed_patched_schema() == schema.build_patched_schema()


def test_patched_schema_carries_every_edca_mx_extension_and_ours():
    definitions = schema.committed_patched_schema()["definitions"]

    assert "budgetBreakdown" in definitions["Planning"]["properties"]
    assert "requestsForQuotes" in definitions["Planning"]["properties"]
    assert "clarificationMeetings" in definitions["Tender"]["properties"]
    assert "guarantees" in definitions["Contract"]["properties"]
    assert "surveillanceMechanisms" in definitions["Contract"]["properties"]
    assert "patronymicName" in definitions["Identifier"]["properties"]
    assert "netAmount" in definitions["Value"]["properties"]
    assert "sha256" in definitions["Document"]["properties"]


def test_package_extension_list_names_the_copies_this_site_serves(settings):
    settings.SITE_URL = "https://compras.example.gob.mx"

    urls = schema.extension_urls()

    assert len(urls) == len(schema.EDCA_MX_EXTENSIONS) + 1
    assert urls[0] == "https://compras.example.gob.mx/ocds/extensiones/budgetLines/extension.json"
    assert urls[-1] == "https://compras.example.gob.mx/ocds/extension/extension.json"
    assert all(url.startswith(settings.SITE_URL) for url in urls)


@pytest.mark.django_db
def test_project_extension_is_served_at_its_stable_urls(client, settings):
    settings.SITE_URL = "https://compras.example.gob.mx"

    metadata = client.get("/ocds/extension/extension.json")
    release_schema = client.get("/ocds/extension/release-schema.json")

    assert metadata.status_code == 200
    assert metadata.json()["schemas"] == ["release-schema.json"]
    assert metadata.json()["codelists"] == ["bidStatus.csv", "penaltyType.csv"]
    assert metadata.json()["name"]["es"] == "Compra Íntegra"
    assert release_schema.json()["definitions"]["Document"]["properties"]["sha256"]["type"] == [
        "string",
        "null",
    ]


@pytest.mark.django_db
def test_a_higher_layer_contributes_a_field_that_is_served_and_validated(client):
    entity = make_entity()
    field = {
        "title": "Partida presupuestal (clave de cartera)",
        "description": "Clave de cartera de inversión de la SHCP.",
        "type": ["string", "null"],
        "pattern": "^[0-9]{11}$",
    }
    extension_fields_register(source="test", fields={"Tender": {"claveCartera": field}})
    try:
        served = json.loads(client.get("/ocds/extension/release-schema.json").content)
        good = make_tender_release(ocid=own_ocid(entity), entity=entity)
        good["tender"]["claveCartera"] = "12345678901"
        bad = make_tender_release(ocid=own_ocid(entity), entity=entity)
        bad["tender"]["claveCartera"] = "12-34"

        assert served["definitions"]["Tender"]["properties"]["claveCartera"] == field
        assert "claveCartera" in patched_release_schema()["definitions"]["Tender"]["properties"]
        assert validate_release(good) == []
        assert [issue.path for issue in validate_release(bad)] == ["tender/claveCartera"]
    finally:
        extension_fields_register(source="test", fields={})
    assert "claveCartera" not in patched_release_schema()["definitions"]["Tender"]["properties"]
