"""The flow logic through the service functions: a direct award from planning to implementation."""

import orjson
import pytest
from django.core.exceptions import PermissionDenied

from ocds_pages.models import Record, Release
from ocds_pages.publication import ReleaseInvalid
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.factories import edit_spec, entity_copy, make_editor, publish
from workflows.base.procedures import Stage
from workflows.processes import process_services
from workflows.processes.process_models import AuditAction, AuditEntry, StageProcess

pytestmark = pytest.mark.django_db


def new_process(world, procedure_type="adjudicacion_directa"):
    return process_services.process_create(
        user=world["capturista"],
        unit=world["unit"],
        title="Paracetamol para unidades médicas",
        description="Compra consolidada de analgésicos.",
        main_procurement_category="goods",
        procedure_type=procedure_type,
        fiscal_year=2026,
        budget_lines=[{"id": "25301", "description": "Medicinas", "amount": 250000}],
    )


def run_of(process, stage):
    return StageProcess.objects.filter(contracting_process=process, stage=stage).latest("pk")


def capture_and_approve(world, process, stage, captured, approver="aprobador"):
    run = run_of(process, stage)
    assert (
        process_services.capture_submit(
            task=process_services.active_task(run), user=world["capturista"], values=captured
        )
        == []
    )
    return process_services.review_approve(
        task=process_services.active_task(run), user=world[approver]
    )


def test_direct_award_from_planning_to_implementation():
    world = drafts.people()
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
    releases = Release.objects.filter(ocid=process.ocid).order_by("date", "pk")
    assert [r.tags for r in releases] == [
        [t] for t in ["planning", "tender", "award", "contract", "implementation"]
    ]
    drafts.assert_releases_valid(process.ocid)
    compiled = orjson.loads(Record.objects.get(ocid=process.ocid).compiled_release)
    assert compiled["tender"]["procurementMethod"] == "direct"
    assert compiled["contracts"][0]["awardID"] == compiled["awards"][0]["id"]


def test_submitter_cannot_approve_own_capture():
    world = drafts.people()
    process = new_process(world)
    run = run_of(process, Stage.PLANNING)
    process_services.capture_submit(
        task=process_services.active_task(run), user=world["capturista"], values=values.planning()
    )
    with pytest.raises(PermissionDenied):
        process_services.review_approve(
            task=process_services.active_task(run), user=world["capturista"]
        )
    assert not Release.objects.filter(ocid=process.ocid).exists()


def test_return_keeps_draft_and_goes_back_to_submitter():
    world = drafts.people()
    process = new_process(world)
    run = run_of(process, Stage.PLANNING)
    process_services.capture_submit(
        task=process_services.active_task(run), user=world["capturista"], values=values.planning()
    )
    process_services.review_return(
        task=process_services.active_task(run), user=world["aprobador"], reason="Falta el oficio."
    )
    task = process_services.active_task(run)
    run.refresh_from_db()
    assert task.flow_task.name == "capture"
    assert task.owner == world["capturista"]
    kept = run.stage_draft.values
    assert all(kept[key] == value for key, value in values.planning().items())
    assert AuditEntry.objects.filter(action=AuditAction.RETURN, reason="Falta el oficio.").exists()


def _budget_as_text(spec):
    """A form the safety checks would refuse: the budget amount typed as free text."""
    budget = next(item for item in spec["fields"] if item["key"] == "montoPresupuesto")
    budget.update(field_type="text", ocds_path="planning/budget/amount/amount")


def test_invalid_release_is_not_published_and_task_stays_open():
    world = drafts.people()
    editor = make_editor(world["entity"])
    definition = entity_copy(world["entity"], "planning", "", user=editor)
    edit_spec(definition, _budget_as_text)
    publish(definition, user=editor)
    process = new_process(world)
    run = run_of(process, Stage.PLANNING)
    captured = {**values.planning(), "montoPresupuesto": "mucho"}
    process_services.capture_submit(
        task=process_services.active_task(run), user=world["capturista"], values=captured
    )
    with pytest.raises(ReleaseInvalid) as raised:
        process_services.review_approve(
            task=process_services.active_task(run), user=world["aprobador"]
        )
    assert any(i.path.startswith("planning/budget/amount") for i in raised.value.issues)
    assert not Release.objects.filter(ocid=process.ocid).exists()
    assert process_services.active_task(run).flow_task.name == "review"


def test_bids_become_tenderer_parties_and_a_disqualified_bid_needs_its_reason():
    world = drafts.people()
    process = new_process(world, "lp_nacional")
    for stage, captured in [
        (Stage.PLANNING, values.planning()),
        (Stage.TENDER, values.tender("open")),
    ]:
        if stage != Stage.PLANNING:
            process_services.stage_start(process=process, stage=stage, user=world["capturista"])
        capture_and_approve(world, process, stage, captured)
    process_services.stage_start(process=process, stage=Stage.AWARD, user=world["capturista"])
    run = run_of(process, Stage.AWARD)
    bids = values.bids()
    bids[1]["motivo"] = ""
    issues = process_services.capture_submit(
        task=process_services.active_task(run), user=world["capturista"], values=values.award(bids)
    )
    assert [issue.path for issue in issues] == ["bids/details/1/statusDetails"]
    capture_and_approve(world, process, Stage.AWARD, values.award(values.bids()))
    [release] = [
        orjson.loads(r.data) for r in Release.objects.filter(ocid=process.ocid) if "award" in r.tags
    ]
    tenderers = {p["id"] for p in release["parties"] if "tenderer" in p.get("roles", [])}
    assert "MX-RFC-FAR010101AB1" in tenderers
    assert release["bids"]["details"][1]["status"] == "disqualified"
    drafts.assert_releases_valid(process.ocid)
