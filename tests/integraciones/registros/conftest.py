"""Registry tests (issue 9): tiny timeouts, no backoff sleep, fake PDN servers on loopback."""

import pytest

from devtools.fake_pdn import FakeRegistryServer
from integraciones.models import RegistryProvider


@pytest.fixture(autouse=True)
def fast_sync_settings(settings):
    settings.REGISTROS_TOKEN_TIMEOUT = 1.0
    settings.REGISTROS_DATA_TIMEOUT = 1.0
    settings.REGISTROS_MAX_RETRIES = 2
    settings.REGISTROS_BACKOFF_SECONDS = 0.0
    settings.REGISTROS_BACKOFF_MAX_SECONDS = 0.0
    settings.REGISTROS_MAX_PAGES = 50
    settings.REGISTROS_PAGE_SIZE = 5
    return settings


@pytest.fixture
def make_fake():
    """Start a fake PDN server; every one started is stopped at the end of the test."""
    started = []

    def make(system: str, version: str, **kwargs) -> FakeRegistryServer:
        fake = FakeRegistryServer(system=system, version=version, **kwargs).start()
        started.append(fake)
        return fake

    yield make
    for fake in started:
        fake.stop()


@pytest.fixture
def make_provider():
    def make(fake: FakeRegistryServer, **overrides) -> RegistryProvider:
        name = overrides.pop("name", f"{fake.system}-{fake.version}-prueba")
        return RegistryProvider.objects.create(**fake.provider_fields(name=name, **overrides))

    return make
