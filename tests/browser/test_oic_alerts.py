"""The OIC works an integrity alert in a real browser: queue, detail with evidence, lifecycle.

Its screenshot of the alert's history illustrates the «OIC» section of docs/manual-usuario.md (the
queue and the alert's evidence are shot over the demo's cases: tests/browser/test_demo_alerts.py).
"""

import pytest

from cms.models import Membership
from cms.roles import Role
from indicadores.models import Alert, AlertStatus
from indicadores.outcomes import Outcome, OutcomeStatus, Severity
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, make_entity, make_unit, make_user
from tests.indicadores.alert_helpers import compute, sanction, single_bid
from tests.publishing import publish_process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def efos_definitive():
    return Outcome(
        code="MX-EFOS",
        version=1,
        status=OutcomeStatus.FLAGGED,
        severity=Severity.HIGH,
        explanation="El proveedor está en la lista 69-B del SAT como «Definitivo» a la fecha "
        "de la firma.",
        subject="MX-RFC-MME920427EM3",
        evidence={
            "values": {"fecha_firma": "2025-03-20", "situacion_sat": "Definitivo"},
            "thresholds": {"situaciones_que_marcan": ["Presunto", "Definitivo"]},
            "registry": {
                "system": "SAT 69-B",
                "source": "Listado completo del artículo 69-B (SAT)",
                "synced_at": "2025-03-15T05:00:00-06:00",
                "match_kind": "rfc_exact",
                "matched": "MME920427EM3",
                "record_id": "oficio 500-05-2024-1234",
            },
        },
    )


@pytest.fixture
def setting():
    entity = make_entity(key="IMSS", name="Instituto Mexicano del Seguro Social")
    unit = make_unit(entity, key="UC-050GYR047", name="Coordinación de Abastecimiento")
    oic = make_user("oic.imss", first_name="Laura", last_name="Méndez Ríos")
    Membership.objects.create(user=oic, entity=entity, role=Role.OIC)
    colleague = make_user("oic.auditor", first_name="Jorge", last_name="Salas")
    Membership.objects.create(user=colleague, entity=entity, role=Role.OIC)
    first = publish_process(entity, title="Adquisición de medicamentos oncológicos")
    second = publish_process(entity, title="Material de curación", tenderers=1)
    compute(first, entity, unit, sanction(), efos_definitive())
    compute(second, entity, unit, single_bid())
    return entity, Alert.objects.get(ocid=first, code="MX-SANC")


def log_in(page, base, username, next_url):
    page.context.clear_cookies()
    page.goto(f"{base}/admin/login/?next={next_url}")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{base}{next_url}")


def test_the_oic_works_an_alert_from_the_queue(live_server, page, setting):
    _entity, alert = setting
    base = live_server.url
    log_in(page, base, "oic.imss", "/tramite/alertas/")
    # Publishing the processes also ran the real indicators (indicadores.engine), which may add
    # their own findings to the three planted here.
    queue = page.locator('[data-testid="bandeja"]').inner_text()
    for code in ("MX-SANC", "MX-EFOS", "MX-SINGLE-BID"):
        assert code in queue, code
    assert "Alta" in page.locator('[data-testid="bandeja"] tbody tr').first.inner_text()

    page.get_by_label("Severidad").select_option("medium")
    page.get_by_role("button", name="Filtrar").click()
    rows = page.locator('[data-testid="bandeja"] tbody tr')
    assert "MX-SINGLE-BID" in page.locator('[data-testid="bandeja"]').inner_text()
    assert all("Media" in text for text in rows.all_inner_texts())

    page.goto(f"{base}/tramite/alertas/{alert.pk}/")
    evidence = page.locator('[data-testid="evidencia-registry"]')
    assert "PDN S3 servidores sancionados" in evidence.inner_text()
    assert "01/03/2025" in evidence.inner_text()
    page.get_by_role("link", name="Página pública del proceso").wait_for()

    status = page.locator('[data-testid="form-estado"]')
    status.get_by_label("Nuevo estado").select_option(AlertStatus.IN_REVIEW)
    status.get_by_role("button", name="Cambiar estado").click()
    page.locator('[data-testid="form-estado"]').get_by_label("Nuevo estado").select_option(
        AlertStatus.DISMISSED
    )
    page.locator('[data-testid="form-estado"]').get_by_role("button", name="Cambiar estado").click()
    assert "escriba la justificación" in page.locator(".avisos").inner_text()

    assign = page.locator('[data-testid="form-asignar"]')
    assign.get_by_label("Asignar a").select_option(label="Jorge Salas")
    assign.get_by_role("button", name="Asignar").click()
    comment = page.locator('[data-testid="form-comentario"]')
    comment.get_by_label("Comentario").fill("Se pidió a la unidad el acta de fallo.")
    comment.get_by_role("button", name="Comentar").click()
    status = page.locator('[data-testid="form-estado"]')
    status.get_by_label("Nuevo estado").select_option(AlertStatus.CONFIRMED)
    status.get_by_label("Justificación o nota").fill("La sanción estaba vigente al fallo.")
    status.get_by_role("button", name="Cambiar estado").click()
    status = page.locator('[data-testid="form-estado"]')
    status.get_by_label("Nuevo estado").select_option(AlertStatus.REFERRED)
    status.get_by_label("Número de turno").fill("OIC-IMSS/UR/2025/0042")
    status.get_by_role("button", name="Cambiar estado").click()

    history = page.locator('[data-testid="historia"]').inner_text()
    for text in ("Alerta abierta", "Asignación", "Se pidió a la unidad", "OIC-IMSS/UR/2025/0042"):
        assert text in history, text
    alert.refresh_from_db()
    assert alert.status == AlertStatus.REFERRED and alert.assigned_to.username == "oic.auditor"
    page.locator('[data-testid="historia"]').scroll_into_view_if_needed()
    screenshot(page, "oic-alerta-historia")
