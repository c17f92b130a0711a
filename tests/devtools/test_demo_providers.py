"""The demo: fake servers from the command, demo providers, a sync against them."""

import threading

import pytest
from django.core.management import call_command

from devtools.demo_providers import demo_providers_load
from devtools.fake_pdn import demo_servers
from integraciones.models import RegistryProvider, SyncRun
from integraciones.sync import registries_sync

# The registry tests' tiny timeouts and pages, as when this file lived beside them.
from tests.integraciones.registros.conftest import fast_sync_settings  # noqa: F401

pytestmark = pytest.mark.django_db


def test_demo_providers_are_registered_once_per_system_and_version():
    demo_providers_load()
    demo_providers_load()

    assert RegistryProvider.objects.filter(name__startswith="demo-").count() == 5
    s1 = RegistryProvider.objects.get(name="demo-s1-v2")
    assert s1.url == "http://127.0.0.1:8791"
    assert s1.token_url == "http://127.0.0.1:8791/oauth/token"
    assert s1.scope == "read:declaraciones"
    assert RegistryProvider.objects.get(name="demo-s3-v2").token


def test_every_demo_provider_syncs_against_the_demo_servers():
    servers = [server.start() for server in demo_servers(base_port=0, size=6)]
    try:
        for server in servers:
            provider_name = f"demo-{server.system}-{server.version}"
            RegistryProvider.objects.create(**server.provider_fields(name=provider_name))
        runs = registries_sync()
    finally:
        for server in servers:
            server.stop()

    assert [run.status for run in runs] == [SyncRun.Status.OK] * 5


def test_the_fake_servers_command_prints_where_they_listen(capsys):
    worker = threading.Thread(
        target=call_command,
        args=("servidores_falsos_pdn", "--puerto-base", "0", "--duracion", "0.2"),
    )
    worker.start()
    worker.join(timeout=10)

    out = capsys.readouterr().out
    assert out.count("http://127.0.0.1:") == 6  # five PDN fakes and SAT's 69-B list
    assert "/Listado_Completo_69-B.csv" in out
    assert "cargar_proveedores_demo" in out


def test_the_demo_providers_command(capsys):
    call_command("cargar_proveedores_demo", "--puerto-base", "9791")

    assert "5 proveedores" in capsys.readouterr().out
    assert RegistryProvider.objects.get(name="demo-s2-v1").url == "http://127.0.0.1:9792"
