"""Capture, rules and releases build party ids with the one rule of ocds_pages.party_keys."""

import pytest

from ocds_pages.party_keys import rfc_party_id
from tests.factories import make_entity
from workflows.base.rules import organization_id
from workflows.forms.forms_engine import CaptureContext, to_ocds
from workflows.processes.releases import party_id


def test_the_workflow_builds_party_ids_with_the_same_rule():
    reference = {"name": "Medicamentos Mexicanos", "identifier": {"id": "MME920427EM3"}}
    assert organization_id(reference) == rfc_party_id("MME920427EM3")
    spec = {
        "stage": "award",
        "fields": [
            {
                "kind": "group",
                "key": "proveedores",
                "ocds_path": "awards/0/suppliers",
                "party_role": "supplier",
                "fields": [
                    {"kind": "field", "key": "nombre", "field_type": "text", "ocds_path": "name"},
                    {
                        "kind": "field",
                        "key": "rfc",
                        "field_type": "rfc",
                        "ocds_path": "identifier/id",
                    },
                ],
            }
        ],
    }
    values = {"proveedores": [{"nombre": "Medicamentos Mexicanos", "rfc": "MME920427EM3"}]}
    fragment = to_ocds(spec, values, context=CaptureContext())
    assert fragment["parties"][0]["id"] == rfc_party_id("MME920427EM3")
    assert fragment["awards"][0]["suppliers"][0]["id"] == rfc_party_id("MME920427EM3")


@pytest.mark.django_db
def test_the_buyer_party_id_uses_the_rule_and_falls_back_to_the_entity_key():
    assert party_id(make_entity("IMSS", rfc="IMS421231I45")) == rfc_party_id("IMS421231I45")
    assert party_id(make_entity("SINRFC", rfc="")) == "MX-ENTE-SINRFC"
