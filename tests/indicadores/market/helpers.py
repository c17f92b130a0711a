"""Published processes with priced items, through the real publication service."""

import itertools

from django.test import TestCase

from ocds_pages.publication import publish_releases
from tests.ocds_pages.factories import make_award_release, make_tender_release, own_ocid

_serials = itertools.count(1)
CUCOP = "25300002"
SUPPLIER_A = ("MX-RFC-MME920427EM3", "MME920427EM3", "Medicamentos Mexicanos, S.A. de C.V.")
SUPPLIER_B = ("MX-RFC-FAR010101AB2", "FAR010101AB2", "Farmacéutica del Bajío, S.A. de C.V.")


def item(price, *, quantity=100, unit="Caja", code=CUCOP, description="Paracetamol 500 mg"):
    return {
        "id": "1",
        "description": description,
        "classification": {"scheme": "CUCOP", "id": code, "description": "Analgésicos"},
        "quantity": quantity,
        "unit": {"name": unit, "value": {"amount": price, "currency": "MXN"}},
    }


def publish_priced(entity, price, *, supplier=SUPPLIER_A, date="2025-03-05", **item_options):
    """One process of ``entity`` whose award sells one item at ``price`` to ``supplier``."""
    ocid = own_ocid(entity, 500 + next(_serials))
    party_id, rfc, name = supplier
    award = {
        "date": f"{date}T12:00:00-06:00",
        "suppliers": [{"id": party_id, "name": name}],
        "items": [item(price, **item_options)],
    }
    award_release = make_award_release(
        ocid=ocid, entity=entity, date=f"{date}T12:00:00-06:00", award=award
    )
    for party in award_release["parties"]:
        if "supplier" in party.get("roles", []):
            party.update(
                id=party_id,
                name=name,
                identifier={"scheme": "MX-RFC", "id": rfc, "legalName": name},
            )
    tender = make_tender_release(ocid=ocid, entity=entity, date=f"{date}T10:00:00-06:00")
    # The tender's estimate must not count as a price: give it an absurd one.
    tender["tender"]["items"] = [item(99999, **item_options)]
    award_release["date"] = f"{date}T12:00:00-06:00"
    # release_published is sent on commit: run it, as a real publication would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        publish_releases(releases=[tender, award_release], entity=entity)
    return ocid
