"""Every API error is JSON ``{code, message}`` with a Spanish message (the PDN's error shape).

Validation errors keep DRF's per-field detail under ``errors`` so clients can show them.
"""

import orjson
from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    status.HTTP_400_BAD_REQUEST: ("solicitud_invalida", lambda: _("La solicitud no es válida.")),
    status.HTTP_401_UNAUTHORIZED: (
        "no_autenticado",
        lambda: _("No tienes permisos: falta el token de acceso o no es válido."),
    ),
    status.HTTP_403_FORBIDDEN: (
        "sin_permiso",
        lambda: _("No tienes permisos para esta operación (revise los alcances del token)."),
    ),
    status.HTTP_404_NOT_FOUND: ("no_encontrado", lambda: _("No se encontró el recurso.")),
    status.HTTP_405_METHOD_NOT_ALLOWED: (
        "metodo_no_permitido",
        lambda: _("Método HTTP no permitido en este recurso."),
    ),
    status.HTTP_406_NOT_ACCEPTABLE: (
        "no_aceptable",
        lambda: _("Formato de respuesta no admitido."),
    ),
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: (
        "solicitud_muy_grande",
        lambda: _("La solicitud excede el tamaño permitido."),
    ),
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: (
        "tipo_no_admitido",
        lambda: _("Tipo de contenido no admitido; envíe JSON."),
    ),
    status.HTTP_429_TOO_MANY_REQUESTS: (
        "demasiadas_solicitudes",
        lambda: _("Demasiadas solicitudes; espere los segundos indicados en Retry-After."),
    ),
    status.HTTP_500_INTERNAL_SERVER_ERROR: (
        "error_interno",
        lambda: _("Ocurrió un error interno; ya quedó registrado. Inténtelo de nuevo más tarde."),
    ),
    status.HTTP_503_SERVICE_UNAVAILABLE: (
        "servicio_no_disponible",
        lambda: _(
            "El servicio no está disponible por el momento; inténtelo de nuevo en los segundos "
            "indicados en Retry-After."
        ),
    ),
}


class BodyRefused(exceptions.ParseError):
    """A malformed body whose Spanish message says exactly why (cms.api_parsers)."""


def error_body(status_code, message=None, **extra):
    code, default = MESSAGES.get(status_code, ("error", lambda: _("Error inesperado.")))
    return {"code": code, "message": message or default(), **extra}


def error_response(status_code, message=None, **extra) -> HttpResponse:
    """The same ``{code, message}`` body, for views that answer with raw bytes (exports)."""
    body = orjson.dumps(error_body(status_code, message, **extra))
    return HttpResponse(body, status=status_code, content_type="application/json")


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    extra = {}
    message = None
    if isinstance(exc, exceptions.ValidationError):
        extra["errors"] = response.data
    elif isinstance(exc, exceptions.Throttled) and exc.wait:
        message = _("Demasiadas solicitudes; intente de nuevo en %(seconds)d segundos.") % {
            "seconds": int(exc.wait)
        }
    elif isinstance(exc, BodyRefused):
        message = str(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        message = _("El cuerpo de la solicitud no es JSON válido.")
    response.data = error_body(response.status_code, message, **extra)
    return response
