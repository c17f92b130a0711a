"""The read replica (DATABASE_REPLICA_URL): public reads go to it, staff and writes do not.

The test database's ``replica`` alias is a mirror of ``default`` (tests/settings.py): another
connection to the same database, as a streaming replica would be, so these tests commit.
"""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from tests.factories import make_user
from tests.ocds_pages.factories import make_entity
from tests.publishing import publish_process

pytestmark = pytest.mark.django_db(databases=["default", "replica"], transaction=True)


@pytest.fixture(autouse=True)
def replica_router(settings):
    settings.DATABASE_ROUTERS = ["cms.db_replica.ReplicaRouter"]


def queries_by_alias(client, url):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url)
    return response, len(primary), len(replica)


def test_the_public_process_page_reads_from_the_replica_only(client):
    ocid = publish_process(make_entity())

    response, on_primary, on_replica = queries_by_alias(client, f"/procesos/{ocid}/")

    assert response.status_code == 200
    assert ocid in response.content.decode()
    assert on_replica > 0
    assert on_primary == 0


def test_the_ocds_api_reads_from_the_replica(client):
    publish_process(make_entity())

    response, on_primary, on_replica = queries_by_alias(client, "/api/ocds/records/")

    assert response.status_code == 200
    assert (on_primary, on_replica > 0) == (0, True)


def test_staff_screens_read_the_primary(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))

    response, on_primary, on_replica = queries_by_alias(client, "/admin/trabajos/")

    assert response.status_code == 200
    assert (on_primary > 0, on_replica) == (True, 0)
