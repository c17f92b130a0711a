"""End to end: the demo's planted integrity cases reach the OIC's queue and the approver's review,
with the demo as ``make run`` leaves it (tests/devtools/demo_run.py)."""

import pytest

from devtools.demo_alerts import (
    ABOVE_MAXIMUM,
    CONFLICT,
    DEMO_MAXIMA_SOURCE,
    EFOS,
    SANCTIONED,
    SPLIT,
    planted_process,
)
from devtools.demo_entities import DEMO_PASSWORD
from devtools.fake_pdn import KNOWN
from devtools.fake_sat import KNOWN_69B
from indicadores.engine import conf
from indicadores.models import Alert
from tests.devtools.demo_run import run_demo
from workflows.processes import process_services

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def demo(settings, tmp_path):
    """The demo as ``make run`` leaves it, with the registries synced from the fakes."""
    run_demo(settings, tmp_path)


def alert_of(case) -> Alert:
    process = planted_process(case)
    assert process is not None, case.purchase.title
    return Alert.objects.get(ocid=process.ocid, code=case.code, still_flagged=True)


def test_the_planted_cases_are_in_the_oic_queue_with_their_evidence(demo, client):
    sanctioned = alert_of(SANCTIONED)
    assert sanctioned.severity == "high"
    [match] = sanctioned.evidence["matches"]
    assert (match["rfc"], match["match_kind"]) == (KNOWN["s3_company"]["rfc"], "rfc_exact")
    assert match["disqualifications"] == [{"start": "2024-01-15", "end": "2027-01-14"}]

    efos = alert_of(EFOS)
    assert efos.severity == "high"
    [listed] = efos.evidence["matches"]
    assert listed["rfc"] == KNOWN_69B["definitive"]["rfc"]
    assert {status["status"] for status in listed["status_on"]} == {"definitivo"}

    conflict = alert_of(CONFLICT)
    assert conflict.severity == "high"
    [declared] = conflict.evidence["matches"]
    assert declared["rfc"] == KNOWN["s1_declarant"]["rfc"]
    assert declared["participation"]["percentage"] == KNOWN["s1_declarant"]["percentage"]
    link = declared["link"]
    assert link["kind"] == "s2_intervened"
    assert [p["file_number"] for p in link["procedures"]] == [planted_process(CONFLICT).ocid]

    above = alert_of(ABOVE_MAXIMUM)
    assert above.evidence["legal_maximum"] == 636840
    assert above.evidence["legal_maximum_source"] == DEMO_MAXIMA_SOURCE
    assert above.evidence["amount"] == ABOVE_MAXIMUM.purchase.amount
    split = alert_of(SPLIT[1])
    assert len(split.evidence["direct_awards"]) == 2 and split.evidence["total"] == 760000

    # The OIC of the IMSS sees them in the queue, most severe first.
    assert client.login(username="oic.imss", password=DEMO_PASSWORD)
    page = client.get("/tramite/alertas/", {"severity": "high"})
    assert page.status_code == 200
    listed = {(alert.code, alert.ocid) for alert in page.context["page"]}
    for alert in (sanctioned, efos, conflict):
        assert (alert.code, alert.ocid) in listed
    detail = client.get(f"/tramite/alertas/{conflict.pk}/").content.decode()
    assert KNOWN["s1_declarant"]["company"] in detail and planted_process(CONFLICT).ocid in detail

    # The clean demo processes raise none of the high-severity registry findings that block an
    # approval (other indicators may rate something else high, e.g. a contract past its term).
    planted = {planted_process(case).ocid for case in (SANCTIONED, EFOS, CONFLICT)}
    blocking = Alert.objects.filter(severity="high", code__in=conf.blocking_codes())
    assert set(blocking.values_list("ocid", flat=True)) == planted


def test_the_approver_sees_the_sanction_blocking_the_contract(demo, client):
    process = planted_process(SANCTIONED)
    run = process.stage_runs.get(stage="contract")
    [finding] = [f for f in process_services.stage_findings(run) if f.code == "MX-SANC"]
    assert finding.blocking
    assert client.login(username="aprobador.imss", password=DEMO_PASSWORD)
    page = client.get(f"/tramite/tareas/{process_services.active_task(run).pk}/").content.decode()
    panel = page[page.index('data-testid="hallazgos-integridad"') : page.index('id="decision"')]
    assert 'data-testid="hallazgo-MX-SANC"' in panel and "Bloquea la aprobación" in panel
