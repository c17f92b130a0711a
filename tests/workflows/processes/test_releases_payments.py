"""Payments as OCDS consumers read them: the CFDI folio is the transaction id, ``source`` is never
a folio, and payer and payee are references to parties (issue 22, items 1 and 3)."""

import orjson
import pytest

from ocds_pages.models import Record
from ocds_pages.party_keys import rfc_party_id
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.processes.test_services import capture_and_approve, new_process, run_of
from workflows.base.procedures import Stage
from workflows.forms.defaults import publish_payment_fields
from workflows.forms.spec import normalise_field, normalise_group
from workflows.models import FormDefinition, FormVersion
from workflows.processes import process_services

pytestmark = pytest.mark.django_db

SUPPLIER = rfc_party_id("MME920427EM3")


def published_through_implementation(world):
    process = new_process(world)
    steps = [
        (Stage.PLANNING, values.planning()),
        (Stage.TENDER, values.tender("direct")),
        (Stage.AWARD, values.award()),
        (Stage.CONTRACT, values.contract()),
        (Stage.IMPLEMENTATION, values.implementation()),
    ]
    for stage, captured in steps:
        if stage != Stage.PLANNING:
            process_services.stage_start(process=process, stage=stage, user=world["capturista"])
        capture_and_approve(world, process, stage, captured)
    return process


def test_a_payment_is_identified_by_its_cfdi_and_links_payer_and_payee_to_parties():
    world = drafts.people()
    process = published_through_implementation(world)
    releases = drafts.assert_releases_valid(process.ocid)
    implementation = releases[-1]
    [payment] = implementation["contracts"][0]["implementation"]["transactions"]
    assert payment["id"] == "5FB2822E-396D-4725-8521-CDC4BDD20C01"
    assert "source" not in payment
    buyer = implementation["buyer"]
    assert payment["payer"] == {"id": buyer["id"], "name": buyer["name"]}
    assert payment["payee"] == {"id": SUPPLIER, "name": "Medicamentos Mexicanos, S.A. de C.V."}
    parties = {party["id"]: party for party in implementation["parties"]}
    assert "payer" in parties[buyer["id"]]["roles"]
    assert parties[SUPPLIER]["roles"] == ["payee", "supplier"]  # it keeps its earlier role
    assert parties[SUPPLIER]["identifier"]["scheme"] == "MX-RFC"
    # In the record the payee is the same party as the award's supplier.
    compiled = orjson.loads(Record.objects.get(ocid=process.ocid).compiled_release)
    compiled_parties = {party["id"]: party for party in compiled["parties"]}
    assert {"supplier", "payee"} <= set(compiled_parties[SUPPLIER]["roles"])
    assert compiled["awards"][0]["suppliers"][0]["id"] == SUPPLIER


def test_the_payment_form_asks_for_the_cfdi_folio_and_the_payee_rfc():
    version = FormVersion.objects.filter(definition__stage="implementation").latest("number")
    [payments] = [item for item in version.spec["fields"] if item["key"] == "pagos"]
    paths = {item["key"]: item["ocds_path"] for item in payments["fields"]}
    assert paths["cfdi"] == "id"
    assert paths["rfcBeneficiario"] == "payee/identifier/id"
    assert "source" not in paths.values()
    world = drafts.people()
    process = new_process(world)
    for stage, captured in [
        (Stage.PLANNING, values.planning()),
        (Stage.TENDER, values.tender("direct")),
        (Stage.AWARD, values.award()),
        (Stage.CONTRACT, values.contract()),
    ]:
        if stage != Stage.PLANNING:
            process_services.stage_start(process=process, stage=stage, user=world["capturista"])
        capture_and_approve(world, process, stage, captured)
    process_services.stage_start(
        process=process, stage=Stage.IMPLEMENTATION, user=world["capturista"]
    )
    run = run_of(process, Stage.IMPLEMENTATION)
    captured = values.implementation()
    captured["pagos"][0]["cfdi"] = "A-0001"
    issues = process_services.capture_submit(
        task=process_services.active_task(run), user=world["capturista"], values=captured
    )
    assert any("formato esperado" in issue.message for issue in issues)


def test_forms_that_wrote_the_folio_to_source_get_a_new_version():
    old_payments = normalise_group(
        {
            "key": "pagos",
            "label": "Pagos",
            "ocds_path": "contracts/0/implementation/transactions",
            "fields": [
                normalise_field(
                    {"key": "fecha", "label": "Fecha", "field_type": "date", "ocds_path": "date"}
                ),
                normalise_field(
                    {
                        "key": "cfdi",
                        "label": "Folio fiscal (CFDI)",
                        "field_type": "text",
                        "ocds_path": "source",
                    }
                ),
            ],
        }
    )
    definition = FormDefinition.objects.get(stage="implementation", entity=None)
    latest = definition.versions.latest("number")
    FormVersion.objects.create(
        definition=definition,
        number=latest.number + 1,
        stage=definition.stage,
        procedure_type=definition.procedure_type,
        title=definition.title,
        spec={**latest.spec, "fields": [old_payments]},
    )
    assert publish_payment_fields(FormDefinition, FormVersion) == 1
    newest = definition.versions.latest("number")
    assert newest.number == latest.number + 2
    [payments] = newest.spec["fields"]
    paths = [item["ocds_path"] for item in payments["fields"]]
    assert paths == ["date", "payee/name", "payee/identifier/id", "id"]
    assert publish_payment_fields(FormDefinition, FormVersion) == 0
