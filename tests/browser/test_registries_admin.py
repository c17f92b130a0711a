"""The national administrator reads the state of the registry mirrors (screens for the manual)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from devtools.fake_pdn import DEMO_SYSTEMS, FakeRegistryServer
from integraciones.models import RegistryProvider, SyncRun
from integraciones.sync import registries_sync
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Clave-Nacional-2026"


def log_in(page, live_server):
    get_user_model().objects.create_superuser("nacional", "n@ejemplo.gob.mx", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Nombre de usuario").fill("nacional")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(f"{live_server.url}/admin/")


def test_sync_status_screens_show_successes_and_the_last_error(live_server, page):
    # Ephemeral ports: other test runs (or make run's demo fakes) may hold the fixed demo ports.
    servers = [FakeRegistryServer(system=s, version=v, size=12) for s, v in DEMO_SYSTEMS]
    for server in servers:
        server.start()
        name = f"demo-{server.system}-{server.version}"
        RegistryProvider.objects.create(**server.provider_fields(name=name))
    try:
        registries_sync(sleep=lambda seconds: None)
        down = servers[-1]
        down.stop()  # the S3 v2 provider is down on the next run
        registries_sync(sleep=lambda seconds: None)
    finally:
        for server in servers[:-1]:
            server.stop()
    failed = RegistryProvider.objects.get(last_error_at__isnull=False)
    assert SyncRun.objects.filter(provider=failed, status="error").exists()

    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server)
    page.goto(f"{live_server.url}/admin/integraciones/registryprovider/?o=-5")
    body = page.locator("body").inner_text()
    for provider in RegistryProvider.objects.all():
        assert provider.name in body
    assert failed.last_error_message[:30] in body
    assert "mensaje del último error" in body.lower()
    screenshot(page, "registros-proveedores")
    page.goto(f"{live_server.url}/admin/integraciones/syncrun/")
    expect(page.get_by_text("error").first).to_be_visible()
    screenshot(page, "registros-sincronizaciones")
