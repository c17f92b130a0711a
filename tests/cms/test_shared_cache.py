"""Two web worker processes on one Redis cache (REDIS_URL): what one process learns, all know.

Two gunicorn servers run the project against the test database and the same Redis database; the
test process shares that cache too. A publication here starts a new generation of S6 totals
(integraciones/s6_counts.py) that both servers see on their next query, although each had cached
the old total for minutes; and an anonymous rate limit counts the requests of both servers
together. With per-process caches (the default) both checks fail: each server keeps its own total
and its own count. Skipped without Redis.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import orjson
import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.db import connection

from tests.cms.test_jobs_worker import REDIS_DB, database_url, redis_answers
from tests.factories import PASSWORD, make_client, make_user
from tests.integraciones.pdn_client import basic
from tests.ocds_pages.factories import make_entity
from tests.publishing import publish_process

REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
ANON_LIMIT = 4

pytestmark = [
    pytest.mark.skipif(not redis_answers(), reason="Redis no responde en 127.0.0.1:6379."),
    pytest.mark.django_db(transaction=True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, process, log) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn terminó al arrancar:\n{log.read_text()}")
        try:
            if requests.get(f"{base}/salud/", timeout=30).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still loading Django
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn no respondió:\n{log.read_text()}")


@pytest.fixture
def shared_cache(settings):
    """This process's cache is the servers' cache: same Redis database, same key prefix."""
    prefix = f"prueba-{uuid.uuid4().hex[:10]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    cache.clear()


@pytest.fixture
def servers(shared_cache, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DEBUG": "0",
        "DATABASE_URL": database_url(connection.settings_dict),
        "DB_CONN_MAX_AGE": "0",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": shared_cache,
        # Long enough that a total cached before the publication would still be served.
        "S6_COUNT_CACHE_SECONDS": "600",
        "API_THROTTLE_ANON": f"{ANON_LIMIT}/min",
    }
    started = []
    try:
        for name in ("a", "b"):
            port, log = free_port(), tmp_path / f"gunicorn-{name}.log"
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--error-logfile",
                str(log),
            ]
            process = subprocess.Popen(
                command,
                cwd=django_settings.BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            started.append(process)
            wait_until_up(f"http://127.0.0.1:{port}", process, log)
            started[-1].base = f"http://127.0.0.1:{port}"
        yield [process.base for process in started]
    finally:
        for process in started:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def pdn_client(user):
    """The PDN's client and user, with hashes the servers can check: this process hashes with
    MD5 to go fast (tests/conftest.py), the servers know only the production hashers."""
    client = make_client("pdn", "secreto-de-la-pdn", user=user, scopes="read s6", pdn=True)
    hasher = PBKDF2PasswordHasher()
    type(client).objects.filter(pk=client.pk).update(
        client_secret=hasher.encode("secreto-de-la-pdn", hasher.salt())
    )
    type(user).objects.filter(pk=user.pk).update(password=hasher.encode(PASSWORD, hasher.salt()))


def s6_total(base: str, token: str) -> int:
    response = requests.post(
        f"{base}/api/s6/contrataciones-abiertas",
        data=orjson.dumps({"page": 1, "pageSize": 10}),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["pagination"]["totalRows"]


def test_a_publication_is_seen_by_the_other_workers_next_s6_total(servers):
    first, second = servers
    entity = make_entity()
    publish_process(entity)
    publish_process(entity)
    pdn_client(make_user("pdn"))
    token = requests.post(
        f"{first}/oauth/token/",
        data={
            "grant_type": "password",
            "username": "pdn",
            "password": PASSWORD,
            "scope": "s6",
        },
        headers={"Authorization": basic("pdn", "secreto-de-la-pdn")},
        timeout=30,
    ).json()["access_token"]
    assert (s6_total(first, token), s6_total(second, token)) == (2, 2)  # both cached «2»

    publish_process(entity)  # in this process: release_published starts a new generation

    assert (s6_total(second, token), s6_total(first, token)) == (3, 3)


def test_an_anonymous_rate_limit_holds_across_both_workers(servers):
    statuses = [
        requests.get(f"{servers[n % 2]}/api/ocds/releases/", timeout=30).status_code
        for n in range(ANON_LIMIT + 2)
    ]

    assert statuses == [200] * ANON_LIMIT + [429, 429]
