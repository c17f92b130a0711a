"""The PDN's client as docs/api.md §1.1 describes it: a token from our /oauth/token/ with the form
body AND the Basic header, then Bearer on the data POST."""

import base64

import pytest

from tests.factories import PASSWORD, make_client, make_user


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def pdn_token(client, scope="s6") -> str:
    """Exactly what the PDN's client sends (docs/api.md §1.1): form body and Basic header."""
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "password",
            "username": "pdn",
            "password": PASSWORD,
            "client_id": "pdn",
            "client_secret": "secreto-de-la-pdn",
            "scope": scope,
        },
        HTTP_AUTHORIZATION=basic("pdn", "secreto-de-la-pdn"),
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def pdn(client):
    """A PDN OAuth client (password grant, scopes read and s6) and its user."""
    make_client("pdn", "secreto-de-la-pdn", user=make_user("pdn"), scopes="read s6", pdn=True)
    return client
