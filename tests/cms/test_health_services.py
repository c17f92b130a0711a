"""``/salud/`` reports the cache and the job queue besides the database (issue 21)."""

import pytest

from tests.cms.test_jobs_worker import BROKER_URL, redis_answers

pytestmark = pytest.mark.django_db


def test_without_a_broker_the_queue_is_the_process_itself(client, settings):
    settings.CELERY_BROKER_URL = ""

    body = client.get("/salud/").json()

    assert (body["estado"], body["cache"], body["cola"]) == ("ok", "ok", "en el proceso")


def test_an_unreachable_broker_degrades_but_keeps_the_node_in_the_balancer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens

    response = client.get("/salud/")

    assert response.status_code == 200
    assert (response.json()["estado"], response.json()["cola"]) == ("degradado", "error")


@pytest.mark.skipif(not redis_answers(), reason="Redis no responde en 127.0.0.1:6379.")
def test_with_redis_the_shared_cache_and_the_broker_answer(client, settings):
    settings.CELERY_BROKER_URL = BROKER_URL
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": BROKER_URL,
            "KEY_PREFIX": "prueba-salud",
        }
    }

    body = client.get("/salud/").json()

    assert body == {
        "estado": "ok",
        "base_de_datos": "ok",
        "cache": "ok",
        "cola": "ok",
        "motor": body["motor"],
        "cache_motor": "RedisCache",
    }
