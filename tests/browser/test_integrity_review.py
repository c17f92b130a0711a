"""An award to a supplier sanctioned in the S3 mirror, in a real browser.

The capturista sees the finding as a warning while capturing; the approver sees it blocking on the
review screen, is refused without a justification and approves with one, which the process page
then shows. The screenshots illustrate the «Capturista» and «Aprobador» sections of
docs/manual-usuario.md. The mirror is synced from the fake PDN server and the findings come from
the indicator engine, as in tests/workflows/processes/test_integrity_e2e.py.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from devtools.fake_pdn import KNOWN, FakeRegistryServer
from integraciones.models import RegistryProvider, SyncRun
from integraciones.sync import registry_sync
from ocds_pages.models import Release
from tests.browser.conftest import screenshot
from tests.browser.test_direct_award_workflow import fill, log_in, open_task
from tests.workflows import form_values as values
from workflows.base.procedures import Stage
from workflows.forms.forms_engine import CaptureContext, data_from_values
from workflows.processes import process_services
from workflows.processes.process_models import IntegrityOverride

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SANCTIONED = KNOWN["s3_company"]
JUSTIFICATION = (
    "Suspensión provisional de la inhabilitación concedida por el juzgado; oficio 45/2026."
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sync_s3():
    with FakeRegistryServer(system="s3", version="v1") as fake:
        provider = RegistryProvider.objects.create(
            **fake.provider_fields(name="S3 Secretaría Anticorrupción (prueba)")
        )
        assert registry_sync(provider=provider).status == SyncRun.Status.OK


def direct_award_with_tender_published():
    """Planning and tender approved through the services; the award is left to the browser."""
    people = get_user_model().objects.in_bulk(
        ["capturista.imss", "aprobador.imss"], field_name="username"
    )
    capturista, aprobador = people["capturista.imss"], people["aprobador.imss"]
    unit = capturista.memberships.exclude(unit=None).first().unit
    process = process_services.process_create(
        user=capturista,
        unit=unit,
        title="Mantenimiento de la red de agua potable",
        main_procurement_category="services",
        procedure_type="adjudicacion_directa",
        fiscal_year=2026,
        budget_lines=[{"id": "35101", "description": "Mantenimiento", "amount": 250000}],
    )
    for stage, typed in (
        (Stage.PLANNING, values.planning()),
        (Stage.TENDER, values.tender("direct")),
    ):
        if stage != Stage.PLANNING:
            process_services.stage_start(process=process, stage=stage, user=capturista)
        run = process.stage_runs.filter(stage=stage).latest("pk")
        assert (
            process_services.capture_submit(
                task=process_services.active_task(run), user=capturista, values=typed
            )
            == []
        )
        process_services.review_approve(task=process_services.active_task(run), user=aprobador)
    process_services.stage_start(process=process, stage=Stage.AWARD, user=capturista)
    return process


def test_approver_sees_the_sanctioned_supplier_and_must_justify(live_server, page):
    call_command("cargar_demo")
    call_command("instalar_formularios")  # a transactional test empties the shipped forms
    sync_s3()
    process = direct_award_with_tender_published()
    base = live_server.url

    # The capturista fills the award and, on saving, sees the finding as a warning.
    log_in(page, base, "capturista.imss")
    run = open_task(page, base, process, "award")
    typed = values.award()
    typed["proveedores"] = [{"nombre": SANCTIONED["name"], "rfc": SANCTIONED["rfc"]}]
    context = CaptureContext(procedure_type="adjudicacion_directa")
    fill(page, data_from_values(run.stage_draft.version, typed, context=context))
    page.get_by_role("button", name="Guardar borrador").click()
    page.wait_for_load_state()
    warning = page.get_by_test_id("hallazgo-MX-SANC")
    warning.scroll_into_view_if_needed()
    assert "Bloquea la aprobación" in warning.inner_text()
    assert "Son avisos" in page.get_by_test_id("hallazgos-integridad").inner_text()
    page.get_by_test_id("hallazgos-integridad").evaluate("e => e.scrollIntoView()")
    screenshot(page, "tramite-captura-hallazgos")
    page.get_by_role("button", name="Enviar a revisión").click()
    page.wait_for_url(f"{base}/tramite/procesos/{process.pk}/")

    # The approver sees it blocking, with the registry row that matched.
    log_in(page, base, "aprobador.imss")
    open_task(page, base, process, "award")
    finding = page.get_by_test_id("hallazgo-MX-SANC")
    text = finding.inner_text()
    for expected in (SANCTIONED["name"], "S3 Secretaría Anticorrupción (prueba)", "RFC idéntico"):
        assert expected in text, expected

    # Approving without a justification publishes nothing and says why.
    published = Release.objects.filter(ocid=process.ocid).count()
    page.get_by_role("button", name="Aprobar y publicar").click()
    page.wait_for_load_state()
    assert "impide aprobar sin una justificación escrita" in page.locator("body").inner_text()
    assert Release.objects.filter(ocid=process.ocid).count() == published

    # With the justification, the award is published and the process page shows it.
    page.get_by_label("Justificación para aprobar a pesar de MX-SANC").fill(JUSTIFICATION)
    page.get_by_role("button", name="Aprobar y publicar").click()
    page.wait_for_url(f"{base}/tramite/procesos/{process.pk}/")
    assert Release.objects.filter(ocid=process.ocid).count() == published + 1
    assert IntegrityOverride.objects.get().justification == JUSTIFICATION
    justified = page.get_by_test_id("hallazgos-justificados")
    assert JUSTIFICATION in justified.inner_text()
    justified.evaluate("e => e.scrollIntoView()")
    screenshot(page, "tramite-proceso-justificacion")
