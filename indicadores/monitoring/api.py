"""``GET /api/seguimiento/contratos/``: the computed state of every published contract.

Anonymous callers, and tokens with the scope ``read`` alone («leer datos publicados»), get the
published view of every entity (a natural person's RFC is left out: personal data). A token with
the scope ``alertas`` (indicators and integrity alerts, as ``/api/alertas/``) gets the full view of
what it covers (``selectors.for_token``): a person's token, the entities where they hold a role; a
client's, its entity or, for a national client, every entity. Filters ``ente``, ``estado``,
``proveedor`` and ``unidad`` are a django-filter ``FilterSet`` (validation and the OpenAPI schema
come from it); unknown parameters are refused, and every error is JSON ``{code, message}`` in
Spanish (docs/arquitectura.md, decisions 13 and 17).
"""

import django_filters
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.api_errors import error_response
from cms.api_throttles import API_THROTTLES
from indicadores.monitoring import selectors
from indicadores.monitoring.choices import ContractStatus
from indicadores.monitoring.models import MonitoredContract
from integraciones.s6_docs import ErrorSerializer, PaginationSerializer
from ocds_pages.api_params import BadParameter, EntityFilter, ParamFilter, ParamsForm, check_known

MAX_PAGE_SIZE = 200
PAGING = {"page", "pageSize"}
PUBLIC_SCOPE = "read"
FULL_SCOPE = "alertas"


def token_view(request):
    """(refusal, token of the full view): a refusal (401/403 response) or None, and the token
    when it carries the full view (scope ``alertas``), None for the published view."""
    token = request.auth
    if token is None and request.headers.get("Authorization"):
        # A token that does not authenticate must not quietly become the public view: the
        # client would believe it sees its entity's full view.
        return error_response(status.HTTP_401_UNAUTHORIZED), None
    if token is None:
        return None, None
    if token.allow_scopes([FULL_SCOPE]):
        return None, token
    if token.allow_scopes([PUBLIC_SCOPE]):
        return None, None
    return error_response(status.HTTP_403_FORBIDDEN), None


class ContractFilters(django_filters.FilterSet):
    ente = EntityFilter(field_name="entity", help_text="Clave del ente público (p. ej. IMSS).")
    unidad = ParamFilter(field_name="unit__key", help_text="Clave de la unidad compradora.")
    estado = django_filters.ChoiceFilter(
        choices=ContractStatus.choices,
        method="filter_estado",
        help_text="Estado calculado: sobrepagado, pago_adelantado, atrasado, "
        "modificado_excedido, en_riesgo, en_tiempo o concluido. Un contrato con varios "
        "hallazgos aparece con cada uno.",
    )
    proveedor = ParamFilter(
        method="filter_proveedor", help_text="RFC del proveedor o parte de su nombre."
    )

    class Meta:
        model = MonitoredContract
        fields = []
        form = ParamsForm

    def filter_estado(self, queryset, name, value):
        return selectors.with_status(queryset, value)

    def filter_proveedor(self, queryset, name, value):
        return selectors.with_supplier(queryset, value)


class GuaranteeSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Tipo (guaranteeType de EDCA-MX).")
    amount = serializers.FloatField(allow_null=True, help_text="Monto garantizado.")
    guarantor = serializers.CharField(help_text="Afianzadora o institución que la emite.")
    start = serializers.CharField(allow_null=True, help_text="Inicio de vigencia.")
    end = serializers.CharField(allow_null=True, help_text="Fin de vigencia.")


