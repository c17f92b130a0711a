"""An imported publication keeps the extensions its publisher declared (issue 22, item 8): its
releases and record store them, they are validated and compiled with OCDS patched with them
(resolved offline from OCDS_EXTENSIONS_DIR), and every package that serves them declares them."""

import io

import orjson
import pytest
from django.core.management import call_command

from ocds_pages.declared_extensions import declared_release_schema
from ocds_pages.models import Record, Release
from ocds_pages.packages import declared_by
from ocds_pages.publication import publish_release, recompile_record
from ocds_pages.schema import extension_urls
from tests.ocds_pages.factories import make_entity, make_tender_release, own_ocid

pytestmark = pytest.mark.django_db

OCID = "ocds-zzzzzz-TRAMOS-1"
TRAMOS_URL = "https://extensiones.example.org/ocds_tramos_extension/v1.0/extension.json"
UNKNOWN_URL = "https://otra.example.org/ocds_desconocida_extension/master/extension.json"
TRAMOS_SCHEMA = {
    "definitions": {
        "Tender": {
            "properties": {
                "tramos": {
                    "title": "Tramos",
                    "type": "array",
                    "items": {"$ref": "#/definitions/Tramo"},
                    # Core rules would merge the list by id; the extension replaces it whole.
                    "wholeListMerge": True,
                }
            }
        },
        "Tramo": {
            "type": "object",
            "properties": {
                "id": {"type": ["string", "integer"]},
                "estado": {
                    "type": ["string", "null"],
                    "codelist": "estadoTramo.csv",
                    "openCodelist": False,
                    "enum": ["abierto", "cerrado", None],
                },
            },
        },
    }
}


@pytest.fixture
def registry(tmp_path, settings):
    """A local extension registry holding the «tramos» extension, laid out like its URL."""
    settings.OCDS_EXTENSIONS_DIR = tmp_path / "extensiones"
    folder = settings.OCDS_EXTENSIONS_DIR / "extensiones.example.org/ocds_tramos_extension/v1.0"
    folder.mkdir(parents=True)
    metadata = {"name": {"en": "Tramos"}, "schemas": ["release-schema.json"]}
    (folder / "extension.json").write_bytes(orjson.dumps(metadata))
    (folder / "release-schema.json").write_bytes(orjson.dumps(TRAMOS_SCHEMA))
    return folder


def two_releases(entity, first_state="abierto", second_state="cerrado"):
    first = make_tender_release(
        ocid=OCID,
        entity=entity,
        tender={"tramos": [{"id": 1, "estado": first_state}, {"id": 2, "estado": "abierto"}]},
    )
    second = make_tender_release(
        ocid=OCID,
        entity=entity,
        number=2,
        date="2025-02-10T10:00:00-06:00",
        tender={"tramos": [{"id": 1, "estado": second_state}]},
    )
    second["tag"] = ["tenderUpdate"]
    return [first, second]


def write_package(path, releases, extensions):
    package = {
        "uri": "https://publicador.example.org/paquete.json",
        "version": "1.1",
        "publishedDate": "2025-03-01T00:00:00Z",
        "publisher": {"name": "Publicador"},
        "extensions": extensions,
        "releases": releases,
    }
    path.write_bytes(orjson.dumps(package))
    return path


