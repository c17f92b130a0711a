import gc
import tracemalloc

import orjson
import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from ocds_pages import schema
from ocds_pages.extension import patched_release_schema
from ocds_pages.packages import (
    iter_record_package,
    iter_release_package,
    stored_records,
    stored_release_texts,
)
from ocds_pages.publication import publish_release
from tests.ocds_pages.factories import (
    make_award_release,
    make_entity,
    make_tender_release,
    own_ocid,
)


def offline_validator(name: str) -> Draft4Validator:
    """A package schema whose $refs to the core schemas resolve to the bundled files."""
    resources = [
        (f"{schema.CORE_SCHEMA_URL}release-schema.json", patched_release_schema()),
        (
            f"{schema.CORE_SCHEMA_URL}versioned-release-validation-schema.json",
            schema.core_schema("versioned-release-validation-schema.json"),
        ),
    ]
    registry = Registry().with_resources(
        (uri, Resource.from_contents(contents, default_specification=DRAFT4))
        for uri, contents in resources
    )
    return Draft4Validator(schema.core_schema(name), registry=registry)


def generated_release_texts(count: int, entity):
    for serial in range(1, count + 1):
        release = make_tender_release(ocid=own_ocid(entity, serial), entity=entity)
        yield orjson.dumps(release).decode()


@pytest.mark.django_db
def test_a_release_package_built_from_a_generator_validates():
    entity = make_entity()

    body = b"".join(
        iter_release_package(
            releases=generated_release_texts(25, entity), uri="https://compras.example/paquete"
        )
    )

    package = orjson.loads(body)
    assert list(offline_validator("release-package-schema.json").iter_errors(package)) == []
    assert len(package["releases"]) == 25
    assert package["version"] == "1.1"
    assert package["extensions"][-1].endswith("/ocds/extension/extension.json")


@pytest.mark.django_db
def test_an_empty_release_package_is_still_valid_json():
    package = orjson.loads(b"".join(iter_release_package(releases=[], uri="https://x.example/p")))

    assert package["releases"] == []


@pytest.mark.django_db
def test_a_record_package_of_stored_records_validates_and_embeds_the_releases():
    entity = make_entity()
    ocid = own_ocid(entity)
    publish_release(release=make_tender_release(ocid=ocid, entity=entity), entity=entity)
    publish_release(release=make_award_release(ocid=ocid, entity=entity), entity=entity)

    body = b"".join(iter_record_package(records=stored_records(), uri="https://x.example/r"))

    package = orjson.loads(body)
    assert list(offline_validator("record-package-schema.json").iter_errors(package)) == []
    record = package["records"][0]
    assert [release["id"] for release in record["releases"]] == [f"{ocid}-0001", f"{ocid}-0002"]
    assert record["compiledRelease"]["awards"][0]["id"] == f"{ocid}-award-1"
    assert "versionedRelease" in record


@pytest.mark.django_db
def test_stored_release_texts_are_served_byte_for_byte():
    entity = make_entity()
    stored = publish_release(
        release=make_tender_release(ocid=own_ocid(entity), entity=entity), entity=entity
    )

    assert list(stored_release_texts()) == [stored.data]


def peak_memory_of_package(count: int, entity) -> int:
    gc.collect()
    tracemalloc.start()
    for _chunk in iter_release_package(
        releases=generated_release_texts(count, entity), uri="https://x.example/p"
    ):
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


@pytest.mark.django_db
def test_package_memory_does_not_grow_with_the_number_of_releases():
    entity = make_entity()
    peak_memory_of_package(50, entity)  # warm caches (schema, settings) before measuring

    small = peak_memory_of_package(500, entity)
    large = peak_memory_of_package(5000, entity)

    # Ten times the releases (≈ 9 MB of JSON) must not take ten times the memory.
    assert large < small * 1.5
    assert large < 2 * 1024 * 1024


@pytest.mark.django_db
def test_package_metadata_carries_the_configured_publisher_licence_and_policy(settings):
    settings.OCDS_PUBLISHER = {
        "name": "Secretaría Anticorrupción y Buen Gobierno",
        "scheme": "MX-RFC",
        "uid": "SFP940101AB1",
    }
    settings.OCDS_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
    settings.OCDS_PUBLICATION_POLICY = "https://compras.example.gob.mx/politica/"

    body = b"".join(
        iter_release_package(
            releases=[], uri="https://x.example/p", published_date="2025-04-01T00:00:00-06:00"
        )
    )

    package = orjson.loads(body)
    assert package["publisher"] == {
        "name": "Secretaría Anticorrupción y Buen Gobierno",
        "scheme": "MX-RFC",
        "uid": "SFP940101AB1",
        "uri": settings.SITE_URL,
    }
    assert package["publishedDate"] == "2025-04-01T00:00:00-06:00"
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["publicationPolicy"] == "https://compras.example.gob.mx/politica/"
