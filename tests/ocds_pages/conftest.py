"""Fixtures of the ocds_pages tests."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    # The public pages cache what they read; the database rolls back after each test, the
    # in-memory cache does not, so each test starts with an empty one.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_dataset(db):
    from tests.ocds_pages.public_data import publish_public_dataset

    return publish_public_dataset()
