import orjson
import pytest

from ocds_pages.models import ProcessProjection, Record, Release
from ocds_pages.publication import ReleaseInvalid, publish_release, publish_releases
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


@pytest.mark.django_db
def test_publishing_the_same_release_id_twice_is_refused():
    entity = make_entity()
    release = make_tender_release(ocid=own_ocid(entity), entity=entity)
    publish_release(release=release, entity=entity)

    with pytest.raises(ReleaseInvalid) as rejected:
        publish_release(release=release, entity=entity)

    assert [issue.path for issue in rejected.value.issues] == ["id"]
    assert Release.objects.count() == 1


@pytest.mark.django_db
def test_another_entity_cannot_publish_into_a_process():
    imss = make_entity()
    other = make_entity(key="ISSSTE", name="ISSSTE", rfc="ISS600101AB1")
    ocid = own_ocid(imss)
    publish_release(release=make_tender_release(ocid=ocid, entity=imss), entity=imss)

    with pytest.raises(ReleaseInvalid) as rejected:
        publish_release(release=make_award_release(ocid=ocid, entity=imss), entity=other)

    assert rejected.value.issues[0].message == f"El proceso {ocid} pertenece a otro ente público."
    assert Release.objects.filter(ocid=ocid).count() == 1


@pytest.mark.django_db
def test_a_batch_is_validated_in_date_order_across_utc_offsets():
    entity = make_entity()
    ocid = own_ocid(entity)
    # The award (10:00 UTC) precedes the contract (18:00 UTC), but as text it sorts after it
    # ("…T20:00+10:00" > "…T12:00-06:00"); validated in text order, awardID would not resolve.
    award = make_award_release(ocid=ocid, entity=entity, date="2025-03-05T20:00:00+10:00")
    contract = make_contract_release(ocid=ocid, entity=entity, date="2025-03-05T12:00:00-06:00")

    rows = publish_releases(releases=[contract, award], entity=entity)

    assert {row.release_id for row in rows} == {award["id"], contract["id"]}
