import orjson
import pytest

from ocds_pages.models import ProcessProjection, Record, Release
from ocds_pages.publication import ReleaseInvalid, publish_release
from tests.ocds_pages.factories import (
    make_award_release,
    make_contract_release,
    make_entity,
    make_tender_release,
    make_unit,
    own_ocid,
)


@pytest.mark.django_db
def test_publishing_a_tender_stores_the_release_and_compiles_the_record():
    entity = make_entity()
    unit = make_unit(entity=entity)
    ocid = own_ocid(entity)

    stored = publish_release(
        release=make_tender_release(ocid=ocid, entity=entity), entity=entity, unit=unit
    )

    assert stored.release_id == f"{ocid}-0001"
    assert orjson.loads(stored.data)["tender"]["title"].startswith("Adquisición")
    record = Record.objects.get(ocid=ocid)
    compiled = orjson.loads(record.compiled_release)
    assert compiled["tag"] == ["compiled"]
    assert compiled["tender"]["value"]["amount"] == 250000.0
    assert record.unit == unit
    assert ProcessProjection.objects.get(ocid=ocid).procurement_method == "open"


@pytest.mark.django_db
def test_a_full_process_compiles_award_and_contract_into_one_record():
    entity = make_entity()
    ocid = own_ocid(entity)
    for release in (
        make_tender_release(ocid=ocid, entity=entity),
        make_award_release(ocid=ocid, entity=entity),
        make_contract_release(ocid=ocid, entity=entity),
    ):
        publish_release(release=release, entity=entity)

    record = Record.objects.get(ocid=ocid)
    compiled = orjson.loads(record.compiled_release)
    versioned = orjson.loads(record.versioned_release)
    assert record.release_count == 3
    assert compiled["contracts"][0]["awardID"] == f"{ocid}-award-1"
    assert compiled["id"] == f"{ocid}-2025-03-12T09:00:00-06:00"
    assert versioned["tender"]["status"] == [
        {
            "releaseID": f"{ocid}-0001",
            "releaseDate": "2025-02-03T10:00:00-06:00",
            "releaseTag": ["tender"],
            "value": "active",
        }
    ]


@pytest.mark.django_db
def test_an_invalid_release_is_rejected_and_nothing_is_stored():
    entity = make_entity()
    ocid = own_ocid(entity)
    release = make_tender_release(ocid=ocid, entity=entity, tender={"status": "abierta"})

    with pytest.raises(ReleaseInvalid) as rejected:
        publish_release(release=release, entity=entity)

    assert [(i.path, i.message) for i in rejected.value.issues] == [
        ("tender/status", "El valor 'abierta' no está en la lista cerrada tenderStatus.")
    ]
    assert not Release.objects.exists()
    assert not Record.objects.exists()
