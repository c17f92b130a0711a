"""Content-Security-Policy and Permissions-Policy headers (issue 20, item 9; the browser tests in
tests/browser/test_content_security_policy.py show the pages work under them)."""

import pytest

from cms.security_headers import PERMISSIONS, STAFF, STRICT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "policy"),
    [("/api/entes/", STRICT), ("/salud/", STRICT), ("/admin/login/", STAFF)],
)
def test_every_response_carries_its_policy(client, url, policy):
    response = client.get(url)
    assert response["Content-Security-Policy"] == policy
    assert response["Permissions-Policy"] == PERMISSIONS


def test_the_public_policy_allows_no_inline_script_nor_foreign_source():
    directives = dict(part.split(" ", 1) for part in STRICT.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in STRICT


def test_the_policy_can_be_turned_off(client, settings):
    settings.CONTENT_SECURITY_POLICY = False
    assert "Content-Security-Policy" not in client.get("/salud/")
