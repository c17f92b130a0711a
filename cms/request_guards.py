"""No HTML error pages on the API, and no 500s from input the database cannot take (issue 20,
item 5).

* A NUL character in the path or the query string (``/entes/%00/``, ``?q=%00``) is refused with 400
  before any view runs: PostgreSQL cannot hold it in a text parameter, so every search and lookup
  would otherwise fail with a 500.
* An API body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413, not Django's HTML 400.
* For the API (``/api/``, ``/oauth/``), what escapes a view becomes JSON ``{code, message}``
  (cms.api_errors): a database outage is a 503 with ``Retry-After``, a body too deep to parse a 400.
  The error handlers of cms/urls.py (``bad_request``, ``page_not_found``, ``server_error`` below)
  answer JSON there too, and the Spanish error pages (templates/400.html, 500.html) elsewhere.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from cms.api_errors import error_response

API_PREFIXES = ("/api/", "/oauth/")
DATABASE_RETRY_SECONDS = 30


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIXES)


def _has_nul(request) -> bool:
    if "\x00" in request.path_info:
        return True
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    )


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def bad_request_page(request, message, status=400):
    """The Spanish error page for people; JSON for the API."""
    if is_api(request):
        return error_response(status, message)
    return render(request, "400.html", {"message": message}, status=status)


def too_large():
    return error_response(
        413,
        _("La solicitud excede el tamaño permitido (%(bytes)d bytes).")
        % {"bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
    )


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return bad_request_page(
                request, _("La dirección contiene caracteres nulos (%00), que no se admiten.")
            )
        if (
            is_api(request)
            and not request.content_type.startswith("multipart/")
            and _content_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ):
            return too_large()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_api(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return too_large()
        if isinstance(exception, RecursionError):
            return error_response(400, _("El cuerpo de la solicitud está anidado en exceso."))
        if isinstance(exception, OperationalError | InterfaceError):
            response = error_response(503)
            response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
            return response
        return None


# --- error handlers (cms/urls.py) ------------------------------------------------------------


def bad_request(request, exception):
    if not is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return too_large()
    return error_response(400)


def page_not_found(request, exception):
    if is_api(request):
        return error_response(404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return error_response(500)
    return defaults.server_error(request)


def hidden(request, *args, **kwargs):
    """For URLs a library mounts that an installation must not expose (cms/urls.py)."""
    raise Http404


class StaffNotFoundMiddleware:
    """Staff screens (/tramite/) answer a missing row with the Spanish 404 page, DEBUG or not.

    With DEBUG, Django answers Http404 with its English technical page; staff trying a development
    installation met it whenever a process of another entity answered 404 (cms.tenancy).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if (
            settings.DEBUG
            and isinstance(exception, Http404)
            and request.path_info.startswith(STAFF_PREFIXES)
        ):
            return page_not_found(request, exception)
        return None


STAFF_PREFIXES = ("/tramite/",)
