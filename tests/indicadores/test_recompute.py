"""The full recompute finds the same whatever the number of worker processes (issue 15)."""

import io
import json

import pytest
from django.core.management import call_command

from indicadores import recompute
from indicadores.engine.core import comparable
from indicadores.engine.stats_model import IndicatorStatistic
from indicadores.models import Alert, AlertEvent, Notification
from indicadores.monitoring.models import MonitoredContract
from indicadores.risk.models import ProcessRisk, RiskScore
from ocds_pages.models import Record

# Forked workers read what the test wrote: it must be committed. The rollback puts back the
# shipped forms the flush would remove for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _rows(queryset, *fields, order):
    return [tuple(row) for row in queryset.order_by(*order).values_list(*fields)]


def findings() -> dict:
    """Everything a recompute writes, without keys and times (which differ from run to run)."""
    alerts = [
        (*row[:-1], json.dumps(comparable(row[-1]), sort_keys=True))
        for row in _rows(
            Alert.objects.all(),
            "ocid",
            "code",
            "subject",
            "version",
            "status",
            "severity",
            "explanation",
            "supplier_name",
            "supplier_key",
            "evidence",
            order=("ocid", "code", "subject"),
        )
    ]
    events = _rows(
        AlertEvent.objects.all(),
        "alert__ocid",
        "alert__code",
        "alert__subject",
        "kind",
        "to_status",
        order=("alert__ocid", "alert__code", "alert__subject", "kind"),
    )
    risk = _rows(
        ProcessRisk.objects.all(),
        "ocid",
        "entity_id",
        "unit_id",
        "year",
        "amount",
        "flagged_codes",
        "tally",
        order=("ocid",),
    )
    scores = _rows(
        RiskScore.objects.all(),
        "entity_id",
        "unit_id",
        "year",
        "processes",
        "index",
        "tally",
        order=("entity_id", "unit_id", "year"),
    )
    statistics = _rows(
        IndicatorStatistic.objects.all(),
        "measure",
        "key",
        "sample",
        "values",
        order=("measure", "key"),
    )
    contracts = _rows(
        MonitoredContract.objects.all(),
        "ocid",
        "contract_id",
        "status",
        "days_overdue",
        order=("ocid", "contract_id"),
    )
    notices = sorted(Notification.objects.values_list("recipient_id", "message", "url"))
    return {
        "alerts": alerts,
        "events": events,
        "risk": risk,
        "scores": scores,
        "statistics": statistics,
        "contracts": contracts,
        "notices": notices,
    }


def forget() -> None:
    for model in (Notification, AlertEvent, Alert, RiskScore, ProcessRisk, IndicatorStatistic):
        model.objects.all().delete()


def recomputed(workers: int) -> tuple[dict, dict]:
    out = io.StringIO()
    call_command(
        "calcular_indicadores",
        "--sin-progreso",
        "--json",
        "--trabajadores",
        str(workers),
        stdout=out,
    )
    summary = json.loads(out.getvalue())
    summary.pop("seconds")
    return summary, findings()


def test_workers_find_what_one_process_finds(monkeypatch):
    call_command("instalar_formularios", verbosity=0)
    call_command(
        "generar_datos",
        "--entes",
        "4",
        "--procesos",
        "160",
        "--semilla",
        "5",
        "--trabajadores",
        "1",
        "--sin-progreso",
        stdout=io.StringIO(),
    )
    assert recompute.can_fork()
    # Parts of 25 records: seven parts over two workers, finishing in any order.
    monkeypatch.setattr(recompute, "PART_SIZE", 25)

    alone, found = recomputed(1)
    assert alone["processes"] == Record.objects.count() == 160
    assert any(row["flagged"] for row in alone["indicators"])
    assert found["alerts"] and found["risk"] and found["scores"] and found["statistics"]

    forget()
    shared, found_shared = recomputed(2)
    assert shared == alone
    assert found_shared == found

    # The nightly case: the alerts exist and the same run leaves them as they were.
    again, found_again = recomputed(2)
    assert again == alone
    assert found_again == found
