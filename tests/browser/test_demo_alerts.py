"""The demo's planted integrity cases in a real browser, as the OIC and the approver meet them.

The demo as ``make run`` leaves it (tests/devtools/demo_run.py): MX-SANC, MX-EFOS, MX-CONFLICT,
MX-ADMAX and MX-FRAC raised by the real engine over processes made through the real workflow and
registries synced from the fakes. The screenshots illustrate the «OIC» and «Aprobador» sections of
docs/manual-usuario.md; every label on them is Spanish, never an evidence code.
"""

import pytest

from devtools.demo_alerts import CASES, CONFLICT, SANCTIONED, planted_process
from devtools.fake_pdn import KNOWN
from indicadores.models import Alert
from tests.browser.conftest import screenshot
from tests.browser.test_direct_award_workflow import log_in, open_task
from tests.devtools.demo_run import run_demo
from workflows.base.procedures import Stage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(1200),  # the whole demo is loaded, synced and computed first
]

# Codes the evidence keeps and the screens must never show.
CODES = ("rfc_exact", "curp_exact", "normalised_name", "s2_intervened", "s1_entity")


def visible_text(page) -> str:
    return page.locator("main").inner_text()


def test_the_oic_and_the_approver_meet_the_demo_cases(live_server, page, settings, tmp_path):
    run_demo(settings, tmp_path, install_forms=True)
    base = live_server.url

    # The OIC's queue, most severe first: every planted case.
    log_in(page, base, "oic.imss")
    page.goto(f"{base}/tramite/alertas/")
    queue = page.get_by_test_id("bandeja").inner_text()
    for case in CASES:
        assert Alert.objects.filter(ocid=planted_process(case).ocid, code=case.code).exists()
        assert case.code in queue, case.code
    page.goto(f"{base}/tramite/alertas/?severity=high")
    queue = page.get_by_test_id("bandeja").inner_text()
    for code in ("MX-SANC", "MX-EFOS", "MX-CONFLICT"):
        assert code in queue, code
    screenshot(page, "oic-bandeja", full_page=True)

    # The conflict's detail: the S2 intervention and the S1 shareholding, named in Spanish.
    conflict = Alert.objects.get(ocid=planted_process(CONFLICT).ocid, code="MX-CONFLICT")
    page.goto(f"{base}/tramite/alertas/{conflict.pk}/")
    evidence = page.get_by_test_id("evidencia").inner_text()
    for text in (
        KNOWN["s1_declarant"]["company"],
        "servidor que intervino en el procedimiento (S2)",
        "S1 (declaraciones)",
        "RFC idéntico",
    ):
        assert text in evidence, text
    shown = visible_text(page)
    for code in CODES:
        assert code not in shown, code
    screenshot(page, "oic-alerta")
    page.set_viewport_size({"width": 1280, "height": 1400})  # the match, its link and its stake
    page.get_by_test_id("evidencia").evaluate("e => e.scrollIntoView()")
    screenshot(page, "oic-alerta-evidencia")
    page.set_viewport_size({"width": 1280, "height": 800})

    # The approver reviews the sanctioned supplier's contract: the finding blocks approval.
    log_in(page, base, "aprobador.imss")
    open_task(page, base, planted_process(SANCTIONED), Stage.CONTRACT)
    finding = page.get_by_test_id("hallazgo-MX-SANC")
    text = finding.inner_text()
    for expected in ("Bloquea la aprobación", KNOWN["s3_company"]["name"], "RFC idéntico"):
        assert expected in text, expected
    panel = page.get_by_test_id("hallazgos-integridad").inner_text()
    for code in CODES:
        assert code not in panel, code
    page.set_viewport_size({"width": 1280, "height": 1500})  # the finding and its justification
    page.get_by_test_id("hallazgos-integridad").evaluate("e => e.scrollIntoView()")
    screenshot(page, "tramite-revision-hallazgos")
