"""Fixtures of the S6 tests: published processes and a PDN client with its token."""

import pytest
from django.core.cache import cache

from tests.integraciones.pdn_client import pdn  # noqa: F401 (fixture for every S6 test)


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache; one test's requests must not limit the next one.
    cache.clear()
    yield
    cache.clear()
