"""The demo as ``make run`` leaves it, for the tests that walk it (tests/devtools/, tests/browser/).

In ``make run``'s order: the demo loaders make the processes through the real workflow, the fake
PDN servers (with the planted S2 intervention) and the fake SAT 69-B list are synced and imported
by the real clients and commands, and ``calcular_indicadores`` runs over what was published.
Nothing is stood in for.
"""

from django.core.management import call_command

from devtools.demo_alerts import planted_registry_records
from devtools.demo_providers import demo_provider_name
from devtools.fake_pdn import demo_servers
from devtools.fake_sat import FakeSat69bServer
from integraciones.models import RegistryProvider, SyncRun


def run_demo(settings, media_root, *, install_forms=False) -> None:
    """Load the demo and its alerts; ``install_forms`` for transactional tests, whose flush
    empties the forms the migrations ship."""
    settings.MEDIA_ROOT = media_root
    settings.REGISTROS_BACKOFF_SECONDS = 0.0
    call_command("cargar_demo")
    if install_forms:
        call_command("instalar_formularios")
    call_command("cargar_demo_procesos")
    servers = demo_servers(base_port=0, size=23, planted=planted_registry_records())
    for server in servers:
        server.start()
        name = demo_provider_name(system=server.system, version=server.version)
        RegistryProvider.objects.create(**server.provider_fields(name=name))
    try:
        call_command("sincronizar_registros", "--sin-progreso")
        with FakeSat69bServer() as sat:
            call_command("importar_69b", sat.list_url, "--sin-progreso")
    finally:
        for server in servers:
            server.stop()
    assert set(SyncRun.objects.values_list("status", flat=True)) == {SyncRun.Status.OK}
    call_command("calcular_indicadores", "--sin-progreso")
