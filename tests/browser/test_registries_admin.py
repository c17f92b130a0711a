"""The national administrator reads the state of the registry mirrors (screens for the manual)."""

import pytest
from django.contrib.auth import get_user_model

from integraciones.demo import demo_providers_load
from integraciones.fakes import demo_servers
from integraciones.models import RegistryProvider, SyncRun
from integraciones.sync import registries_sync
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE_PORT = 18791  # away from make run's demo ports (8791-8795)
PASSWORD = "Clave-Nacional-2026"


def log_in(page, live_server):
    get_user_model().objects.create_superuser("nacional", "n@ejemplo.gob.mx", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Nombre de usuario").fill("nacional")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def test_sync_status_screens_show_successes_and_the_last_error(live_server, page):
    servers = demo_servers(base_port=BASE_PORT, size=12)
    for server in servers:
        server.start()
    try:
        demo_providers_load(base_port=BASE_PORT)
        registries_sync(sleep=lambda seconds: None)
        down = servers[-1]
        down.stop()  # the S3 v2 provider is down on the next run
        registries_sync(sleep=lambda seconds: None)
    finally:
        for server in servers[:-1]:
            server.stop()
    failed = RegistryProvider.objects.get(last_error_at__isnull=False)
    assert SyncRun.objects.filter(provider=failed, status="error").exists()

    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/integraciones/registryprovider/")
    body = page.locator("body").inner_text()
    for provider in RegistryProvider.objects.all():
        assert provider.name in body
    assert failed.last_error_message[:30] in body
    screenshot(page, "registros-proveedores")
    page.goto(f"{live_server.url}/admin/integraciones/syncrun/")
    assert page.get_by_text("error").first.is_visible()
    screenshot(page, "registros-sincronizaciones")
