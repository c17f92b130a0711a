"""``GET /api/seguimiento/entes/``: the monitoring portfolio of each entity, in figures.

Per entity: its contracts by computed status, the contracts with each finding, the overdue ones
(and their largest delay), and the amounts (amended value, paid, penalties, value of the overdue
contracts) per currency — money of different currencies is never added together. Every figure is
made of published contracts, so anonymous callers (and ``read`` tokens) get every entity; a token
with the scope ``alertas`` gets the entities it covers, as in ``/api/seguimiento/contratos/``
(``api.token_view``). Two aggregate queries per page, whatever the number of contracts.
"""

import django_filters
from django.db.models import Count, Max, Q, Sum
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.api_errors import error_response
from cms.api_throttles import API_THROTTLES
from cms.models import Entity
from indicadores.monitoring import selectors
from indicadores.monitoring.api import (
    PAGING,
    page_numbers,
    token_view,
)
from indicadores.monitoring.choices import PRECEDENCE
from indicadores.monitoring.models import MonitoredContract
from integraciones.s6_docs import ErrorSerializer, PaginationSerializer
from ocds_pages.api_params import BadParameter, EntityFilter, ParamsForm, check_known

# API name → the flag of the finding (a contract with several findings counts in each).
FINDINGS = {
    "overdue": "overdue",
    "atRisk": "at_risk",
    "paidAhead": "paid_ahead",
    "overpaid": "overpaid",
    "overAmended": "over_amended",
}


class EntityFilters(django_filters.FilterSet):
    ente = EntityFilter(field_name="entity", help_text="Clave del ente público (p. ej. IMSS).")

    class Meta:
        model = MonitoredContract
        fields = []
        form = ParamsForm


class ByStatusSerializer(serializers.Serializer):
    """Contracts by headline status (the most serious of their findings)."""

    def get_fields(self):
        return {
            # Plain strings: the enum members would reach the OpenAPI document as objects.
            status.value: serializers.IntegerField(
                help_text=f"Contratos con estado «{status.label}» ({status.value})."
            )
            for status in PRECEDENCE
        }


class FindingsSerializer(serializers.Serializer):
    overdue = serializers.IntegerField(help_text="Con atraso (entrega vencida o fin pasado).")
    atRisk = serializers.IntegerField(help_text="En riesgo.")  # noqa: N815
    paidAhead = serializers.IntegerField(help_text="Pagados antes de las entregas.")  # noqa: N815
    overpaid = serializers.IntegerField(help_text="Pagados por encima del monto vigente.")
    overAmended = serializers.IntegerField(  # noqa: N815
        help_text="Modificados más allá del 20 % (LAASSP art. 52)."
    )


class AmountsSerializer(serializers.Serializer):
    currency = serializers.CharField(help_text="Moneda (ISO 4217).")
    contracts = serializers.IntegerField(help_text="Contratos en esta moneda.")
    amount = serializers.FloatField(help_text="Suma de los montos vigentes (con convenios).")
    paid = serializers.FloatField(help_text="Suma de lo pagado.")
    penalties = serializers.FloatField(help_text="Suma de penas convencionales y deducciones.")
    overdueAmount = serializers.FloatField(  # noqa: N815
        help_text="Monto vigente de los contratos con atraso."
    )


class EntityPortfolioSerializer(serializers.Serializer):
    entity = serializers.CharField(help_text="Clave del ente.")
    name = serializers.CharField(help_text="Nombre del ente.")
    contracts = serializers.IntegerField(help_text="Contratos en seguimiento.")
    byStatus = ByStatusSerializer(help_text="Contratos por estado calculado.")  # noqa: N815
    findings = FindingsSerializer(help_text="Contratos con cada hallazgo.")
    maxDaysOverdue = serializers.IntegerField(  # noqa: N815
        help_text="Días del mayor atraso entre sus contratos."
    )
    amounts = AmountsSerializer(many=True, help_text="Montos por moneda.")


class EntityPageSerializer(serializers.Serializer):
    pagination = PaginationSerializer()
    results = EntityPortfolioSerializer(many=True)


