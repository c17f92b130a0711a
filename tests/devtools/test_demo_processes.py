"""The demo processes go through the real workflow and cover every stage and procedure type."""

import orjson
import pytest
from django.core.management import call_command

from ocds_pages.models import Release
from tests.workflows.drafts import assert_releases_valid
from workflows.base.procedures import ProcedureType
from workflows.processes.process_models import (
    AuditAction,
    AuditEntry,
    ContractingProcess,
    StageProcess,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_demo_processes_cover_every_stage_and_procedure_type():
    call_command("cargar_demo")
    call_command("cargar_demo_procesos")
    processes = ContractingProcess.objects.all()
    assert {p.procedure_type for p in processes} == set(ProcedureType.values)
    published = set(StageProcess.objects.exclude(release_id="").values_list("stage", flat=True))
    assert published == {
        "planning", "tender", "clarificationMeeting", "award", "contract", "implementation",
        "tenderAmendment",
        "tenderCancellation", "tenderUnsuccessful", "awardCancellation", "contractAmendment",
        "contractTermination", "implementationUpdate",
    }  # fmt: skip
    waiting = {
        (run.stage, run.task_set.filter(status__in=["NEW", "ASSIGNED"]).get().flow_task.name)
        for run in StageProcess.objects.filter(finished__isnull=True)
    }
    assert ("tender", "review") in waiting and ("contract", "capture") in waiting
    assert AuditEntry.objects.filter(action=AuditAction.RETURN).exists()
    assert ContractingProcess.objects.filter(replaces__isnull=False).exists()
    for ocid in Release.objects.values_list("ocid", flat=True).distinct():
        assert_releases_valid(ocid)
    direct = set(
        ContractingProcess.objects.filter(procedure_type="adjudicacion_directa").values_list(
            "ocid", flat=True
        )
    )
    awards = [r for r in Release.objects.all() if "award" in r.tags and r.ocid not in direct]
    assert awards
    for release in awards:
        statuses = {bid["status"] for bid in orjson.loads(release.data)["bids"]["details"]}
        assert statuses == {"valid", "disqualified"}
    count = Release.objects.count()
    call_command("cargar_demo_procesos")
    assert Release.objects.count() == count