def run_import(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("importar_ocds", str(path), "--sin-progreso", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def compiled_tramos():
    return orjson.loads(Record.objects.get(ocid=OCID).compiled_release)["tender"]["tramos"]


def test_declared_extensions_are_kept_validated_compiled_and_served(registry, tmp_path, client):
    entity = make_entity()
    path = write_package(tmp_path / "paquete.json", two_releases(entity), [TRAMOS_URL])

    out, err = run_import(path)

    assert "Importadas: 2" in out, err
    assert err == ""
    assert [r.extensions for r in Release.objects.filter(ocid=OCID)] == [[TRAMOS_URL]] * 2
    assert Record.objects.get(ocid=OCID).extensions == [TRAMOS_URL]
    # The extension's merge rule decides the compiled release: the list is replaced whole.
    assert compiled_tramos() == [{"id": 1, "estado": "cerrado"}]
    record_package = client.get(f"/api/ocds/records/{OCID}/").json()
    release_package = client.get(f"/api/ocds/releases/{OCID}/{OCID}-0001/").json()
    assert record_package["extensions"] == [TRAMOS_URL]
    assert release_package["extensions"] == [TRAMOS_URL]
    assert client.get(f"/procesos/{OCID}/registro.json").json()["extensions"] == [TRAMOS_URL]


def test_recompiling_an_imported_record_uses_its_declared_extensions(registry, tmp_path):
    entity = make_entity()
    run_import(write_package(tmp_path / "p.json", two_releases(entity), [TRAMOS_URL]))

    recompile_record(record=Record.objects.get(ocid=OCID))

    assert compiled_tramos() == [{"id": 1, "estado": "cerrado"}]


def test_a_closed_codelist_of_a_declared_extension_refuses_the_process(registry, tmp_path):
    entity = make_entity()
    releases = two_releases(entity, second_state="suspendido")

    out, err = run_import(write_package(tmp_path / "p.json", releases, [TRAMOS_URL]))

    assert "Inválidas: 2" in out
    assert "tender/tramos/0/estado" in err
    assert not Release.objects.filter(ocid=OCID).exists()


def test_an_unknown_extension_is_reported_and_its_fields_kept(registry, tmp_path, client):
    entity = make_entity()
    releases = two_releases(entity, second_state="suspendido")  # not checked: nothing declares it

    out, err = run_import(write_package(tmp_path / "p.json", releases, [UNKNOWN_URL]))

    assert "Importadas: 2" in out
    assert f"La extensión {UNKNOWN_URL} no está en la carpeta de extensiones" in err
    assert err.count(UNKNOWN_URL) == 1  # once per import, not once per process
    stored = orjson.loads(Release.objects.get(ocid=OCID, release_id=f"{OCID}-0002").data)
    assert stored["tender"]["tramos"] == [{"id": 1, "estado": "suspendido"}]
    # Without its rules, the core ones merge the list by id: nothing is lost.
    assert compiled_tramos() == [{"id": 1, "estado": "suspendido"}, {"id": 2, "estado": "abierto"}]
    assert client.get(f"/api/ocds/records/{OCID}/").json()["extensions"] == [UNKNOWN_URL]


def test_packages_mixing_our_processes_and_imported_ones_declare_both(registry, tmp_path):
    entity = make_entity()
    own = make_tender_release(ocid=own_ocid(entity), entity=entity)
    publish_release(release=own, entity=entity)
    run_import(write_package(tmp_path / "p.json", two_releases(entity), [TRAMOS_URL]))

    assert declared_by(Release.objects.all()) == [*extension_urls(), TRAMOS_URL]
    assert declared_by(Record.objects.filter(ocid=OCID)) == [TRAMOS_URL]
    assert declared_by(Record.objects.exclude(ocid=OCID)) == extension_urls()
    assert declared_by(Record.objects.none()) == extension_urls()


def test_an_import_without_extensions_is_checked_against_ocds_alone(tmp_path):
    entity = make_entity()

    run_import(write_package(tmp_path / "p.json", two_releases(entity), []))

    assert Record.objects.get(ocid=OCID).extensions == []
    assert declared_by(Record.objects.filter(ocid=OCID)) == []


def test_edca_mx_repositories_resolve_to_the_bundled_copies():
    url = (
        "https://raw.githubusercontent.com/contratacionesabiertas/ocds_guarantees_extension/"
        "master/extension.json"
    )

    declared = declared_release_schema([url, *extension_urls()])

    assert declared.unknown == ()
    assert "Guarantee" in declared.schema.data["definitions"]
    assert "guarantees" in declared.schema.data["definitions"]["Contract"]["properties"]
