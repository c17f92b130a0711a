"""What the S6 serves passes OCP's validator (issue 22, «Done when»): the compiled releases of
``contrataciones-abiertas`` and the records of ``v1/records`` for a generated dataset of every
stage, put in the release or record package the API would declare for them, give lib-cove-ocds no
error and no closed-codelist violation."""

import orjson
import pytest

from ocds_pages.models import Record
from ocds_pages.packages import declared_by, package_metadata
from tests.integraciones.pdn_client import pdn_token
from tests.ocds_pages.test_ocp_validator import assert_clean, generated  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def every_result(client, url: str, token: str) -> list[dict]:
    results, page = [], 1
    while True:
        response = client.post(
            url,
            orjson.dumps({"page": page, "pageSize": 200}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 200, response.content
        body = response.json()
        results += body["results"]
        if not body["pagination"]["hasNextPage"]:
            return results
        page += 1


def test_s6_compiled_releases_and_records_pass_ocp_validator(pdn, generated):  # noqa: F811
    token = pdn_token(pdn)
    metadata = package_metadata(
        uri="http://testserver/api/s6/", extensions=declared_by(Record.objects.all())
    )

    compiled = every_result(pdn, "/api/s6/contrataciones-abiertas", token)
    records = every_result(pdn, "/api/s6/v1/records", token)

    assert len(compiled) == len(records) == Record.objects.count()
    assert {tag for release in compiled for tag in release["tag"]} == {"compiled"}
    assert_clean({**metadata, "releases": compiled})
    assert_clean({**metadata, "records": records})
