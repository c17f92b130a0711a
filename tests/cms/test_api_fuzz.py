"""Fuzzing the JSON APIs against our own OpenAPI schema (issue 20: «no 5xx»).

schemathesis generates requests for every operation of ``/api/schema/`` — valid ones and, in
negative mode, ones that break the schema — and sends them to the WSGI application in this process
(the test database, no network). Every answer must be below 500, and every error of ``/api/`` must
be JSON ``{code, message}`` (docs/api.md §2). Bounded (``FUZZ_EXAMPLES`` per operation) so the
suite stays fast; set ``FUZZ_EXAMPLES`` higher to search longer.
"""

import gzip
import os

import orjson
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from tests.factories import PASSWORD, make_client, make_entity, make_member, make_user

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))


def load_schema():
    import django

    django.setup()
    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


schema = load_schema()
application = WSGIHandler()


@pytest.fixture
def bearer(client):
    """A token with every scope, as the PDN's service user holds one, and an entity to query."""
    make_member("oic", make_entity("FUZZ"), username="persona.fuzz")
    make_client(
        "fuzz", "secreto-fuzz-123", user=make_user("servicio.fuzz"), scopes="read s6 alertas"
    )
    response = client.post(
        "/oauth/token/",
        {
            "grant_type": "password",
            "username": "servicio.fuzz",
            "password": PASSWORD,
            "client_id": "fuzz",
            "client_secret": "secreto-fuzz-123",
            "scope": "read s6 alertas",
        },
    )
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def in_test_transaction():
    """As Django's test client does: a request must not close the test's database connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_answers_5xx_and_errors_are_json(case, bearer, settings, in_test_transaction):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "client": None},
    }
    response = case.call(app=application, headers=bearer)
    where = (
        f"{case.method} {case.formatted_path} {case.query} {case.headers} {str(case.body)[:200]}"
    )
    assert response.status_code < 500, f"{where}: {response.status_code} {response.content[:300]}"
    if response.status_code >= 400 and case.path.startswith("/api/"):
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/json"), f"{where}: {content_type}"
        raw = response.content
        if response.headers.get("content-encoding") == ["gzip"]:
            raw = gzip.decompress(raw)  # the API compresses when the client accepts it
        body = orjson.loads(raw)
        assert body.get("code") and body.get("message"), where
