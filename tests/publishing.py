"""Published processes for API tests, built through ocds_pages' own publication service."""

import itertools

from ocds_pages.publication import publish_releases
from tests.ocds_pages.factories import (
    SUPPLIER,
    make_award_release,
    make_tender_release,
    own_ocid,
)

_serials = itertools.count(1)


def publish_process(
    entity,
    *,
    title="Adquisición de medicamentos genéricos",
    method="open",
    award_status="active",
    supplier_name=SUPPLIER["name"],
    item_description="Paracetamol tabletas de 500 mg",
    tenderers=3,
    start="2025-02-03T10:00:00-06:00",
    end="2025-02-24T10:00:00-06:00",
    awarded=True,
    year=2025,
):
    """One process of ``entity`` with a tender release and, if ``awarded``, an award release."""
    ocid = own_ocid(entity, next(_serials))
    tender = {
        "title": title,
        "procurementMethod": method,
        "numberOfTenderers": tenderers,
        "tenderPeriod": {"startDate": start, "endDate": end},
    }
    releases = [
        make_tender_release(
            ocid=ocid, entity=entity, date=f"{year}-02-03T10:00:00-06:00", tender=tender
        )
    ]
    if awarded:
        award = {
            "status": award_status,
            "suppliers": [{"id": SUPPLIER["id"], "name": supplier_name}],
            "items": [{"id": "1", "description": item_description}],
        }
        release = make_award_release(
            ocid=ocid, entity=entity, date=f"{year}-03-05T12:00:00-06:00", award=award
        )
        for party in release["parties"]:
            if party["id"] == SUPPLIER["id"]:
                party["name"] = supplier_name
        releases.append(release)
    publish_releases(releases=releases, entity=entity)
    return ocid
