"""An entity's administrator starts the indicator recompute with the whole comparison, from
«Trabajos», and follows it to its result (screen for the manual, «Trabajos»)."""

import pytest
from playwright.sync_api import expect

from cms.models import Job
from cms.roles import Role
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, make_entity, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_broker(settings, tmp_path):
    settings.CELERY_BROKER_URL = ""  # the job runs in a thread of the live server
    settings.JOBS_PROGRESS_SECONDS = 0
    settings.JOBS_FILES_DIR = tmp_path / "trabajos"


def test_the_entity_admin_recomputes_comparing_everything(live_server, page):
    entity = make_entity("IMSS")
    make_member(Role.ADMIN_ENTE, entity, username="admin.imss")
    base = live_server.url
    page.goto(f"{base}/admin/login/?next=/admin/trabajos/")
    page.get_by_label("Nombre de usuario").fill("admin.imss")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{base}/admin/trabajos/")

    page.goto(f"{base}/admin/trabajos/nuevo/calcular_indicadores/")
    # Their only entity comes chosen; the whole comparison does not.
    expect(page.get_by_label("Ente")).to_have_value(str(entity.pk))
    checkbox = page.get_by_label("Comparar todo y rehacer todos los agregados")
    expect(checkbox).not_to_be_checked()
    expect(page.get_by_text("Úselo si duda de una cifra del tablero")).to_be_visible()
    checkbox.check()
    screenshot(page, "trabajo-calcular-indicadores")
    page.get_by_role("button", name="Iniciar").click()

    # The page follows the job by itself (cms/static/cms/jobs.js) and shows its result.
    expect(page.locator("[data-job-state]")).to_have_text("Terminado", timeout=30_000)
    expect(page.get_by_text("Procesos evaluados: 0")).to_be_visible()
    job = Job.objects.get()
    assert job.entity == entity and job.parameters["rehacer_agregados"] is True
    assert job.status == Job.Status.DONE
