"""The risk index API (docs/api.md, «Índice de riesgo»).

* ``GET /api/indicadores/entes/`` — anonymous: per entity and year, the index, each component
  with its measures (numerator, denominator, eligible processes), the quality score and the
  processes per indicator — the same aggregates as the public entity pages.
* ``GET /api/indicadores/unidades/`` — OAuth 2.0 token with scope ``alertas``: the same per
  purchasing unit, for the entities the token may read (the alerts API's rule).

Paginated with ``page`` and ``pageSize`` (the PDN's names); errors are JSON ``{code, message}``
in Spanish (cms/api_errors.py); an unknown parameter is refused rather than silently ignored.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication, TokenHasScope
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.api_errors import error_response
from cms.api_throttles import API_THROTTLES
from indicadores.risk import selectors
from indicadores.risk.score import Score
from integraciones.s6_docs import ErrorSerializer, PaginationSerializer

MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000


class ScoreQuerySerializer(serializers.Serializer):
    # Bounded: an offset beyond what the database's integers hold would be a 500, not a 400.
    page = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE, default=1, help_text=f"Página (1 a {MAX_PAGE})."
    )
    pageSize = serializers.IntegerField(  # noqa: N815 (the PDN's spelling)
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        default=50,
        help_text=f"Filas por página (1 a {MAX_PAGE_SIZE}; 50 por omisión).",
    )
    entity = serializers.CharField(required=False, max_length=50, help_text="Clave del ente.")
    year = serializers.IntegerField(
        required=False, min_value=1900, max_value=2999, help_text="Año de los procesos."
    )


class UnitQuerySerializer(ScoreQuerySerializer):
    unit = serializers.CharField(
        required=False, max_length=50, help_text="Clave de la unidad compradora."
    )


# --- response shape (for the schema; the data comes from Score.as_dict) ------------------------


class MeasureSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True,
        help_text="Proporción en dirección de riesgo, 0 a 100; null si nadie fue elegible.",
    )
    numerator = serializers.FloatField(help_text="Numerador (procesos o pesos).")
    denominator = serializers.FloatField(help_text="Denominador (procesos, pesos o licitantes).")
    eligible = serializers.IntegerField(help_text="Procesos elegibles para la medida.")


class ComponentSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True, help_text="Promedio de las medidas calculables, 0 a 100."
    )
    measures = serializers.DictField(child=MeasureSerializer(), help_text="Medida → valor.")


class CheckSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="Aprobados ÷ aplicables, 0 a 100.")
    passed = serializers.IntegerField(help_text="Procesos que pasan la revisión.")
    applicable = serializers.IntegerField(help_text="Procesos a los que aplica.")


class QualitySerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True, help_text="Calidad de los datos, 0 a 100 (aparte del índice)."
    )
    checks = serializers.DictField(child=CheckSerializer(), help_text="Revisión → resultado.")


class IndicatorCountSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Clave del indicador.")
    eligible = serializers.IntegerField(help_text="Procesos que pudo juzgar.")
    flagged = serializers.IntegerField(help_text="Procesos con bandera.")
    notComputable = serializers.IntegerField(  # noqa: N815
        help_text="Procesos a los que aplica pero faltaron datos."
    )


class ScoreSerializer(serializers.Serializer):
    entity = serializers.CharField(help_text="Clave del ente.")
    entityName = serializers.CharField(help_text="Nombre del ente.")  # noqa: N815
    year = serializers.IntegerField(help_text="Año de los procesos.")
    processes = serializers.IntegerField(help_text="Procesos publicados del año.")
    index = serializers.FloatField(
        allow_null=True,
        help_text="Índice de riesgo 0 a 100: promedio de los componentes calculables.",
    )
    componentsComputed = serializers.IntegerField(  # noqa: N815
        help_text="Cuántos de los cuatro componentes entraron al índice."
    )
    components = serializers.DictField(
        child=ComponentSerializer(),
        help_text="competition, transparency, legality e integrity.",
    )
    quality = QualitySerializer()
    indicators = IndicatorCountSerializer(many=True)


class UnitScoreSerializer(ScoreSerializer):
    unit = serializers.CharField(help_text="Clave de la unidad compradora.")
    unitName = serializers.CharField(help_text="Nombre de la unidad.")  # noqa: N815


class ScorePageSerializer(serializers.Serializer):
    pagination = PaginationSerializer()
    results = ScoreSerializer(many=True)


class UnitScorePageSerializer(serializers.Serializer):
    pagination = PaginationSerializer()
    results = UnitScoreSerializer(many=True)


# --- answers -----------------------------------------------------------------------------------


def score_row(score) -> dict:
    row = {
        "entity": score.entity.key,
        "entityName": score.entity.name,
        "year": score.year,
        **Score.of(score.tally).as_dict(),
    }
    if score.unit_id:
        row = {**row, "unit": score.unit.key, "unitName": score.unit.name}
    return row


def _first_error(errors: dict) -> str:
    name, detail = next(iter(errors.items()))
    return f"{name}: {detail[0]}"


def _page(scores, query: dict) -> dict:
    if query.get("entity"):
        scores = scores.filter(entity__key=query["entity"])
    if query.get("unit"):
        scores = scores.filter(unit__key=query["unit"])
    if query.get("year"):
        scores = scores.filter(year=query["year"])
    number, size = query["page"], query["pageSize"]
    rows = list(scores[(number - 1) * size : number * size])
    total = scores.count()
    return {
        "pagination": {
            "pageSize": size,
            "page": number,
            "totalRows": total,
            "hasNextPage": number * size < total,
        },
        "results": [score_row(row) for row in rows],
    }


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Parámetro inválido o desconocido."),
    429: OpenApiResponse(ErrorSerializer, description="Límite de peticiones."),
}


class _ScoreView(APIView):
    query_serializer = ScoreQuerySerializer
    throttle_classes = API_THROTTLES

    def scores(self, request):
        raise NotImplementedError

    def get(self, request):
        params = request.query_params
        allowed = set(self.query_serializer().fields)
        unknown = sorted(name for name in params if name not in allowed)
        if unknown:
            message = _("Parámetro desconocido: %(names)s.") % {"names": ", ".join(unknown)}
            return error_response(status.HTTP_400_BAD_REQUEST, message)
        query = self.query_serializer(data=params.dict())
        if not query.is_valid():
            return error_response(status.HTTP_400_BAD_REQUEST, _first_error(query.errors))
        return Response(_page(self.scores(request), query.validated_data))


def _parameters(serializer) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            name,
            int if isinstance(f, serializers.IntegerField) else str,
            description=str(f.help_text),
        )
        for name, f in serializer().fields.items()
    ]


class EntityScoresView(_ScoreView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def scores(self, request):
        return selectors.entity_scores()

    @extend_schema(
        operation_id="indicadores_entes",
        summary="Índice de riesgo por ente y año",
        description=(
            "Por ente y año: el índice de riesgo (0 a 100), sus componentes de competencia, "
            "transparencia, legalidad e integridad con cada medida, su numerador, su denominador "
            "y los procesos elegibles; la calidad de los datos (aparte del índice) y los procesos "
            "por indicador. Las mismas cifras de las páginas públicas de los entes. Sin token."
        ),
        parameters=_parameters(ScoreQuerySerializer),
        responses={200: ScorePageSerializer, **ERRORS},
        auth=[],
        tags=["indicadores"],
    )
    def get(self, request):
        return super().get(request)


class UnitScoresView(_ScoreView):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [TokenHasScope]
    required_scopes = ["alertas"]
    query_serializer = UnitQuerySerializer

    def scores(self, request):
        return selectors.unit_scores(selectors.token_entities(request.auth))

    @extend_schema(
        operation_id="indicadores_unidades",
        summary="Índice de riesgo por unidad compradora y año",
        description=(
            "Lo mismo que /api/indicadores/entes/ por unidad compradora. Alcance «alertas»: un "
            "token emitido a una persona ve las unidades de los entes donde es OIC; un cliente "
            "sin persona, las de su ente (o todas si es nacional)."
        ),
        parameters=_parameters(UnitQuerySerializer),
        responses={
            200: UnitScorePageSerializer,
            **ERRORS,
            401: OpenApiResponse(ErrorSerializer, description="Falta el token o no es válido."),
            403: OpenApiResponse(ErrorSerializer, description="Token sin alcance alertas."),
        },
        tags=["indicadores"],
    )
    def get(self, request):
        return super().get(request)
