"""The flow logic through the service functions: a direct award from planning to implementation."""

import orjson
import pytest
from django.core.exceptions import PermissionDenied

from ocds_pages.models import Record, Release
from ocds_pages.publication import ReleaseInvalid
from tests.workflows import drafts
from workflows import process_services as services
from workflows.procedures import Stage
from workflows.process_models import AuditAction, AuditEntry, StageProcess

pytestmark = pytest.mark.django_db


def new_process(world, procedure_type="adjudicacion_directa"):
    return services.process_create(
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


def capture_and_approve(world, process, stage, draft, approver="aprobador"):
    run = run_of(process, stage)
    assert (
        services.capture_submit(
            task=services.active_task(run), user=world["capturista"], draft=draft
        )
        == []
    )
    return services.review_approve(task=services.active_task(run), user=world[approver])


def test_direct_award_from_planning_to_implementation():
    world = drafts.people()
    process = new_process(world)
    steps = [
        (Stage.PLANNING, drafts.planning()),
        (Stage.TENDER, drafts.tender("adjudicacion_directa")),
        (Stage.AWARD, drafts.award("adjudicacion_directa")),
        (Stage.CONTRACT, drafts.contract()),
        (Stage.IMPLEMENTATION, drafts.implementation()),
    ]
    for stage, draft in steps:
        if stage != Stage.PLANNING:
            services.stage_start(process=process, stage=stage, user=world["capturista"])
        capture_and_approve(world, process, stage, draft)
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
    services.capture_submit(
        task=services.active_task(run), user=world["capturista"], draft=drafts.planning()
    )
    with pytest.raises(PermissionDenied):
        services.review_approve(task=services.active_task(run), user=world["capturista"])
    assert not Release.objects.filter(ocid=process.ocid).exists()


def test_return_keeps_draft_and_goes_back_to_submitter():
    world = drafts.people()
    process = new_process(world)
    run = run_of(process, Stage.PLANNING)
    services.capture_submit(
        task=services.active_task(run), user=world["capturista"], draft=drafts.planning()
    )
    services.review_return(
        task=services.active_task(run), user=world["aprobador"], reason="Falta el oficio."
    )
    task = services.active_task(run)
    run.refresh_from_db()
    assert task.flow_task.name == "capture"
    assert task.owner == world["capturista"]
    assert run.draft == drafts.planning()
    assert AuditEntry.objects.filter(action=AuditAction.RETURN, reason="Falta el oficio.").exists()


def test_invalid_release_is_not_published_and_task_stays_open():
    world = drafts.people()
    process = new_process(world)
    run = run_of(process, Stage.PLANNING)
    draft = drafts.planning()
    draft["planning"]["budget"] = {"amount": {"amount": "mucho", "currency": "MXN"}}
    services.capture_submit(task=services.active_task(run), user=world["capturista"], draft=draft)
    with pytest.raises(ReleaseInvalid) as raised:
        services.review_approve(task=services.active_task(run), user=world["aprobador"])
    assert any(i.path.startswith("planning/budget/amount") for i in raised.value.issues)
    assert not Release.objects.filter(ocid=process.ocid).exists()
    assert services.active_task(run).flow_task.name == "review"


def test_bids_become_tenderer_parties_and_a_disqualified_bid_needs_its_reason():
    world = drafts.people()
    process = new_process(world, "lp_nacional")
    for stage, draft in [
        (Stage.PLANNING, drafts.planning()),
        (Stage.TENDER, drafts.tender("lp_nacional")),
    ]:
        if stage != Stage.PLANNING:
            services.stage_start(process=process, stage=stage, user=world["capturista"])
        capture_and_approve(world, process, stage, draft)
    services.stage_start(process=process, stage=Stage.AWARD, user=world["capturista"])
    run = run_of(process, Stage.AWARD)
    award = drafts.award("lp_nacional")
    del award["bids"]["details"][1]["statusDetails"]
    issues = services.capture_submit(
        task=services.active_task(run), user=world["capturista"], draft=award
    )
    assert [issue.path for issue in issues] == ["bids/details/1/statusDetails"]
    capture_and_approve(world, process, Stage.AWARD, drafts.award("lp_nacional"))
    [release] = [
        orjson.loads(r.data) for r in Release.objects.filter(ocid=process.ocid) if "award" in r.tags
    ]
    tenderers = {p["id"] for p in release["parties"] if "tenderer" in p.get("roles", [])}
    assert "MX-RFC-FAR010101AB1" in tenderers
    assert release["bids"]["details"][1]["status"] == "disqualified"
    drafts.assert_releases_valid(process.ocid)
