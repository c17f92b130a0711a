"""The alerts API: ``GET /api/alertas/`` and ``POST /api/alertas/busqueda`` (docs/api.md §8).

The PDN's shape, as in the S6 (integraciones/s6_views.py): ``{page, pageSize, sort, query}`` in,
``{pagination, results}`` out. OAuth 2.0 Bearer token with scope ``alertas``. Who sees what:

* a token issued to a person (password or authorization-code grant) sees the alerts of the
  entities where that person is OIC (the national administrator, every entity);
* a token of a client alone (client credentials) sees its entity's alerts when an entity
  registered the client, and every entity's when it is a national client.

Errors are JSON ``{code, message}`` in Spanish (cms/api_errors.py); unknown fields are refused,
since a misspelt filter silently ignored would return the wrong alerts.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from oauth2_provider.contrib.rest_framework import OAuth2Authentication, TokenHasScope
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.api_errors import error_response
from cms.api_throttles import API_THROTTLES
from indicadores import selectors
from indicadores.models import Alert, AlertStatus
from indicadores.outcomes import Severity
from indicadores.permissions import oic_alerts
from integraciones.s6_docs import ErrorSerializer, PaginationSerializer

MAX_PAGE_SIZE = 200

# Named once in the schema (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
SORT_DIRECTIONS = [("asc", "asc"), ("desc", "desc")]

# sort key of the API → the model field it orders by
SORT_FIELDS = {
    "severity": "severity_rank",
    "status": "status",
    "code": "code",
    "ocid": "ocid",
    "firstComputedAt": "first_computed_at",
    "lastComputedAt": "last_computed_at",
}


class AlertQuerySerializer(serializers.Serializer):
    entity = serializers.CharField(
        required=False, max_length=50, help_text="Clave del ente (clientes nacionales)."
    )
    unit = serializers.CharField(
        required=False, max_length=50, help_text="Clave de la unidad compradora."
    )
    code = serializers.CharField(
        required=False, max_length=40, help_text="Clave del indicador, p. ej. MX-SANC."
    )
    severity = serializers.ChoiceField(
        choices=Severity.choices, required=False, help_text="Severidad: high, medium o low."
    )
    status = serializers.ChoiceField(
        choices=AlertStatus.choices,
        required=False,
        help_text="Estado: abierta, en_revision, descartada, confirmada o turnada.",
    )
    supplier = serializers.CharField(
        required=False, max_length=200, help_text="Nombre (sin acentos ni mayúsculas) o RFC."
    )
    ocid = serializers.CharField(required=False, max_length=128, help_text="ocid exacto.")
    since = serializers.DateField(
        required=False, help_text="Detectada en o después de esta fecha (AAAA-MM-DD)."
    )
    until = serializers.DateField(
        required=False, help_text="Detectada en o antes de esta fecha (AAAA-MM-DD)."
    )

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["since"] > attrs["until"]:
            raise serializers.ValidationError(
                _("La fecha «since» no puede ser posterior a la fecha «until».")
            )
        return attrs


class AlertSortSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            name: serializers.ChoiceField(
                choices=SORT_DIRECTIONS, required=False, help_text=f"Orden por {name}."
            )
            for name in SORT_FIELDS
        }


class AlertSearchSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1, help_text="Página (desde 1).")
    pageSize = serializers.IntegerField(  # noqa: N815 (the PDN's spelling)
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        default=10,
        help_text=f"Alertas por página (1 a {MAX_PAGE_SIZE}).",
    )
    sort = AlertSortSerializer(
        required=False, help_text="Campo → asc o desc; por omisión, severidad y último cálculo."
    )
    query = AlertQuerySerializer(required=False, help_text="Filtros; se combinan con «y».")


class ResponseRequestSerializer(serializers.Serializer):
    question = serializers.CharField(source="response_question", help_text="Lo que pidió el OIC.")
    deadline = serializers.DateField(source="response_deadline", help_text="Plazo.")
    requestedAt = serializers.DateTimeField(source="response_requested_at")  # noqa: N815
    answer = serializers.CharField(source="response_answer", help_text="Respuesta de la unidad.")
    answeredAt = serializers.DateTimeField(source="responded_at", allow_null=True)  # noqa: N815


class AlertSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    ocid = serializers.CharField()
    entity = serializers.CharField(source="entity.key", help_text="Clave del ente.")
    unit = serializers.CharField(source="unit.key", allow_null=True, default=None)
    code = serializers.CharField(help_text="Clave del indicador.")
    version = serializers.IntegerField(help_text="Versión del indicador del último cálculo.")
    subject = serializers.CharField(help_text="Parte o adjudicación del hallazgo.")
    severity = serializers.CharField()
    status = serializers.CharField()
    explanation = serializers.CharField()
    evidence = serializers.JSONField(help_text="Valores, umbrales y fila del registro.")
    links = serializers.JSONField(help_text="Pares [etiqueta, URL].")
    stillFlagged = serializers.BooleanField(source="still_flagged")  # noqa: N815
    supplier = serializers.CharField(source="supplier_name")
    firstComputedAt = serializers.DateTimeField(source="first_computed_at")  # noqa: N815
    lastComputedAt = serializers.DateTimeField(source="last_computed_at")  # noqa: N815
    assignedTo = serializers.CharField(  # noqa: N815
        source="assigned_to.username", allow_null=True, default=None
    )
    referenceNumber = serializers.CharField(source="reference_number")  # noqa: N815
    responseRequest = serializers.SerializerMethodField()  # noqa: N815

    @extend_schema_field(ResponseRequestSerializer(allow_null=True))
    def get_responseRequest(self, alert):  # noqa: N802 (DRF names it after the field)
        if not alert.response_requested_at:
            return None
        return ResponseRequestSerializer(alert).data


class AlertPageSerializer(serializers.Serializer):
    pagination = PaginationSerializer(help_text="Paginación, como en el S6.")
    results = AlertSerializer(many=True)


class AlertRequestError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def api_alerts(request):
    """The alerts the token may read (see the module docstring)."""
    token = request.auth
    if token.user_id is not None:
        return oic_alerts(token.user)
    entity_id = token.application.entity_id
    alerts = Alert.objects.all()
    return alerts if entity_id is None else alerts.filter(entity_id=entity_id)


def _first_error(errors, prefix="") -> str:
    """DRF's nested error detail as one Spanish sentence naming the field."""
    if isinstance(errors, dict):
        name, detail = next(iter(errors.items()))
        path = prefix if name == "non_field_errors" else f"{prefix}{name}"
        return _first_error(detail, f"{path}." if not isinstance(detail, list) else path)
    if isinstance(errors, list):
        first = errors[0]
        if isinstance(first, dict | list):
            return _first_error(first, prefix)
        return f"{prefix}: {first}" if prefix else str(first)
    return str(errors)


