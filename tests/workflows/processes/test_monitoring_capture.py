"""The capture side of contract monitoring (issue 19): the contract administrator's monthly update
records milestones, payments with the CFDI folio, penalties and the guarantee's validity, each
approved like any stage, and monitoring reads them from the published record."""

from decimal import Decimal

import orjson
import pytest

from indicadores.models import MonitoredContract
from ocds_pages.models import Record
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.processes.test_services import capture_and_approve, new_process
from workflows.base.procedures import Stage
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
