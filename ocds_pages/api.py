"""The public OCDS API (read-only, no key) under ``/api/ocds/``.

Every answer is an OCDS package at the top level of the JSON (release package or record
package), assembled as bytes around the stored texts, exactly as the 1.1.5 package schemas define
them. Lists page with a keyset cursor in an RFC 8288 ``Link: <…>; rel="next"`` header (a top-level
``links`` is not part of the 1.1.5 package schemas), carry the total in ``X-Total-Count`` and a weak
``ETag``; Django's ``condition()`` answers 304 to a matching ``If-None-Match``. Errors are
``{code, message}`` in Spanish, never a 200.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpResponse, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.urls import Resolver404, resolve
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import condition
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from cms.api_errors import error_response
from cms.api_throttles import API_THROTTLES
from cms.links import absolute_url, request_url
from ocds_pages import api_selectors
from ocds_pages.api_params import (
    BadParameter,
    RecordFilters,
    ReleaseFilters,
    check_known,
    filtered,
    parse_list_request,
)
from ocds_pages.models import Record, Release
from ocds_pages.packages import (
    declared_by,
    iter_record_package,
    iter_release_package,
    package_extensions,
    record_json,
)

JSON = "application/json"


# --- response helpers --------------------------------------------------------------------------


def weak_etag(*parts) -> str:
    digest = hashlib.sha256(orjson.dumps(parts, default=str)).hexdigest()[:32]
    return f'W/"{digest}"'


@dataclass
class Prepared:
    """What a view read to compute its ETag, kept for the view itself; or the error to answer."""

    etag: str | None = None
    error: HttpResponse | None = None
    data: object = None


def conditional(prepare):
    """Django's ``condition()`` with the ETag of ``prepare(request, *args, **kwargs)``.

    ``prepare`` returns a ``Prepared``; the view finds it in ``request.prepared`` instead of reading
    the database again, so a 304 costs only what the ETag needed. No ETag (an error) means no 304.
    """

    def etag(request, *args, **kwargs):
        request.prepared = prepare(request, *args, **kwargs)
        return request.prepared.etag

    return method_decorator(condition(etag_func=etag))


def bad_parameter(error: BadParameter) -> Prepared:
    return Prepared(error=error_response(status.HTTP_400_BAD_REQUEST, error.message))


def json_response(body: bytes, **headers) -> HttpResponse:
    """A JSON answer; ``condition()`` adds its ETag."""
    response = HttpResponse(body, content_type=JSON)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return absolute_url(f"{request.path}?{urlencode(sorted(params.items()))}", request)


def list_headers(total: int, following: str | None) -> dict:
    headers = {"X_Total_Count": str(total)}
    if following:
        headers["Link"] = f'<{following}>; rel="next"'
    return headers


def not_found(request, *args, **kwargs):
    """JSON 404 for unknown /api/ocds/ paths; a GET missing only its final slash is redirected
    (this catch-all would otherwise hide APPEND_SLASH)."""
    if request.method in ("GET", "HEAD") and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "api-ocds-not-found":
            query = f"?{request.META['QUERY_STRING']}" if request.META.get("QUERY_STRING") else ""
            return HttpResponsePermanentRedirect(request.path + "/" + query)
    return error_response(status.HTTP_404_NOT_FOUND)


# --- documentation -------------------------------------------------------------------------------


def _param(name, description, **kwargs):
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description, **kwargs
    )


PAGING_PARAMETERS = [
    _param("cursor", 'Posición opaca; úsela sólo a través del encabezado Link (rel="next").'),
    OpenApiParameter(
        "limit",
        OpenApiTypes.INT,
        OpenApiParameter.QUERY,
        description="Elementos por página (1 a OCDS_API_MAX_PAGE_SIZE; 100 por omisión).",
    ),
]
ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="{code, message}: parámetro inválido."),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="{code, message}: no existe."),
    429: OpenApiResponse(
        OpenApiTypes.OBJECT, description="{code, message}: límite de peticiones; vea Retry-After."
    ),
}


class PublicOcdsView(APIView):
    """Anyone may read; a token, when sent, moves the client to its own rate-limit bucket."""

    authentication_classes = [OAuth2Authentication]
    permission_classes = [AllowAny]
    throttle_classes = API_THROTTLES


class FilteredOcdsView(PublicOcdsView):
    """A list filtered by a FilterSet of api_params. The views call it themselves (they stream
    stored texts, not serializers); ``filter_backends`` and ``queryset`` are here so that
    drf-spectacular documents the FilterSet's parameters (``extend_schema(filters=True)``)."""

    filter_backends = [DjangoFilterBackend]


