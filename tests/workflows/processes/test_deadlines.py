"""Deadline notices from the scheduled command: tender period end, contract end, milestones."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.processes.test_services import capture_and_approve, new_process
from workflows.base.procedures import Stage
from workflows.processes import process_services
from workflows.processes.deadlines import check_deadlines
from workflows.processes.process_models import AuditAction

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


def published(world, process, stages):
    for stage, captured in stages:
        if stage != Stage.PLANNING:
            process_services.stage_start(process=process, stage=stage, user=world["capturista"])
        capture_and_approve(world, process, stage, captured)


def test_tender_period_end_is_noted_once_and_shown_in_the_inbox(client):
    world = drafts.people()
    process = new_process(world, "lp_nacional")
    published(
        world,
        process,
        [(Stage.PLANNING, values.planning()), (Stage.TENDER, values.tender("open"))],
    )
    before = datetime(2026, 2, 10, tzinfo=MX)
    assert check_deadlines(now=before) == []
    after = datetime(2026, 3, 1, tzinfo=MX)
    [notice] = check_deadlines(now=after)
    assert "registre el fallo" in notice.reason
    assert check_deadlines(now=after) == []
    client.force_login(world["capturista"])
    assert "registre el fallo" in client.get("/tramite/").content.decode()


def test_contract_end_and_overdue_milestone():
    world = drafts.people()
    process = new_process(world)
    implementation = values.implementation()
    implementation["entregas"] = [
        {"titulo": "Entrega 1", "fechaCompromiso": "2030-05-01", "estado": "scheduled"}
    ]
    published(
        world,
        process,
        [
            (Stage.PLANNING, values.planning()),
            (Stage.TENDER, values.tender("direct")),
            (Stage.AWARD, values.award()),
            (Stage.CONTRACT, values.contract()),
            (Stage.IMPLEMENTATION, implementation),
        ],
    )
    notices = check_deadlines(now=datetime(2030, 7, 2, tzinfo=MX))
    reasons = " ".join(notice.reason for notice in notices)
    assert "terminó su vigencia" in reasons
    assert "Entrega 1" in reasons and "venció" in reasons
    assert process.audit_entries.filter(action=AuditAction.DEADLINE).count() == 2


def test_command_runs():
    call_command("revisar_plazos")
