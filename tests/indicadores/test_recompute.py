"""The full recompute finds the same whatever the number of worker processes (issue 15)."""

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from indicadores.engine.core import comparable
from indicadores.engine.stats_model import IndicatorStatistic
from indicadores.models import Alert, AlertEvent, Notification
from indicadores.monitoring.models import MonitoredContract, MonitoredEvent
from indicadores.risk.models import ProcessRisk, RiskCut, RiskScore, SupplierRisk
from ocds_pages.models import Record

# The recompute runs in a process of its own, as `manage.py calcular_indicadores` does in
# production: its forked workers must not inherit the test runner's threads and connections
# (pytest-xdist's, a live server's). So what the test wrote must be committed. No
# serialized_rollback (as tests/devtools/test_bench_escala.py): after another transactional
# test's flush it loads rows that post_migrate already put back; the test installs its forms.
pytestmark = pytest.mark.django_db(transaction=True)


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
    # Every column of the monitored contracts and their events, the risk cuts and the suppliers'
    # rows: a nightly run keeps the rows that did not change (monitoring.store.refresh,
    # risk.services.apply) and must leave them as a rewrite would have.
    skipped = {"id", "record", "assessed_on"}
    columns = [f.attname for f in MonitoredContract._meta.concrete_fields if f.name not in skipped]
    contracts = [
        (*row[:-1], json.dumps(row[-1], sort_keys=True))
        for row in _rows(
            MonitoredContract.objects.all(),
            *[c for c in columns if c != "detail"],
            "detail",
            order=("ocid", "contract_id", "pk"),
        )
    ]
    contract_events = _rows(
        MonitoredEvent.objects.all(),
        "contract__ocid",
        "contract__contract_id",
        "kind",
        "date",
        "amount",
        order=("contract__ocid", "contract__contract_id", "pk"),
    )
    cuts = _rows(
        RiskCut.objects.all(),
        "entity_id",
        "unit_id",
        "year",
        "procurement_method",
        "category",
        "processes",
        "index",
        "tally",
        order=("entity_id", "unit_id", "year", "procurement_method", "category"),
    )
    suppliers = _rows(
        SupplierRisk.objects.all(),
        "process__ocid",
        "party_id",
        "name",
        "identifier",
        "amount",
        "flagged_codes",
        order=("process__ocid", "party_id", "name", "identifier"),
    )
    notices = sorted(Notification.objects.values_list("recipient_id", "message", "url"))
    return {
        "alerts": alerts,
        "events": events,
        "risk": risk,
        "scores": scores,
        "statistics": statistics,
        "contracts": contracts,
        "contract_events": contract_events,
        "cuts": cuts,
        "suppliers": suppliers,
        "notices": notices,
    }


def forget() -> None:
    for model in (Notification, AlertEvent, Alert, RiskScore, ProcessRisk, IndicatorStatistic):
        model.objects.all().delete()


ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, for a process started from the test."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or "5432"
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def recomputed(workers: int, *extra: str) -> tuple[dict, dict]:
    """`calcular_indicadores` in a new process; parts of 25 records, so that 160 records make
    seven parts that two workers finish in any order."""
    env = {**os.environ, "DATABASE_URL": database_url()}
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "calcular_indicadores",
            "--sin-progreso",
            "--json",
            "--trabajadores",
            str(workers),
            "--tamano-parte",
            "25",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    summary.pop("seconds")
    return summary, findings()


