"""Demo providers pointing at the fake PDN servers of ``manage.py servidores_falsos_pdn``.

``cargar_demo`` can call ``demo_providers_load()``; ``manage.py
cargar_proveedores_demo`` does the same on its own.
"""

from devtools.fake_pdn import DEMO_BASE_PORT, DEMO_SYSTEMS, FakeRegistryServer, demo_port
from integraciones.models import RegistryProvider


def demo_provider_name(*, system: str, version: str) -> str:
    return f"demo-{system}-{version}"


def demo_providers_load(
    *, host: str = "127.0.0.1", base_port: int = DEMO_BASE_PORT
) -> list[RegistryProvider]:
    """Create or update one provider per fake; running it twice changes nothing."""
    providers = []
    for system, version in DEMO_SYSTEMS:
        port = demo_port(system=system, version=version, base_port=base_port)
        # An unstarted fake only lends its configuration; close its socket at once.
        fake = FakeRegistryServer(system=system, version=version, host=host, port=0)
        fake.stop()
        fields = fake.provider_fields(name=demo_provider_name(system=system, version=version))
        url = f"http://{host}:{port}"
        fields.update(
            url=url,
            supplier_name=f"PDN de demostración ({system.upper()} {version})",
        )
        if fields.get("token_url"):
            fields["token_url"] = url + "/oauth/token"
        name = fields.pop("name")
        provider, _created = RegistryProvider.objects.update_or_create(name=name, defaults=fields)
        providers.append(provider)
    return providers