# --- releases ------------------------------------------------------------------------------------


def _release_page(request) -> Prepared:
    try:
        query = parse_list_request(
            request.GET,
            kind="releases",
            filters_class=ReleaseFilters,
            queryset=api_selectors.visible_releases(),
            cursor_types=(int,),
        )
    except BadParameter as error:
        return bad_parameter(error)
    page = api_selectors.release_page(query)
    following = next_url(request, page.next_cursor)
    etag = weak_etag("releases", [row[0] for row in page.rows], page.total, following)
    return Prepared(etag=etag, data=(page, following))


class ReleaseListView(FilteredOcdsView):
    queryset = Release.objects.none()
    filterset_class = ReleaseFilters

    @extend_schema(
        operation_id="ocds_releases",
        summary="Entregas (releases) publicadas",
        description=(
            "Paquete de entregas (release package) paginado con cursor: siga el encabezado "
            '`Link: <…>; rel="next"` hasta que no aparezca. El orden es el de publicación; '
            "lo publicado durante la paginación "
            "aparece al final, nunca se salta ni se repite. Los cambios de los últimos "
            "OCDS_API_WATERMARK_SECONDS segundos aún no se muestran. Total en `X-Total-Count`."
        ),
        filters=True,
        parameters=PAGING_PARAMETERS,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Paquete de entregas."),
            304: None,
            **ERRORS,
        },
        tags=["OCDS"],
    )
    @conditional(_release_page)
    def get(self, request):
        if request.prepared.error:
            return request.prepared.error
        page, following = request.prepared.data
        package = b"".join(
            iter_release_package(
                releases=(row[1] for row in page.rows),
                uri=request_url(request),
                extensions=package_extensions(row[2] for row in page.rows),
            )
        )
        return json_response(package, **list_headers(page.total, following))


def _one_release(request, ocid, release_id) -> Prepared:
    row = (
        Release.objects.filter(ocid=ocid, release_id=release_id)
        .values_list("pk", "data", "created_at", "extensions")
        .first()
    )
    if row is None:
        return Prepared(
            error=error_response(status.HTTP_404_NOT_FOUND, _("No existe esa entrega."))
        )
    return Prepared(etag=weak_etag("release", row[0]), data=row)


class ReleaseDetailView(PublicOcdsView):
    @extend_schema(
        operation_id="ocds_release",
        summary="Una entrega",
        description="La entrega `release_id` del proceso `ocid`, dentro de un paquete de entregas.",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Paquete con una entrega."),
            304: None,
            **ERRORS,
        },
        tags=["OCDS"],
    )
    @conditional(_one_release)
    def get(self, request, ocid, release_id):
        if request.prepared.error:
            return request.prepared.error
        _pk, text, created_at, extensions = request.prepared.data
        published = created_at.isoformat(timespec="seconds")
        package = iter_release_package(
            releases=[text],
            uri=request_url(request),
            published_date=published,
            extensions=package_extensions([extensions]),
        )
        return json_response(b"".join(package))


def _release_set(request) -> Prepared:
    """The releases of a query; releases are only ever added, so their number and the last one
    identify the set."""
    try:
        check_known(request.GET, set(ReleaseFilters.base_filters))
        queryset = filtered(ReleaseFilters, request.GET, api_selectors.visible_releases())
    except BadParameter as error:
        return bad_parameter(error)
    size = queryset.aggregate(total=Count("pk"), last=Max("pk"))
    etag = weak_etag("release-package", size["total"], size["last"])
    return Prepared(etag=etag, data=(queryset, size["total"]))


