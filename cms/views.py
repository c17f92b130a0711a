"""Operational views of the platform shell."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cms import celery_app, jobs


@never_cache
@require_safe
def health(request):
    """``GET /salud/`` for load balancers and monitoring: database, cache and job queue.

    Only the database decides the status code (503 without it): the shared cache or the broker
    failing affects every web worker alike, so taking them all out of the balancer would not help;
    they show as «degradado» for the monitoring to alert.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "error"
    checks = {"base_de_datos": database, "cache": _cache_state(), "cola": _queue_state()}
    status = 200 if database == "ok" else 503
    healthy = all(value in ("ok", "en el proceso") for value in checks.values())
    return JsonResponse(
        {
            "estado": "ok" if healthy else "degradado",
            **checks,
            "motor": connection.vendor,
            "cache_motor": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        },
        status=status,
    )


def _cache_state() -> str:
    key, value = "salud:prueba", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        return "ok" if cache.get(key) == value else "error"
    except Exception:  # any backend error (Redis down, refused…) is what this check reports
        return "error"


def _queue_state() -> str:
    """«en el proceso» without a broker (jobs run in a thread, cms/jobs.py); else a connection."""
    if not jobs.broker_configured():
        return "en el proceso"
    try:
        with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # kombu raises transport-specific errors; all mean «unreachable»
        return "error"
