"""Shared fixtures of the market research tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    """The API's throttle counts requests in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()
