import orjson
import pytest
from ocdskit.combine import merge

from ocds_pages.compile import compile_releases, get_merger
from ocds_pages.extension import bundled_release_schema
from ocds_pages.models import Record
from ocds_pages.publication import IMPORT_RULES, publish_releases
from tests.ocds_pages.factories import load_fixture, make_entity

OFFICIAL_PACKAGES = [
    "official/planning.json",
    "official/tender.json",
    "official/tenderAmendment.json",
    "official/tenderUpdate.json",
    "official/award.json",
    "official/contract.json",
    "official/implementation.json",
    "official/contractAmendment.json",
]
MERGING_PACKAGES = [
    "official/merging/merge-tender-1.json",
    "official/merging/merge-tender-2.json",
    "official/merging/merge-tender-3.json",
    "official/merging/merge-award-1.json",
    "official/merging/merge-award-2.json",
]


def releases_of(packages):
    return [release for name in packages for release in load_fixture(name)["releases"]]


def ocdskit_output(packages, *, versioned=False):
    data = [load_fixture(name) for name in packages]
    schema = bundled_release_schema().data
    return next(merge(data, schema=schema, return_versioned_release=versioned))


@pytest.mark.parametrize("packages", [OFFICIAL_PACKAGES, MERGING_PACKAGES])
def test_compiled_release_equals_ocdskit_on_the_official_examples(packages):
    ours = compile_releases(releases_of(packages), schema=bundled_release_schema()).compiled
    assert ours == ocdskit_output(packages)


@pytest.mark.parametrize("packages", [OFFICIAL_PACKAGES, MERGING_PACKAGES])
def test_versioned_release_equals_ocdskit_on_the_official_examples(packages):
    ours = compile_releases(releases_of(packages), schema=bundled_release_schema()).versioned
    assert ours == ocdskit_output(packages, versioned=True)


def test_merging_example_matches_the_compiled_release_the_standard_publishes():
    published = load_fixture("official/merging/merged.json")["records"][0]["compiledRelease"]

    ours = compile_releases(releases_of(MERGING_PACKAGES), schema=bundled_release_schema()).compiled

    assert ours["tender"] == published["tender"]
    assert ours["awards"] == published["awards"]


def test_the_merger_is_built_once_and_reused():
    assert get_merger(bundled_release_schema()) is get_merger(bundled_release_schema())


@pytest.mark.django_db
def test_stored_record_equals_ocdskit_compiling_the_same_releases():
    entity = make_entity(key="BARNET", name="London Borough of Barnet", rfc="")
    releases = releases_of(OFFICIAL_PACKAGES)

    publish_releases(releases=releases, entity=entity, rules=IMPORT_RULES)

    record = Record.objects.get(ocid="ocds-213czf-000-00001")
    assert orjson.loads(record.compiled_release) == ocdskit_output(OFFICIAL_PACKAGES)
    assert orjson.loads(record.versioned_release) == ocdskit_output(
        OFFICIAL_PACKAGES, versioned=True
    )