class ReleasePackageView(FilteredOcdsView):
    queryset = Release.objects.none()
    filterset_class = ReleaseFilters

    @extend_schema(
        operation_id="ocds_release_package",
        summary="Paquete de entregas de una consulta",
        description=(
            "Todas las entregas que cumplen los filtros en un solo paquete, transmitido por partes "
            "(sin paginación). Si son más de OCDS_API_PACKAGE_MAX_RELEASES, responde 400: use los "
            "archivos masivos de /api/ocds/bulk/ o la lista paginada."
        ),
        filters=True,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Paquete de entregas."),
            304: None,
            **ERRORS,
        },
        tags=["OCDS"],
    )
    @conditional(_release_set)
    def get(self, request):
        if request.prepared.error:
            return request.prepared.error
        queryset, total = request.prepared.data
        if total > settings.OCDS_API_PACKAGE_MAX_RELEASES:
            message = _(
                "La consulta abarca %(total)d entregas (máximo %(max)d en un paquete); "
                "use /api/ocds/bulk/ o la lista paginada /api/ocds/releases/."
            ) % {"total": total, "max": settings.OCDS_API_PACKAGE_MAX_RELEASES}
            return error_response(status.HTTP_400_BAD_REQUEST, message)
        texts = queryset.order_by("pk").values_list("data", flat=True).iterator(2000)
        stream = iter_release_package(
            releases=texts, uri=request_url(request), extensions=declared_by(queryset)
        )
        response = StreamingHttpResponse(stream, content_type=JSON)
        response["X-Total-Count"] = str(total)
        return response


# --- records -------------------------------------------------------------------------------------


def _record_page(request) -> Prepared:
    try:
        query = parse_list_request(
            request.GET,
            kind="records",
            filters_class=RecordFilters,
            queryset=api_selectors.visible_records(),
            cursor_types=(datetime, int),
        )
    except BadParameter as error:
        return bad_parameter(error)
    page = api_selectors.record_page(query)
    following = next_url(request, page.next_cursor)
    etag = weak_etag("records", [(r[0], r[3]) for r in page.rows], page.total, following)
    return Prepared(etag=etag, data=(page, following))


class RecordListView(FilteredOcdsView):
    queryset = Record.objects.none()
    filterset_class = RecordFilters

    @extend_schema(
        operation_id="ocds_records",
        summary="Registros (records) de los procesos",
        description=(
            "Paquete de registros (record package) paginado con cursor, ordenado por la fecha de "
            "la última recompilación: un proceso que cambia durante la paginación vuelve a "
            "aparecer al final con su nueva versión. Cada registro trae sus entregas y el "
            "compiledRelease; el versionedRelease está en /api/ocds/records/{ocid}/."
        ),
        filters=True,
        parameters=PAGING_PARAMETERS,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Paquete de registros."),
            304: None,
            **ERRORS,
        },
        tags=["OCDS"],
    )
    @conditional(_record_page)
    def get(self, request):
        if request.prepared.error:
            return request.prepared.error
        page, following = request.prepared.data
        releases = api_selectors.release_texts_by_ocid([row[1] for row in page.rows])
        records = (
            record_json(
                ocid=ocid, releases=releases.get(ocid, []), compiled=compiled, versioned=None
            )
            for _pk, ocid, compiled, _updated, _extensions in page.rows
        )
        extensions = package_extensions(row[4] for row in page.rows)
        package = b"".join(
            iter_record_package(records=records, uri=request_url(request), extensions=extensions)
        )
        return json_response(package, **list_headers(page.total, following))


def _one_record(request, ocid) -> Prepared:
    row = (
        Record.objects.filter(ocid=ocid)
        .values_list("compiled_release", "versioned_release", "updated_at", "extensions")
        .first()
    )
    if row is None:
        return Prepared(
            error=error_response(status.HTTP_404_NOT_FOUND, _("No existe ese proceso."))
        )
    return Prepared(etag=weak_etag("record", ocid, row[2]), data=row)


class RecordDetailView(PublicOcdsView):
    @extend_schema(
        operation_id="ocds_record",
        summary="El registro de un proceso",
        description=(
            "Paquete de registros con el registro del proceso `ocid`: sus entregas, el "
            "compiledRelease y el versionedRelease (historia de cada campo)."
        ),
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Paquete con un registro."),
            304: None,
            **ERRORS,
        },
        tags=["OCDS"],
    )
    @conditional(_one_record)
    def get(self, request, ocid):
        if request.prepared.error:
            return request.prepared.error
        compiled, versioned, updated_at, extensions = request.prepared.data
        texts = (
            Release.objects.filter(ocid=ocid).order_by("date", "pk").values_list("data", flat=True)
        )
        record = record_json(ocid=ocid, releases=texts, compiled=compiled, versioned=versioned)
        package = iter_record_package(
            records=[record],
            uri=request_url(request),
            published_date=updated_at.isoformat(timespec="seconds"),
            extensions=package_extensions([extensions]),
        )
        return json_response(b"".join(package))
