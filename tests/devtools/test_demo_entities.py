"""cargar_demo: idempotent, and refused in production."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cms.models import Entity, Membership, OAuthClient, PurchasingUnit
from devtools.demo_entities import DEMO_PASSWORD, PDN_CLIENT_ID, PDN_CLIENT_SECRET

pytestmark = pytest.mark.django_db


def counts():
    return (
        Entity.objects.count(),
        PurchasingUnit.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
        OAuthClient.objects.count(),
    )


def test_demo_is_idempotent():
    call_command("cargar_demo")
    first = counts()
    call_command("cargar_demo")
    assert counts() == first
    assert first[0] == 3
    assert Membership.objects.filter(entity__key="IMSS").values("role").distinct().count() == 5


def test_demo_accounts_log_in_and_pdn_client_gets_a_token(client):
    call_command("cargar_demo")
    assert client.login(username="admin_ente.imss", password=DEMO_PASSWORD)
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "password",
            "username": "pdn",
            "password": DEMO_PASSWORD,
            "client_id": PDN_CLIENT_ID,
            "client_secret": PDN_CLIENT_SECRET,
            "scope": "read s6",
        },
    )
    assert response.status_code == 200, response.content


def test_demo_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="no se carga en producción"):
        call_command("cargar_demo")