def _unknown_fields(body: dict) -> list[str]:
    allowed = {"page", "pageSize", "sort", "query"}
    unknown = [name for name in body if name not in allowed]
    nested = {"sort": set(SORT_FIELDS), "query": set(AlertQuerySerializer().fields)}
    for name, fields in nested.items():
        if isinstance(body.get(name), dict):
            unknown += [f"{name}.{key}" for key in body[name] if key not in fields]
    return unknown


def read_search(body) -> dict:
    """The request as validated data, or AlertRequestError with a Spanish message."""
    if not isinstance(body, dict):
        raise AlertRequestError(_("El cuerpo de la solicitud debe ser un objeto JSON."))
    unknown = _unknown_fields(body)
    if unknown:
        raise AlertRequestError(
            _("Campo desconocido: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    serializer = AlertSearchSerializer(data=body)
    if not serializer.is_valid():
        raise AlertRequestError(_first_error(serializer.errors))
    return serializer.validated_data


def _query_filters(query: dict) -> dict:
    data = dict(query)
    data["entity_key"] = data.pop("entity", None)
    data["unit_key"] = data.pop("unit", None)
    return data


def _ordering(sort: dict) -> list[str]:
    order = [
        f"{'-' if direction == 'desc' else ''}{SORT_FIELDS[name]}"
        for name, direction in sort.items()
    ]
    return [*order, "severity_rank", "-last_computed_at", "-pk"]


def alert_page(request, search: dict) -> dict:
    alerts = selectors.filtered(api_alerts(request), _query_filters(search.get("query", {})))
    alerts = alerts.annotate(severity_rank=selectors.SEVERITY_RANK).order_by(
        *_ordering(search.get("sort", {}))
    )
    alerts = alerts.select_related("entity", "unit", "assigned_to")
    number, size = search["page"], search["pageSize"]
    rows = list(alerts[(number - 1) * size : number * size])
    total = alerts.count()
    return {
        "pagination": {
            "pageSize": size,
            "page": number,
            "totalRows": total,
            "hasNextPage": number * size < total,
        },
        "results": AlertSerializer(rows, many=True).data,
    }


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Consulta inválida."),
    401: OpenApiResponse(ErrorSerializer, description="Falta el token o no es válido."),
    403: OpenApiResponse(ErrorSerializer, description="Token sin alcance alertas."),
    429: OpenApiResponse(ErrorSerializer, description="Límite de peticiones."),
}

DESCRIPTION = (
    "Alertas de integridad (sanciones, lista 69-B, conflictos de interés y banderas rojas) con su "
    "evidencia y su estado en el ciclo de vida del OIC. Un token emitido a una persona ve las "
    "alertas de los entes donde es OIC; un cliente sin persona (client credentials) ve las de su "
    "ente, o las de todos si es un cliente nacional. Requiere el alcance «alertas»."
)

SEARCH_EXAMPLE = {
    "page": 1,
    "pageSize": 20,
    "sort": {"lastComputedAt": "desc"},
    "query": {"severity": "high", "status": "abierta", "since": "2025-01-01"},
}


class AlertsView(APIView):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [TokenHasScope]
    required_scopes = ["alertas"]
    throttle_classes = API_THROTTLES

    @extend_schema(
        operation_id="alertas_lista",
        summary="Alertas de integridad",
        description=DESCRIPTION
        + " Filtros como parámetros de la consulta; page y pageSize como en el S6.",
        parameters=[
            OpenApiParameter("page", int, description="Página (desde 1)."),
            OpenApiParameter("pageSize", int, description="Alertas por página (1 a 200)."),
            *(
                OpenApiParameter(name, str, description=str(field.help_text))
                for name, field in AlertQuerySerializer().fields.items()
            ),
        ],
        responses={200: AlertPageSerializer, **ERRORS},
        tags=["alertas"],
    )
    def get(self, request):
        params = request.query_params
        query = {name: params[name] for name in params if name not in ("page", "pageSize")}
        body = {"query": query}
        for name in ("page", "pageSize"):
            if name in params:
                body[name] = params[name]
        return self._answer(request, body)

    def _answer(self, request, body):
        try:
            search = read_search(body)
        except AlertRequestError as error:
            return error_response(status.HTTP_400_BAD_REQUEST, error.message)
        return Response(alert_page(request, search))


class AlertSearchView(AlertsView):
    http_method_names = ["post", "options"]

    @extend_schema(
        operation_id="alertas_busqueda",
        summary="Búsqueda de alertas de integridad",
        description=DESCRIPTION + " Cuerpo {page, pageSize, sort, query} como el S6 de la PDN.",
        request=AlertSearchSerializer,
        responses={200: AlertPageSerializer, **ERRORS},
        examples=[OpenApiExample("Búsqueda", value=SEARCH_EXAMPLE, request_only=True)],
        tags=["alertas"],
    )
    def post(self, request):
        return self._answer(request, request.data)