def test_workers_find_what_one_process_finds():
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

    alone, found = recomputed(1)
    assert alone["processes"] == Record.objects.count() == 160
    assert any(row["flagged"] for row in alone["indicators"])
    assert found["alerts"] and found["risk"] and found["scores"] and found["statistics"]

    forget()
    shared, found_shared = recomputed(2)
    assert shared == alone
    assert found_shared == found

    # The nightly case: the alerts exist and the same run leaves them as they were. The rows a
    # night finds as it would write them are kept (a contract's day renewed); one that went
    # stale (its digests no longer those of what would be written) is written again.
    assert "" not in set(ProcessRisk.objects.values_list("digest", flat=True))
    assert "" not in set(MonitoredContract.objects.values_list("digest", flat=True))
    stale = MonitoredContract.objects.order_by("pk").first()
    kept = MonitoredContract.objects.exclude(ocid=stale.ocid).order_by("pk").first()
    MonitoredContract.objects.update(assessed_on=F("assessed_on") - datetime.timedelta(days=1))
    MonitoredContract.objects.filter(pk=stale.pk).update(days_overdue=999, detail={}, digest="x")
    risky = ProcessRisk.objects.order_by("pk").first()
    ProcessRisk.objects.filter(pk=risky.pk).update(
        tally={"n": [7]}, flagged_codes=" X ", digest="", inputs=""
    )
    untouched = RiskScore.objects.exclude(entity_id=risky.entity_id)
    kept_scores = set(untouched.values_list("pk", flat=True))
    repeated = ProcessRisk.objects.exclude(pk=risky.pk).order_by("pk").first()
    again, found_again = recomputed(2)
    # A repeated process row is not written, not even its date (it says when it last changed).
    assert ProcessRisk.objects.get(pk=repeated.pk).computed_at == repeated.computed_at
    assert ProcessRisk.objects.get(pk=risky.pk).computed_at > risky.computed_at
    assert again == alone
    assert found_again == found
    # Only the entity whose process row changed had its aggregates rebuilt (new rows); the
    # others' rows are the ones the first run wrote.
    assert set(untouched.values_list("pk", flat=True)) == kept_scores
    assert RiskScore.objects.filter(entity_id=risky.entity_id).exists()
    assert MonitoredContract.objects.filter(pk=kept.pk).exists()
    assert not MonitoredContract.objects.filter(pk=stale.pk).exists()
    days = set(MonitoredContract.objects.values_list("assessed_on", flat=True))
    assert days == {timezone.localdate()}


def test_rebuild_of_every_aggregate_on_request():
    """``--rehacer-agregados`` compares every stored row whole instead of trusting its digest,
    and rewrites every aggregate from the process rows, even where no process changed (an
    administrator who doubts a sum, or rows edited by hand)."""
    call_command("instalar_formularios", verbosity=0)
    call_command(
        "generar_datos",
        "--entes",
        "3",
        "--procesos",
        "60",
        "--semilla",
        "3",
        "--trabajadores",
        "1",
        "--sin-progreso",
        stdout=io.StringIO(),
    )
    recomputed(1)
    found = findings()
    score = RiskScore.objects.order_by("pk").first()
    RiskScore.objects.filter(pk=score.pk).update(tally={"n": [999]}, processes=999)
    # Rows edited behind their digest's back: a night trusts the digest.
    risky = ProcessRisk.objects.order_by("pk").first()
    ProcessRisk.objects.filter(pk=risky.pk).update(flagged_codes=" X ")
    contract = MonitoredContract.objects.order_by("pk").first()
    MonitoredContract.objects.filter(pk=contract.pk).update(days_overdue=999)

    recomputed(1)  # nothing changed: the doubtful sum and rows stay as they are
    assert RiskScore.objects.get(pk=score.pk).processes == 999
    assert ProcessRisk.objects.get(pk=risky.pk).flagged_codes == " X "
    assert MonitoredContract.objects.get(pk=contract.pk).days_overdue == 999

    # A contract row left for a process that has no contract: the whole comparison removes it.
    bare = Record.objects.exclude(ocid__in=MonitoredContract.objects.values("ocid")).first()
    stale = MonitoredContract.objects.get(pk=contract.pk)
    stale.pk, stale.ocid, stale.record_id = None, bare.ocid, bare.pk
    stale.entity_id, stale.unit_id = bare.entity_id, bare.unit_id
    stale.save()

    recomputed(1, "--rehacer-agregados")
    assert not MonitoredContract.objects.filter(ocid=bare.ocid).exists()
    assert not RiskScore.objects.filter(processes=999).exists()
    assert not ProcessRisk.objects.filter(flagged_codes=" X ").exists()
    assert not MonitoredContract.objects.filter(days_overdue=999).exists()
    assert findings() == found
