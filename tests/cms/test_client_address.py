"""The client address behind trusted proxies, and the API's anonymous limit that uses it."""

import uuid

import pytest
from django.test import RequestFactory

from cms.client_address import client_address

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "198.51.100.7", "10.0.0.1"),  # no proxy: the header is not read at all
        (1, "", "10.0.0.1"),  # the proxy always sets it; missing means a direct request
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # what the client wrote is ignored
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # fewer entries than hops: the first one
        (1, "no-es-una-ip", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_believes_only_the_trusted_hops(settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.fixture
def tight_anonymous_limit(settings):
    from django.core.cache import cache

    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "3/min",
        },
    }
    yield
    cache.clear()


@pytest.mark.parametrize("url", ["/api/ocds/releases/", "/api/v2/pages/"])
def test_anonymous_limit_is_not_bypassed_with_spoofed_forwarded_for(
    client, tight_anonymous_limit, url
):
    codes = [
        client.get(url, HTTP_X_FORWARDED_FOR=str(uuid.uuid4())[:8]).status_code for _ in range(6)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429, 429]


def test_behind_the_proxy_each_client_has_its_own_anonymous_bucket(
    client, settings, tight_anonymous_limit
):
    settings.TRUSTED_PROXY_COUNT = 1
    url = "/api/ocds/releases/"
    for _ in range(3):
        client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    spoofing = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    assert spoofing.status_code == 429
    assert spoofing.json()["code"] == "demasiadas_solicitudes"
    other = client.get(url, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 200
