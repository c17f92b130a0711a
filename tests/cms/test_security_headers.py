"""Content-Security-Policy and Permissions-Policy headers (issue 20, item 9; the browser tests in
tests/browser/test_content_security_policy.py show the pages work under them)."""

import re

import pytest

from cms.models import OAuthClient
from cms.security_headers import PERMISSIONS, STRICT
from tests.factories import make_client, make_entity, make_member, make_user

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", re.S)


def directives(policy):
    return dict(part.split(" ", 1) for part in policy.split("; "))


def script_nonce(response):
    """The nonce the response's policy allows, after checking it allows nothing inline else."""
    script_src = directives(response["Content-Security-Policy"])["script-src"]
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    sources = script_src.split()
    assert sources[0] == "'self'" and len(sources) == 2, script_src
    return re.fullmatch(r"'nonce-([A-Za-z0-9_-]{22})'", sources[1]).group(1)


def assert_inline_scripts_carry(response, nonce):
    scripts = INLINE_SCRIPT.findall(response.content.decode())
    assert all(f'nonce="{nonce}"' in attributes for attributes in scripts), scripts
    return len(scripts)


@pytest.fixture
def superuser(client):
    user = make_user("raiz", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def test_wagtail_admin_allows_only_its_own_and_nonced_scripts(client, superuser):
    # The home, the users' list (Wagtail's date filter widgets), a page editor (date-time widgets)
    # and the new-workflow form (an inline panel and page and task choosers).
    counts = {}
    for url in ("/admin/", "/admin/users/", "/admin/pages/3/edit/", "/admin/workflows/add/"):
        response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = assert_inline_scripts_carry(response, script_nonce(response))
    assert counts["/admin/users/"] >= 2 and counts["/admin/workflows/add/"] >= 3, counts


def test_capture_screens_allow_only_their_own_and_nonced_scripts(client):
    client.force_login(make_member("capturista", make_entity("CSP")))
    for url in ("/tramite/", "/tramite/procesos/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inline_scripts_carry(response, script_nonce(response))


def test_api_docs_load_the_swagger_start_up_script_from_the_site(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert assert_inline_scripts_carry(response, script_nonce(response)) == 0
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_oauth_consent_page_allows_no_inline_script(client):
    make_client(
        "app-csp",
        grant=OAuthClient.GRANT_AUTHORIZATION_CODE,
        pdn=False,
        redirect_uris="https://app.example.org/callback",
        scopes="read",
    )
    client.force_login(make_member("oic", make_entity("CSPO")))
    response = client.get(
        "/oauth/authorize/",
        {
            "response_type": "code",
            "client_id": "app-csp",
            "scope": "read",
            "redirect_uri": "https://app.example.org/callback",
            # PKCE is required of every client (docs/api.md §1).
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
        },
    )
    assert response.status_code == 200
    assert_inline_scripts_carry(response, script_nonce(response))
    # The consent's answer redirects to the registered callback, which the form must reach.
    policy = directives(response["Content-Security-Policy"])
    assert policy["form-action"] == "'self' https://app.example.org"


def test_every_staff_response_draws_a_new_nonce(client):
    nonces = {script_nonce(client.get("/admin/login/")) for _ in range(3)}
    assert len(nonces) == 3


@pytest.mark.parametrize("url", ["/api/entes/", "/salud/"])
def test_public_responses_carry_the_strict_policy(client, url):
    response = client.get(url)
    assert response["Content-Security-Policy"] == STRICT
    assert response["Permissions-Policy"] == PERMISSIONS


def test_the_public_policy_allows_no_inline_script_nor_foreign_source():
    policy = directives(STRICT)
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in STRICT and "nonce" not in STRICT


def test_the_policy_can_be_turned_off(client, settings):
    settings.CONTENT_SECURITY_POLICY = False
    assert "Content-Security-Policy" not in client.get("/salud/")
