"""Brute-force protection on the admin login and on the OAuth password grant."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import LoginThrottle
from tests.factories import PASSWORD, make_client, make_entity, make_member, make_user

pytestmark = pytest.mark.django_db


def admin_login(client, username, password):
    return client.post("/admin/login/", {"username": username, "password": password})


def test_admin_login_locks_after_repeated_failures_with_spanish_message(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = make_member("oic", make_entity("BLOQ"))
    for _ in range(3):
        response = admin_login(client, user.username, "equivocada")
        assert response.status_code == 200
    # Even the right password is refused while locked.
    response = admin_login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_success_before_the_limit_resets_the_counter(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = make_member("oic", make_entity("RESET"))
    admin_login(client, user.username, "equivocada")
    admin_login(client, user.username, "equivocada")
    response = admin_login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert not LoginThrottle.objects.filter(key=f"usuario:{user.username}").exists()


def test_lock_expires(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    user = make_member("oic", make_entity("EXPIRA"))
    admin_login(client, user.username, "x")
    admin_login(client, user.username, "x")
    LoginThrottle.objects.update(locked_until=None)
    assert admin_login(client, user.username, PASSWORD).status_code == 302


def test_oauth_password_grant_is_throttled_too(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    user = make_user("pdn")
    make_client("pdn", "secreto-de-prueba-123", user=user)
    body = {
        "grant_type": "password",
        "username": "pdn",
        "client_id": "pdn",
        "client_secret": "secreto-de-prueba-123",
        "scope": "read",
    }
    for _ in range(2):
        client.post("/oauth/token/", {**body, "password": "equivocada"})
    response = client.post("/oauth/token/", {**body, "password": PASSWORD})
    assert response.status_code == 400
    assert "Demasiados intentos fallidos" in response.json()["message"]


# --- issue 20, item 1: one person's failures never lock anyone else out ------------------------


def test_failures_of_one_user_never_block_another_user_from_the_same_address(client):
    entity = make_entity("MISMAIP")
    victim, colleague = make_member("oic", entity), make_member("oic", entity)
    for _ in range(12):  # past both limits (5 per address, 10 per account)
        admin_login(client, victim.username, "equivocada")
    response = admin_login(client, colleague.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_behind_the_proxy_each_client_is_counted_on_its_own_address(client, settings):
    # Every request reaches Django from the proxy (10.0.0.1); the proxy appends the client's
    # address to X-Forwarded-For, after whatever the client wrote there itself.
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_member("oic", make_entity("PROXY"))
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(5):
        client.post(
            "/admin/login/",
            {"username": user.username, "password": "equivocada"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9",  # spoofed prefix, then real
            **proxy,
        )
    assert LoginThrottle.objects.filter(
        key=f"par:203.0.113.9|{user.username}", locked_until__isnull=False
    ).exists()
    response = client.post(
        "/admin/login/",
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.44",
        **proxy,
    )
    assert response.status_code == 302  # the owner, elsewhere, still logs in


def test_without_trusted_proxy_a_spoofed_header_does_not_escape_the_lock(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = make_member("oic", make_entity("SPOOF"))
    for n in range(3):
        client.post(
            "/admin/login/",
            {"username": user.username, "password": "equivocada"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        "/admin/login/",
        {"username": user.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert response.status_code == 200
    assert "Demasiados intentos fallidos" in response.content.decode()


def test_guessing_one_account_from_many_addresses_meets_growing_delays(client, settings):
    settings.LOGIN_ACCOUNT_FAILURE_LIMIT = 4
    settings.LOGIN_ACCOUNT_MAX_DELAY_SECONDS = 8
    user = make_member("oic", make_entity("DISTRIB"))
    key = f"usuario:{user.username}"
    delays = []
    for n in range(8):
        client.post(
            "/admin/login/",
            {"username": user.username, "password": "equivocada"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
        row = LoginThrottle.objects.get(key=key)
        if row.locked_until:
            delays.append(round((row.locked_until - row.last_failure_at).total_seconds()))
            LoginThrottle.objects.filter(key=key).update(locked_until=None)  # time passes
    assert delays == [1, 2, 4, 8, 8]
    LoginThrottle.objects.filter(key=key).update(locked_until=timezone.now() + timedelta(seconds=8))
    refused = client.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.99"
    )
    assert "espere 8 segundos" in refused.content.decode()
    LoginThrottle.objects.filter(key=key).update(locked_until=None)
    accepted = client.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="192.0.2.99"
    )
    assert accepted.status_code == 302
    assert not LoginThrottle.objects.filter(key=key).exists()


def test_pdn_password_grant_survives_a_lockout_attempt_from_the_same_proxy(client, settings):
    # Anyone behind the same proxy address failing the PDN's username does not stop the PDN.
    pdn = make_user("pdn")
    make_client("pdn", "secreto-de-prueba-123", user=pdn)
    body = {
        "grant_type": "password",
        "client_id": "pdn",
        "client_secret": "secreto-de-prueba-123",
        "scope": "read",
    }
    for _ in range(6):
        client.post("/oauth/token/", {**body, "username": "otra.persona", "password": "x"})
    response = client.post("/oauth/token/", {**body, "username": "pdn", "password": PASSWORD})
    assert response.status_code == 200, response.content
