"""Fixtures of the S6 tests: published processes and a PDN client with its token."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    # Throttle counters live in the cache; one test's requests must not limit the next one.
    cache.clear()
    yield
    cache.clear()
