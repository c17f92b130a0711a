"""Brute-force protection on the admin login and on the OAuth password grant."""

import pytest

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
