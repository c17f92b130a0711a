"""The capture side of contract monitoring (issue 19): the contract administrator's monthly update
records milestones, payments with the CFDI folio, penalties and the guarantee's validity, each
approved like any stage, and monitoring reads them from the published record."""

from decimal import Decimal

import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict

from indicadores.models import MonitoredContract
from ocds_pages.models import Record
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.processes.test_services import capture_and_approve, new_process, run_of
from workflows.base.procedures import Stage
from workflows.forms import form_services
from workflows.forms.form_models import DraftFile
from workflows.forms.forms_engine import data_from_values
from workflows.processes import process_services

pytestmark = pytest.mark.django_db


def contract_with_guarantee():
    return {
        **values.contract(),
        "garantias": [
            {
                "tipo": "fulfillment",
                "monto": values.money(22150),
                "fiadora": "Afianzadora Nacional, S.A.",
                "inicioVigencia": "2026-03-23",
                "finVigencia": "2026-05-31",
            }
        ],
    }


def update_with_penalty():
    return {
        **values.implementation(2),
        "entregas": [
            {"titulo": "Entrega 1", "fechaCompromiso": "2026-04-01", "fechaCumplido": "2026-04-01"},
            {"titulo": "Entrega 2", "fechaCompromiso": "2026-04-15", "fechaCumplido": "2026-04-20"},
        ],
        "penas": [
            {
                "folio": "OF-DA-123/2026",
                "tipo": "penaConvencional",
                "monto": values.money(1107.5),
                "motivo": "Cinco días de atraso en la entrega 2.",
                "fecha": "2026-04-25",
            }
        ],
    }


def test_monthly_update_with_penalty_reaches_monitoring(django_capture_on_commit_callbacks):
    world = drafts.people()
    process = new_process(world)
    steps = [
        (Stage.PLANNING, values.planning()),
        (Stage.TENDER, values.tender("direct")),
        (Stage.AWARD, values.award()),
        (Stage.CONTRACT, contract_with_guarantee()),
        (Stage.IMPLEMENTATION, values.implementation()),
        (Stage.IMPLEMENTATION_UPDATE, update_with_penalty()),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for stage, captured in steps:
            if stage != Stage.PLANNING:
                process_services.stage_start(process=process, stage=stage, user=world["capturista"])
            capture_and_approve(world, process, stage, captured)
    drafts.assert_releases_valid(process.ocid)
    contract = orjson.loads(Record.objects.get(ocid=process.ocid).compiled_release)["contracts"][0]
    assert contract["guarantees"][0]["period"]["endDate"].startswith("2026-05-31")
    penalty = contract["implementation"]["penalties"][0]
    assert (penalty["id"], penalty["type"]) == ("OF-DA-123/2026", "penaConvencional")
    folios = [t["id"] for t in contract["implementation"]["transactions"]]
    assert "5FB2822E-396D-4725-8521-CDC4BDD20C02" in folios  # the CFDI folio is the payment id
    row = MonitoredContract.objects.get(ocid=process.ocid)
    assert row.penalties_amount == Decimal("1107.5")
    assert row.detail["penalties"][0]["reason"] == "Cinco días de atraso en la entrega 2."
    assert str(row.guarantee_expiry) == "2026-05-31"
    assert row.late_deliveries == 1  # Entrega 2 met five days late


# --- the acceptance certificate of each delivery ------------------------------------------------


def acta(name="acta-entrega-1.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 acta firmada " + name.encode(), "application/pdf")


def two_deliveries():
    return {
        **values.implementation(),
        "entregas": [
            {"titulo": "Entrega 1", "fechaCompromiso": "2026-04-01", "fechaCumplido": "2026-04-01"},
            {"titulo": "Entrega 2", "fechaCompromiso": "2026-05-01"},
        ],
    }


def in_implementation(world):
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
    return process, run_of(process, Stage.IMPLEMENTATION)


def post(run, captured) -> QueryDict:
    draft = run.stage_draft
    data = QueryDict(mutable=True)
    data.update(
        data_from_values(
            draft.version, captured, context=form_services.stage_draft_context(draft=draft)
        )
    )
    return data


def test_each_delivery_carries_its_own_acceptance_certificate(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    """The certificate uploaded in a delivery's row is kept across saves, published in that
    milestone's documents (not the contract's), made public with the release, and monitoring
    counts that delivery as received; the other delivery has none."""
    settings.MEDIA_ROOT = tmp_path
    world = drafts.people()
    process, run = in_implementation(world)
    task = process_services.active_task(run)
    data = post(run, two_deliveries())
    form, issues = process_services.capture_submit_form(
        task=task, user=world["capturista"], data=data, files={"entregas-0-actaRecepcion": acta()}
    )
    assert form.is_valid() and issues == []
    run.stage_draft.refresh_from_db()
    stored = run.stage_draft.values["entregas"][0]["actaRecepcion"]
    assert "actaRecepcion" not in run.stage_draft.values["entregas"][1]
    # Saved again without a new upload (the browser never resends the file): still there.
    form = form_services.stage_draft_save(
        draft=run.stage_draft, data=post(run, run.stage_draft.values), files={}
    )
    assert form.is_valid()
    assert form.formsets["entregas"].forms[0].fields["actaRecepcion"].stored_name == (
        "acta-entrega-1.pdf"
    )
    run.stage_draft.refresh_from_db()
    assert run.stage_draft.values["entregas"][0]["actaRecepcion"] == stored

    with django_capture_on_commit_callbacks(execute=True):
        process_services.review_approve(
            task=process_services.active_task(run), user=world["aprobador"]
        )
    drafts.assert_releases_valid(process.ocid)
    contract = orjson.loads(Record.objects.get(ocid=process.ocid).compiled_release)["contracts"][0]
    implementation = contract["implementation"]
    first, second = implementation["milestones"]
    assert [d["documentType"] for d in first["documents"]] == ["completionCertificate"]
    assert first["documents"][0]["sha256"] == stored["sha256"]
    assert "documents" not in second and "documents" not in implementation
    run.refresh_from_db()
    assert DraftFile.objects.get(sha256=stored["sha256"]).published_in == run.release_id
    milestones = MonitoredContract.objects.get(ocid=process.ocid).detail["milestones"]
    assert [m["accepted"] for m in milestones] == [True, False]
    assert milestones[0]["certificate"] == stored["url"] and milestones[1]["certificate"] == ""


def test_deleting_a_delivery_row_drops_its_certificate(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = drafts.people()
    _process, run = in_implementation(world)
    files = {"entregas-0-actaRecepcion": acta(), "entregas-1-actaRecepcion": acta("acta-2.pdf")}
    form_services.stage_draft_save(
        draft=run.stage_draft, data=post(run, two_deliveries()), files=files
    )
    run.stage_draft.refresh_from_db()
    kept = run.stage_draft.values["entregas"][1]["actaRecepcion"]
    data = post(run, run.stage_draft.values)
    data["entregas-0-DELETE"] = "on"
    form_services.stage_draft_save(draft=run.stage_draft, data=data, files={})
    run.stage_draft.refresh_from_db()
    rows = run.stage_draft.values["entregas"]
    assert [row["titulo"] for row in rows] == ["Entrega 2"]
    assert rows[0]["actaRecepcion"] == kept
    assert form_services.draft_file_paths(run.stage_draft) == [
        kept["url"].split(settings.MEDIA_URL, 1)[-1]
    ]
