"""The PDN's Sistema 6 endpoints (docs/api.md §4): ``POST /api/s6/contrataciones-abiertas`` and
the 2025 variant ``POST /api/s6/v1/records``.

OAuth 2.0 Bearer token with scope ``s6`` (the PDN obtains it with the password grant and Basic
header, docs/api.md §4.1). The response bytes are assembled around the stored JSON texts: the PDN's
client gives up after 4 seconds, and re-serialising 200 releases would spend most of them.
"""

import orjson
from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication, TokenHasScope
from rest_framework import status
from rest_framework.views import APIView

from cms.api_errors import error_response
from cms.api_throttles import API_THROTTLES
from integraciones import s6_docs
from integraciones.s6_request import (
    S6RequestError,
    read_contrataciones_request,
    read_records_request,
)
from integraciones.s6_selectors import Page, contrataciones_page, records_page

JSON = "application/json"


def not_found(request, *args, **kwargs):
    return error_response(status.HTTP_404_NOT_FOUND)


def paginated_response(*, page: Page, number: int, size: int) -> HttpResponse:
    """``{"pagination": {...}, "results": [<stored texts>]}`` without parsing the texts.

    The spec's 200 schema is ``allOf[paginatedResult, {pagination, results}]``: it requires the
    four pagination fields at the top level *and* the nested ``pagination`` object that SESNA's
    implementations and the PDN's client use (docs/api.md §4.1). Both are sent, so the
    response validates against the letter of the spec and works with the PDN's client.
    """
    pagination = {
        "pageSize": size,
        "page": number,
        "totalRows": page.total,
        "hasNextPage": number * size < page.total,
    }
    texts = (text.encode() if isinstance(text, str) else text for text in page.texts)
    body = b"".join(
        [
            orjson.dumps({**pagination, "pagination": pagination})[:-1],
            b',"results":[',
            b",".join(texts),
            b"]}",
        ]
    )
    return HttpResponse(body, content_type=JSON)


class S6View(APIView):
    """Common part: token with scope s6, per-client throttle, body size limit, JSON errors."""

    authentication_classes = [OAuth2Authentication]
    permission_classes = [TokenHasScope]
    required_scopes = ["s6"]
    throttle_classes = API_THROTTLES

    read_request = None
    select_page = None

    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.S6_MAX_BODY_BYTES:
            message = _("La consulta excede %(bytes)d bytes.") % {
                "bytes": settings.S6_MAX_BODY_BYTES
            }
            return error_response(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, message)
        try:
            query = type(self).read_request(request.body)
        except S6RequestError as error:
            return error_response(status.HTTP_400_BAD_REQUEST, error.message)
        page = type(self).select_page(query)
        return paginated_response(page=page, number=query.page, size=query.page_size)


class ContratacionesAbiertasView(S6View):
    read_request = read_contrataciones_request
    select_page = contrataciones_page

    @extend_schema(
        operation_id="s6_contrataciones_abiertas",
        summary="Sistema 6 de la PDN: contrataciones abiertas",
        description=s6_docs.CONTRATACIONES_DESCRIPTION,
        request=s6_docs.contrataciones_request(),
        responses={
            200: s6_docs.ContratacionesResponseSerializer,
            400: OpenApiResponse(s6_docs.ErrorSerializer, description="Página o cuerpo inválido."),
            401: OpenApiResponse(s6_docs.ErrorSerializer, description="No tienes permisos."),
            403: OpenApiResponse(s6_docs.ErrorSerializer, description="Token sin alcance s6."),
            413: OpenApiResponse(s6_docs.ErrorSerializer, description="Cuerpo demasiado grande."),
            429: OpenApiResponse(s6_docs.ErrorSerializer, description="Límite de peticiones."),
        },
        examples=[OpenApiExample("Búsqueda", value=s6_docs.CONTRATACIONES_EXAMPLE)],
        tags=["PDN Sistema 6"],
    )
    def post(self, request):
        return super().post(request)


class RecordsView(S6View):
    read_request = read_records_request
    select_page = records_page

    @extend_schema(
        operation_id="s6_v1_records",
        summary="Sistema 6 de la PDN (variante 2025): registros OCDS",
        description=s6_docs.RECORDS_DESCRIPTION,
        request=s6_docs.records_request(),
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="{pagination, results}: results son registros OCDS (records).",
            ),
            400: OpenApiResponse(s6_docs.ErrorSerializer, description="Cuerpo inválido."),
            401: OpenApiResponse(s6_docs.ErrorSerializer, description="No tienes permisos."),
            403: OpenApiResponse(s6_docs.ErrorSerializer, description="Token sin alcance s6."),
            413: OpenApiResponse(s6_docs.ErrorSerializer, description="Cuerpo demasiado grande."),
            429: OpenApiResponse(s6_docs.ErrorSerializer, description="Límite de peticiones."),
        },
        examples=[OpenApiExample("Búsqueda", value=s6_docs.RECORDS_EXAMPLE)],
        tags=["PDN Sistema 6"],
    )
    def post(self, request):
        return super().post(request)
