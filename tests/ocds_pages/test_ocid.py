import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocds_pages.models import OcidCounter
from ocds_pages.publication import build_release_id, next_ocid, publish_release
from tests.ocds_pages.factories import make_entity, make_tender_release


@pytest.mark.django_db
def test_ocids_carry_prefix_entity_key_and_a_growing_serial(settings):
    settings.OCID_PREFIX = "ocds-a1b2c3"
    imss = make_entity()
    issste = make_entity(key="ISSSTE", name="ISSSTE", rfc="ISS600101AB1")

    assert [next_ocid(entity=imss) for _ in range(3)] == [
        "ocds-a1b2c3-IMSS-000001",
        "ocds-a1b2c3-IMSS-000002",
        "ocds-a1b2c3-IMSS-000003",
    ]
    assert next_ocid(entity=issste) == "ocds-a1b2c3-ISSSTE-000001"


@pytest.mark.django_db
def test_a_serial_is_not_reused_after_the_process_is_published():
    entity = make_entity()
    first = next_ocid(entity=entity)
    publish_release(release=make_tender_release(ocid=first, entity=entity), entity=entity)

    second = next_ocid(entity=entity)

    assert second != first
    assert OcidCounter.objects.get(entity=entity).last_serial == 2


@pytest.mark.django_db
def test_an_ocid_already_held_by_an_imported_record_is_skipped():
    entity = make_entity()
    taken = "ocds-cidemo-IMSS-000001"
    publish_release(release=make_tender_release(ocid=taken, entity=entity), entity=entity)

    assert next_ocid(entity=entity) == "ocds-cidemo-IMSS-000002"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks")
def test_counter_row_is_locked_while_the_serial_is_taken():
    entity = make_entity()
    with CaptureQueriesContext(connection) as captured:
        next_ocid(entity=entity)

    locking = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1
    assert "ocds_pages_ocidcounter" in locking[0]


def test_release_ids_number_the_releases_of_a_process():
    assert (
        build_release_id(ocid="ocds-cidemo-IMSS-000007", number=3) == "ocds-cidemo-IMSS-000007-0003"
    )