def _entity_rows(contracts):
    counts = {f"n_{status}": Count("pk", filter=Q(status=status)) for status in PRECEDENCE}
    findings = {name: Count("pk", filter=Q(**{flag: True})) for name, flag in FINDINGS.items()}
    return (
        contracts.values("entity")
        .annotate(total=Count("pk"), max_days=Max("days_overdue"), **counts, **findings)
        .order_by("entity__key")
    )


def _amounts(contracts, entity_ids) -> dict[int, list[dict]]:
    rows = (
        contracts.filter(entity_id__in=entity_ids)
        .values("entity", "currency")
        .annotate(
            n=Count("pk"),
            value=Sum("amount"),
            paid_sum=Sum("paid"),
            penalties=Sum("penalties_amount"),
            overdue_value=Sum("amount", filter=Q(overdue=True)),
        )
        .order_by("entity", "currency")
    )
    found: dict[int, list[dict]] = {}
    for row in rows:
        found.setdefault(row["entity"], []).append(
            {
                "currency": row["currency"],
                "contracts": row["n"],
                "amount": float(row["value"] or 0),
                "paid": float(row["paid_sum"] or 0),
                "penalties": float(row["penalties"] or 0),
                "overdueAmount": float(row["overdue_value"] or 0),
            }
        )
    return found


def entity_portfolios(contracts, number: int, size: int) -> tuple[list[dict], int]:
    """(one page of entity portfolios, number of entities) for ``contracts``."""
    grouped = _entity_rows(contracts)
    total = contracts.values("entity").distinct().count()
    rows = list(grouped[(number - 1) * size : number * size])
    ids = [row["entity"] for row in rows]
    entities = {
        pk: (key, name)
        for pk, key, name in Entity.objects.filter(pk__in=ids).values_list("pk", "key", "name")
    }
    amounts = _amounts(contracts, ids)
    return [
        {
            "entity": entities[row["entity"]][0],
            "name": entities[row["entity"]][1],
            "contracts": row["total"],
            "byStatus": {status.value: row[f"n_{status}"] for status in PRECEDENCE},
            "findings": {name: row[name] for name in FINDINGS},
            "maxDaysOverdue": row["max_days"] or 0,
            "amounts": amounts.get(row["entity"], []),
        }
        for row in rows
    ], total


class EntitiesView(APIView):
    """Anonymous or with a token (see the module docstring)."""

    authentication_classes = [OAuth2Authentication]
    permission_classes = [AllowAny]
    throttle_classes = API_THROTTLES
    filter_backends = [DjangoFilterBackend]
    filterset_class = EntityFilters
    queryset = MonitoredContract.objects.none()

    @extend_schema(
        operation_id="seguimiento_entes",
        summary="Seguimiento de contratos por ente",
        description=(
            "Por ente: contratos por estado calculado, contratos con cada hallazgo, el mayor "
            "atraso y los montos por moneda (vigente, pagado, penas y monto de los contratos con "
            "atraso). Sólo cifras de contratos publicados: sin token (o con alcance read), todos "
            "los entes; con un token de alcance alertas, los entes que cubre."
        ),
        parameters=[
            OpenApiParameter("page", int, description="Página (desde 1)."),
            OpenApiParameter("pageSize", int, description="Entes por página (1 a 200)."),
        ],
        filters=True,
        responses={
            200: EntityPageSerializer,
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
        base = selectors.for_token(token) if token is not None else MonitoredContract.objects.all()
        params = request.query_params
        try:
            check_known(params, set(EntityFilters.base_filters) | PAGING)
            filters = EntityFilters(params, queryset=base)
            if not filters.is_valid():
                raise BadParameter(next(iter(filters.errors.values()))[0])
            number, size = page_numbers(params)
        except BadParameter as error:
            return error_response(status.HTTP_400_BAD_REQUEST, error.message)
        results, total = entity_portfolios(filters.qs, number, size)
        return Response(
            {
                "pagination": {
                    "pageSize": size,
                    "page": number,
                    "totalRows": total,
                    "hasNextPage": number * size < total,
                },
                "results": EntityPortfolioSerializer(results, many=True).data,
            }
        )