class ContractSerializer(serializers.Serializer):
    ocid = serializers.CharField()
    contractId = serializers.CharField(source="contract_id")  # noqa: N815
    entity = serializers.CharField(source="entity.key", help_text="Clave del ente.")
    unit = serializers.CharField(source="unit.key", allow_null=True, default=None)
    title = serializers.CharField()
    supplier = serializers.CharField(source="supplier_name")
    supplierRfc = serializers.SerializerMethodField(  # noqa: N815
        help_text="RFC del proveedor; vacío en la vista pública si es persona física."
    )
    status = serializers.CharField(help_text="Estado calculado (el más grave).")
    findings = serializers.SerializerMethodField(help_text="Todos los estados que aplican.")
    currency = serializers.CharField()
    originalAmount = serializers.FloatField(source="original_amount", allow_null=True)  # noqa: N815
    amount = serializers.FloatField(allow_null=True, help_text="Monto vigente (con convenios).")
    paid = serializers.FloatField()
    physicalProgress = serializers.FloatField(source="physical", allow_null=True)  # noqa: N815
    financialProgress = serializers.FloatField(source="financial", allow_null=True)  # noqa: N815
    valueIncrease = serializers.FloatField(source="value_increase", allow_null=True)  # noqa: N815
    periodIncrease = serializers.FloatField(source="period_increase", allow_null=True)  # noqa: N815
    amendments = serializers.IntegerField()
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    daysToEnd = serializers.IntegerField(source="days_to_end", allow_null=True)  # noqa: N815
    daysOverdue = serializers.IntegerField(source="days_overdue")  # noqa: N815
    overdueGrade = serializers.CharField(source="overdue_grade")  # noqa: N815
    guaranteeExpiry = serializers.DateField(source="guarantee_expiry", allow_null=True)  # noqa: N815
    guaranteeWarning = serializers.CharField(source="guarantee_warning")  # noqa: N815
    guarantees = serializers.SerializerMethodField()
    penalties = serializers.SerializerMethodField()
    penaltiesAmount = serializers.FloatField(source="penalties_amount")  # noqa: N815
    milestones = serializers.SerializerMethodField()
    assessedOn = serializers.DateField(source="assessed_on")  # noqa: N815

    def get_supplierRfc(self, row) -> str:  # noqa: N802
        full = self.context.get("full")
        return row.supplier_rfc if full or not selectors.is_persona_fisica(row.supplier_rfc) else ""

    def get_findings(self, row) -> list[str]:
        return [status for status, flag in selectors.STATUS_FLAGS.items() if getattr(row, flag)]

    def get_guarantees(self, row) -> list[dict]:
        return GuaranteeSerializer(row.detail.get("guarantees", []), many=True).data

    def get_penalties(self, row) -> list[dict]:
        return row.detail.get("penalties", [])

    def get_milestones(self, row) -> list[dict]:
        return row.detail.get("milestones", [])


class ContractPageSerializer(serializers.Serializer):
    pagination = PaginationSerializer()
    results = ContractSerializer(many=True)


def page_numbers(params) -> tuple[int, int]:
    def number(name, default, maximum=None):
        raw = params.get(name, "").strip() or str(default)
        if not raw.isdigit() or int(raw) < 1 or (maximum and int(raw) > maximum):
            limit = f" (1 a {maximum})" if maximum else ""
            raise BadParameter(
                _("%(name)s debe ser un entero positivo%(limit)s.") % {"name": name, "limit": limit}
            )
        return int(raw)

    return number("page", 1), number("pageSize", 20, MAX_PAGE_SIZE)


def _filtered(params, queryset):
    check_known(params, set(ContractFilters.base_filters) | PAGING)
    filters = ContractFilters(params, queryset=queryset)
    if not filters.is_valid():
        raise BadParameter(next(iter(filters.errors.values()))[0])
    return filters.qs


class ContractsView(APIView):
    """Anonymous or with a token (see the module docstring)."""

    authentication_classes = [OAuth2Authentication]
    permission_classes = [AllowAny]
    throttle_classes = API_THROTTLES
    filter_backends = [DjangoFilterBackend]
    filterset_class = ContractFilters
    queryset = MonitoredContract.objects.none()

    @extend_schema(
        operation_id="seguimiento_contratos",
        summary="Seguimiento de contratos",
        description=(
            "Estado calculado de cada contrato publicado: avance físico y financiero, monto "
            "vigente, días de atraso, garantías y penas. Sin token: lo publicado de todos los "
            "entes (sin el RFC de personas físicas); lo mismo con un token de alcance read. Con "
            "un token de alcance alertas: la vista completa de los entes que cubre."
        ),
        parameters=[
            OpenApiParameter("page", int, description="Página (desde 1)."),
            OpenApiParameter("pageSize", int, description="Contratos por página (1 a 200)."),
        ],
        filters=True,
        responses={
            200: ContractPageSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Parámetro inválido."),
            401: OpenApiResponse(ErrorSerializer, description="Token inválido."),
            403: OpenApiResponse(ErrorSerializer, description="Token sin alcance read ni alertas."),
            429: OpenApiResponse(ErrorSerializer, description="Límite de peticiones."),
        },
        tags=["seguimiento"],
    )
    def get(self, request):
        refusal, token = token_view(request)
        if refusal is not None:
            return refusal
        base = selectors.for_token(token) if token is not None else MonitoredContract.objects
        try:
            contracts = _filtered(request.query_params, base.all())
            number, size = page_numbers(request.query_params)
        except BadParameter as error:
            return error_response(status.HTTP_400_BAD_REQUEST, error.message)
        contracts = contracts.select_related("entity", "unit").order_by("-days_overdue", "pk")
        rows = list(contracts[(number - 1) * size : number * size])
        total = contracts.count()
        context = {"full": token is not None}
        return Response(
            {
                "pagination": {
                    "pageSize": size,
                    "page": number,
                    "totalRows": total,
                    "hasNextPage": number * size < total,
                },
                "results": ContractSerializer(rows, many=True, context=context).data,
            }
        )
