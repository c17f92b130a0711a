"""Statuses follow the process as the OCDS status codelists describe them (issue 22, item 4):
the tender is «complete» once the fallo is published, «unsuccessful» when declared desierto and
«cancelled» when cancelled; awards and contracts keep their own statuses."""

import orjson
import pytest

from ocds_pages.models import Record
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.processes.test_services import capture_and_approve, new_process
from workflows.base.procedures import Stage
from workflows.processes import process_services

pytestmark = pytest.mark.django_db


def compiled(process) -> dict:
    return orjson.loads(Record.objects.get(ocid=process.ocid).compiled_release)


def publish_stages(world, process, steps):
    for stage, captured in steps:
        if stage != Stage.PLANNING:
            process_services.stage_start(process=process, stage=stage, user=world["capturista"])
        capture_and_approve(world, process, stage, captured)


def test_the_tender_is_complete_after_the_award_and_stays_so():
    world = drafts.people()
    process = new_process(world)
    publish_stages(
        world,
        process,
        [(Stage.PLANNING, values.planning()), (Stage.TENDER, values.tender("direct"))],
    )
    assert compiled(process)["tender"]["status"] == "active"
    publish_stages(world, process, [(Stage.AWARD, values.award())])
    record = compiled(process)
    assert record["tender"]["status"] == "complete"
    assert record["awards"][0]["status"] == "active"
    publish_stages(
        world,
        process,
        [(Stage.CONTRACT, values.contract()), (Stage.IMPLEMENTATION, values.implementation())],
    )
    record = compiled(process)
    assert record["tender"]["status"] == "complete"
    assert record["contracts"][0]["status"] == "active"
    drafts.assert_releases_valid(process.ocid)


@pytest.mark.parametrize(
    ("stage", "status"),
    [(Stage.TENDER_UNSUCCESSFUL, "unsuccessful"), (Stage.TENDER_CANCELLATION, "cancelled")],
)
def test_a_tender_that_ends_without_award_says_how(stage, status):
    world = drafts.people()
    process = new_process(world)
    publish_stages(
        world,
        process,
        [
            (Stage.PLANNING, values.planning()),
            (Stage.TENDER, values.tender("direct")),
            (stage, {"motivo": "Ninguna proposición cumplió los requisitos."}),
        ],
    )
    assert compiled(process)["tender"]["status"] == status
    drafts.assert_releases_valid(process.ocid)
