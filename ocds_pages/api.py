"""The public OCDS API (read-only, no key) under ``/api/ocds/``.

Every answer is an OCDS package at the top level of the JSON (release package or record
package), assembled as bytes around the stored texts. Lists page with a keyset cursor in
``links.next`` (and an RFC 8288 ``Link`` header), carry the total in ``X-Total-Count`` and a weak
``ETag`` (304 on ``If-None-Match``). Errors are ``{code, message}`` in Spanish, never a 200.
"""

import hashlib
from datetime import datetime
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from cms.api_errors import error_response
from cms.api_throttles import API_THROTTLES
from ocds_pages import api_selectors
from ocds_pages.api_params import (
    RELEASE_PARAMS,
    BadParameter,
    check_known,
    parse_filters,
    parse_list_request,
)
from ocds_pages.models import Record, Release
from ocds_pages.packages import iter_record_package, iter_release_package, record_json

JSON = "application/json"


# --- response helpers --------------------------------------------------------------------------


def weak_etag(*parts) -> str:
    digest = hashlib.sha256(orjson.dumps(parts, default=str)).hexdigest()[:32]
    return f'W/"{digest}"'


def not_modified(request, etag: str) -> HttpResponse | None:
    """A 304 when the client already holds this version."""
    held = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in held or "*" in held:
        response = HttpResponse(status=status.HTTP_304_NOT_MODIFIED)
        response["ETag"] = etag
        return response
    return None


def with_links(package: bytes, links: dict) -> bytes:
    """Add ``links`` (OCDS 1.1 paging convention) as the last member of a package."""
    return package[:-1] + b',"links":' + orjson.dumps(links) + b"}"


def json_response(body: bytes, etag: str, **headers) -> HttpResponse:
    response = HttpResponse(body, content_type=JSON)
    response["ETag"] = etag
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(params.items()))}")


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


FILTER_PARAMETERS = [
    _param("ocid", "ocid exacto del proceso."),
    _param("entity", "Clave del ente público comprador (p. ej. IMSS)."),
    _param(
        "procurementMethod",
        "Método de contratación del proceso (open, selective, limited, direct); varios separados "
        "por comas = cualquiera de.",
    ),
    _param("dateFrom", "Desde esta fecha (AAAA-MM-DD o fecha y hora RFC 3339), inclusive."),
    _param("dateTo", "Hasta esta fecha (AAAA-MM-DD: todo ese día), inclusive."),
    _param(
        "since",
        "Fuente de cambios: sólo lo guardado o recompilado desde este momento (RFC 3339).",
    ),
]
PAGING_PARAMETERS = [
    _param("cursor", "Posición opaca; úsela sólo a través de links.next."),
    OpenApiParameter(
        "limit",
        OpenApiTypes.INT,
        OpenApiParameter.QUERY,
        description="Elementos por página (1 a OCDS_API_MAX_PAGE_SIZE; 100 por omisión).",
    ),
]
TAG_PARAMETER = _param(
    "tag", "Etiqueta de la entrega (lista releaseTag); varias separadas por comas = cualquiera de."
)
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


# --- releases ------------------------------------------------------------------------------------


class ReleaseListView(PublicOcdsView):
    @extend_schema(
        operation_id="ocds_releases",
        summary="Entregas (releases) publicadas",
        description=(
            "Paquete de entregas (release package) paginado con cursor: siga `links.next` hasta "
            "que no aparezca. El orden es el de publicación; lo publicado durante la paginación "
            "aparece al final, nunca se salta ni se repite. Los cambios de los últimos "
            "OCDS_API_WATERMARK_SECONDS segundos aún no se muestran. Total en `X-Total-Count`."
        ),
        parameters=[*FILTER_PARAMETERS, TAG_PARAMETER, *PAGING_PARAMETERS],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Paquete de entregas."),
            304: None,
            **ERRORS,
        },
        tags=["OCDS"],
    )
    def get(self, request):
        try:
            query = parse_list_request(
                request.GET, kind="releases", with_tags=True, cursor_types=(int,)
            )
        except BadParameter as error:
            return error_response(status.HTTP_400_BAD_REQUEST, error.message)
        page = api_selectors.release_page(query)
        following = next_url(request, page.next_cursor)
        etag = weak_etag("releases", [pk for pk, _text in page.rows], page.total, following)
        if cached := not_modified(request, etag):
            return cached
        package = b"".join(
            iter_release_package(
                releases=(text for _pk, text in page.rows), uri=request.build_absolute_uri()
            )
        )
        links = {"next": following} if following else {}
        return json_response(
            with_links(package, links), etag, **list_headers(page.total, following)
        )


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
    def get(self, request, ocid, release_id):
        row = (
            Release.objects.filter(ocid=ocid, release_id=release_id)
            .values_list("pk", "data", "created_at")
            .first()
        )
        if row is None:
            return error_response(status.HTTP_404_NOT_FOUND, _("No existe esa entrega."))
        pk, text, created_at = row
        etag = weak_etag("release", pk)
        if cached := not_modified(request, etag):
            return cached
        published = created_at.isoformat(timespec="seconds")
        package = iter_release_package(
            releases=[text], uri=request.build_absolute_uri(), published_date=published
        )
        return json_response(b"".join(package), etag)


