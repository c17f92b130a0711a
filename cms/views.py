"""Operational views of the platform shell."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health(request):
    """``GET /salud/`` for load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {
            "estado": "ok" if status == 200 else "degradado",
            "base_de_datos": database,
            "motor": connection.vendor,
        },
        status=status,
    )
