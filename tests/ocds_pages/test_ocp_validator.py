"""OCP's validator (lib-cove-ocds, offline, OCDS 1.1.5 with the declared extensions) finds no
error and no closed-codelist violation in what the API and the bulk files emit for a generated
dataset of every stage (issue 22, «Done when»)."""

import gzip
import io
from collections import Counter

import orjson
import pytest
from django.core.cache import cache
from django.core.management import call_command

from ocds_pages.models import Release
from tests.ocds_pages.ocp import lib_cove_ocds

pytestmark = pytest.mark.django_db

# Every tag the generator publishes (docs/ocds.md §9): the workflow's stages, through the forms.
GENERATED_TAGS = {
    "planning",
    "tender",
    "tenderCancellation",
    "tenderUpdate",
    "award",
    "contract",
    "contractAmendment",
    "implementation",
}


@pytest.fixture
def generated(settings, tmp_path):
    settings.OCDS_API_WATERMARK_SECONDS = 0
    settings.OCDS_BULK_DIR = tmp_path / "bulk"
    cache.clear()
    call_command(
        "generar_datos",
        entes=2,
        procesos=120,
        semilla=22,
        trabajadores=1,
        sin_progreso=True,
        stdout=io.StringIO(),
    )
    tags = Counter(tag for tags in Release.objects.values_list("tags", flat=True) for tag in tags)
    assert set(tags) >= GENERATED_TAGS, tags
    yield
    cache.clear()


def assert_clean(package: dict) -> None:
    report = lib_cove_ocds(package)
    assert report["validation_errors"] == []
    assert report["additional_closed_codelist_values"] == {}
    assert report["extensions"]["invalid_extension"] == {}
    assert not report.get("conformance_errors")


def test_api_release_and_record_packages_pass_ocp_validator(client, generated):
    releases = client.get("/api/ocds/release-package/")
    assert releases.status_code == 200
    release_package = orjson.loads(b"".join(releases.streaming_content))
    assert len(release_package["releases"]) == Release.objects.count()
    assert_clean(release_package)

    records = client.get("/api/ocds/records/?limit=1000")
    assert records.status_code == 200
    assert_clean(records.json())

    # One record with its versioned release: a process that went as far as payments.
    paid = next(
        ocid
        for ocid, tags in Release.objects.values_list("ocid", "tags")
        if "implementation" in tags
    )
    record = client.get(f"/api/ocds/records/{paid}/")
    assert "versionedRelease" in record.json()["records"][0]
    assert_clean(record.json())


def test_bulk_release_and_record_packages_pass_ocp_validator(generated, settings):
    call_command("exportar_bulk", "--sin-progreso", stdout=io.StringIO(), stderr=io.StringIO())
    packages = sorted(settings.OCDS_BULK_DIR.glob("*/paquete-*.json.gz"))
    assert {path.name.split("-")[1] for path in packages} == {"entregas", "registros"}
    for path in packages:
        assert_clean(orjson.loads(gzip.decompress(path.read_bytes())))


def test_the_demo_installation_passes_ocp_validator(client, settings, tmp_path):
    """The demo's processes (every stage and procedure, published through the workflow)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OCDS_BULK_DIR = tmp_path / "bulk"
    settings.OCDS_API_WATERMARK_SECONDS = 0
    cache.clear()
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    for command in ("cargar_demo", "cargar_demo_procesos", "cargar_demo_seguimiento"):
        call_command(command, **quiet)
    assert Release.objects.exists()

    releases = client.get("/api/ocds/release-package/")
    assert_clean(orjson.loads(b"".join(releases.streaming_content)))
    assert_clean(client.get("/api/ocds/records/?limit=1000").json())
    call_command("exportar_bulk", "--sin-progreso", **quiet)
    for path in sorted(settings.OCDS_BULK_DIR.glob("*/paquete-*.json.gz")):
        assert_clean(orjson.loads(gzip.decompress(path.read_bytes())))
    cache.clear()
