"""A record that links its releases and carries a versionedRelease is imported as every release
its publisher published, and exports back an equivalent versioned release (issue 22, item 7)."""

import pytest

from ocds_pages.models import Record
from tests.ocds_pages.factories import FIXTURES, load_fixture
from tests.ocds_pages.test_import import (
    OFFICIAL_OCID,
    exported_record,
    exported_releases,
    run_import,
)

WITH_VERSIONS = "fictional/record/ocds-213czf-000-00001-withversions.json"


@pytest.mark.django_db
def test_linked_releases_are_rebuilt_from_the_versioned_release_and_round_trip():
    published = load_fixture(WITH_VERSIONS)["records"][0]

    out, err = run_import(FIXTURES / WITH_VERSIONS, create=True)

    assert "Importadas: 6" in out, err
    releases = exported_releases(OFFICIAL_OCID)
    linked = [link["url"].rsplit("#", 1)[1] for link in published["releases"]]
    assert sorted(release["id"] for release in releases) == sorted(linked)
    assert sorted((r["date"], r["tag"]) for r in releases) == sorted(
        (link["date"], link["tag"]) for link in published["releases"]
    )
    record = exported_record(OFFICIAL_OCID)
    assert record["versionedRelease"] == published["versionedRelease"]
    assert record["compiledRelease"] == published["compiledRelease"]
    assert Record.objects.get(ocid=OFFICIAL_OCID).release_count == 6


@pytest.mark.django_db
def test_importing_the_rebuilt_releases_again_repeats_them_without_conflict():
    run_import(FIXTURES / WITH_VERSIONS, create=True)

    out, _err = run_import(FIXTURES / WITH_VERSIONS, create=True)

    assert "Importadas: 0" in out
    assert "Omitidas por repetidas: 6" in out
    assert "En conflicto (mismo id, otro contenido): 0" in out