class ReleasePackageView(PublicOcdsView):
    @extend_schema(
        operation_id="ocds_release_package",
        summary="Paquete de entregas de una consulta",
        description=(
            "Todas las entregas que cumplen los filtros en un solo paquete, transmitido por partes "
            "(sin paginación). Si son más de OCDS_API_PACKAGE_MAX_RELEASES, responde 400: use los "
            "archivos masivos de /api/ocds/bulk/ o la lista paginada."
        ),
        parameters=[*FILTER_PARAMETERS, TAG_PARAMETER],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Paquete de entregas."),
            **ERRORS,
        },
        tags=["OCDS"],
    )
    def get(self, request):
        try:
            check_known(request.GET, RELEASE_PARAMS)
            filters = parse_filters(request.GET, with_tags=True)
        except BadParameter as error:
            return error_response(status.HTTP_400_BAD_REQUEST, error.message)
        queryset = api_selectors.releases_queryset(filters)
        total = queryset.count()
        if total > settings.OCDS_API_PACKAGE_MAX_RELEASES:
            message = _(
                "La consulta abarca %(total)d entregas (máximo %(max)d en un paquete); "
                "use /api/ocds/bulk/ o la lista paginada /api/ocds/releases/."
            ) % {"total": total, "max": settings.OCDS_API_PACKAGE_MAX_RELEASES}
            return error_response(status.HTTP_400_BAD_REQUEST, message)
        texts = queryset.order_by("pk").values_list("data", flat=True).iterator(2000)
        stream = iter_release_package(releases=texts, uri=request.build_absolute_uri())
        response = StreamingHttpResponse(stream, content_type=JSON)
        response["X-Total-Count"] = str(total)
        return response


# --- records -------------------------------------------------------------------------------------


class RecordListView(PublicOcdsView):
    @extend_schema(
        operation_id="ocds_records",
        summary="Registros (records) de los procesos",
        description=(
            "Paquete de registros (record package) paginado con cursor, ordenado por la fecha de "
            "la última recompilación: un proceso que cambia durante la paginación vuelve a "
            "aparecer al final con su nueva versión. Cada registro trae sus entregas y el "
            "compiledRelease; el versionedRelease está en /api/ocds/records/{ocid}/."
        ),
        parameters=[*FILTER_PARAMETERS, *PAGING_PARAMETERS],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Paquete de registros."),
            304: None,
            **ERRORS,
        },
        tags=["OCDS"],
    )
    def get(self, request):
        try:
            query = parse_list_request(
                request.GET, kind="records", with_tags=False, cursor_types=(datetime, int)
            )
        except BadParameter as error:
            return error_response(status.HTTP_400_BAD_REQUEST, error.message)
        page = api_selectors.record_page(query)
        following = next_url(request, page.next_cursor)
        etag = weak_etag("records", [(r[0], r[3]) for r in page.rows], page.total, following)
        if cached := not_modified(request, etag):
            return cached
        releases = api_selectors.release_texts_by_ocid([row[1] for row in page.rows])
        records = (
            record_json(
                ocid=ocid, releases=releases.get(ocid, []), compiled=compiled, versioned=None
            )
            for _pk, ocid, compiled, _updated in page.rows
        )
        package = b"".join(iter_record_package(records=records, uri=request.build_absolute_uri()))
        links = {"next": following} if following else {}
        return json_response(
            with_links(package, links), etag, **list_headers(page.total, following)
        )


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
    def get(self, request, ocid):
        row = (
            Record.objects.filter(ocid=ocid)
            .values_list("compiled_release", "versioned_release", "updated_at")
            .first()
        )
        if row is None:
            return error_response(status.HTTP_404_NOT_FOUND, _("No existe ese proceso."))
        compiled, versioned, updated_at = row
        etag = weak_etag("record", ocid, updated_at)
        if cached := not_modified(request, etag):
            return cached
        texts = (
            Release.objects.filter(ocid=ocid).order_by("date", "pk").values_list("data", flat=True)
        )
        record = record_json(ocid=ocid, releases=texts, compiled=compiled, versioned=versioned)
        package = iter_record_package(
            records=[record],
            uri=request.build_absolute_uri(),
            published_date=updated_at.isoformat(timespec="seconds"),
        )
        return json_response(b"".join(package), etag)
