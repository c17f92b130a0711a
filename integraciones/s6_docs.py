"""OpenAPI description of the S6 endpoints (drf-spectacular): serializers used only for the docs.

The bodies themselves are validated against the PDN's specification (s6_request); these
serializers mirror it field by field so /api/docs/ shows the same contract in Spanish.
"""

from rest_framework import serializers

SORT_CHOICES = ["asc", "desc"]
METHODS = ["open", "selective", "limited", "direct"]
AWARD_STATUSES = ["active", "pending", "cancelled", "unsuccessful"]

CONTRATACIONES_DESCRIPTION = (
    "Búsqueda de procesos de contratación publicados, según la especificación del Sistema 6 de "
    "la Plataforma Digital Nacional (OAS_API_Contrataciones_Abiertas, 2023). Requiere un token "
    "OAuth 2.0 (Bearer) con el alcance `s6`.\n\n"
    "* Cada resultado es la entrega compilada (compiledRelease) OCDS 1.1 del proceso.\n"
    "* Filtros de texto: «contiene», sin distinguir mayúsculas ni acentos. Un filtro vacío "
    '("", [] o null) no filtra. Los arreglos significan «cualquiera de».\n'
    "* `title` busca en el título del proceso (tender/title); `awardStatus`, en el estado de la "
    "adjudicación más reciente; `itemDescription`, en las partidas adjudicadas; "
    "`tenderStartDate`/`tenderEndDate`: el periodo de licitación inicia en o después / termina "
    "en o antes de la fecha.\n"
    "* Orden lexicográfico en español; sin `sort`, orden de publicación.\n"
    "* Errores `{code, message}`: 400 página o cuerpo inválido, 401 sin token o token inválido, "
    "403 token sin alcance `s6`, 413 cuerpo de más de 16 KB, 429 límite de peticiones "
    "(encabezado `Retry-After`)."
)

RECORDS_DESCRIPTION = (
    "Variante 2025 del Sistema 6 (PDNMX/s6-api): devuelve registros OCDS (record: entregas "
    "incluidas y compiledRelease) con una consulta anidada con la forma de OCDS. Filtros de texto "
    "sin acentos ni mayúsculas; `tender.tenderPeriod.startDate` (≥) y `endDate` (≤). Requiere "
    "token con alcance `s6`. `awards.title`, `awards.status`, `contracts.title` y `parties` se "
    "buscan en el JSON compilado: combínelos con otro filtro en volúmenes grandes."
)

CONTRATACIONES_EXAMPLE = {
    "page": 1,
    "pageSize": 10,
    "sort": {"buyerName": "asc"},
    "query": {"buyerName": "seguro social", "procurementMethod": ["open", "selective"]},
}

RECORDS_EXAMPLE = {
    "page": 1,
    "pageSize": 10,
    "query": {"buyer": {"name": "seguro social"}, "tender": {"procurementMethod": "open"}},
}


def _text(help_text: str):
    return serializers.CharField(required=False, allow_blank=True, help_text=help_text)


class SortSerializer(serializers.Serializer):
    title = serializers.ChoiceField(
        SORT_CHOICES, required=False, help_text="Ordenar por título del proceso."
    )
    buyerName = serializers.ChoiceField(
        SORT_CHOICES, required=False, help_text="Ordenar por nombre del comprador."
    )


class ContratacionesQuerySerializer(serializers.Serializer):
    ocid = _text("ocid exacto del proceso.")
    title = _text("Texto contenido en el título del proceso.")
    buyerName = _text("Texto contenido en el nombre del comprador.")
    procurementMethod = serializers.ListField(
        child=serializers.ChoiceField(METHODS),
        required=False,
        help_text="Métodos de contratación (cualquiera de).",
    )
    awardStatus = serializers.ListField(
        child=serializers.ChoiceField(AWARD_STATUSES),
        required=False,
        help_text="Estados de la adjudicación (cualquiera de).",
    )
    supplierName = _text("Texto contenido en el nombre de un proveedor.")
    tenderStartDate = serializers.DateTimeField(
        required=False, help_text="El periodo de licitación inicia en o después de esta fecha."
    )
    tenderEndDate = serializers.DateTimeField(
        required=False, help_text="El periodo de licitación termina en o antes de esta fecha."
    )
    itemDescription = _text("Texto contenido en una partida adjudicada.")
    numberOfTenderers = serializers.IntegerField(
        required=False, min_value=0, help_text="Número de licitantes (exacto)."
    )


class ContratacionesRequestSerializer(serializers.Serializer):
    page = serializers.IntegerField(
        required=False, default=1, min_value=1, help_text="Página, desde 1."
    )
    pageSize = serializers.IntegerField(
        required=False, default=10, min_value=1, max_value=200, help_text="Resultados por página."
    )
    sort = SortSerializer(required=False, help_text="Orden (español).")
    query = ContratacionesQuerySerializer(required=False, help_text="Filtros.")


class PaginationSerializer(serializers.Serializer):
    pageSize = serializers.IntegerField(help_text="Resultados por página.")
    page = serializers.IntegerField(help_text="Página actual.")
    totalRows = serializers.IntegerField(help_text="Total de procesos que cumplen.")
    hasNextPage = serializers.BooleanField(help_text="Si hay otra página.")


class ContratacionesResponseSerializer(serializers.Serializer):
    pagination = PaginationSerializer(help_text="Paginación.")
    results = serializers.ListField(
        child=serializers.JSONField(),
        help_text="Entregas compiladas OCDS 1.1 (release), una por proceso.",
    )


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Código del error, p. ej. solicitud_invalida.")
    message = serializers.CharField(help_text="Descripción del error en español.")


class NameSerializer(serializers.Serializer):
    name = _text("Texto contenido en el nombre.")


class TitleSerializer(serializers.Serializer):
    title = _text("Texto contenido en el título de un contrato.")


class DescriptionSerializer(serializers.Serializer):
    description = _text("Texto contenido en la descripción de una partida.")


class PeriodSerializer(serializers.Serializer):
    startDate = serializers.DateTimeField(
        required=False, help_text="Inicia en o después de esta fecha."
    )
    endDate = serializers.DateTimeField(
        required=False, help_text="Termina en o antes de esta fecha."
    )


class AwardsQuerySerializer(serializers.Serializer):
    title = _text("Texto contenido en el título de una adjudicación.")
    status = serializers.JSONField(
        required=False, help_text="Estado o lista de estados de alguna adjudicación."
    )
    suppliers = NameSerializer(required=False, help_text="Proveedor adjudicado.")
    items = DescriptionSerializer(required=False, help_text="Partida adjudicada.")


class TenderQuerySerializer(serializers.Serializer):
    title = _text("Texto contenido en el título del proceso.")
    procurementMethod = serializers.JSONField(
        required=False, help_text="Método o lista de métodos (open, selective, limited, direct)."
    )
    tenderPeriod = PeriodSerializer(required=False, help_text="Periodo de licitación.")
    items = DescriptionSerializer(required=False, help_text="Partida de la licitación.")


class PartiesQuerySerializer(serializers.Serializer):
    name = _text("Texto contenido en el nombre de una parte.")
    roles = serializers.JSONField(required=False, help_text="Rol o lista de roles de esa parte.")


class RecordsQuerySerializer(serializers.Serializer):
    ocid = _text("ocid exacto.")
    awards = AwardsQuerySerializer(required=False, help_text="Filtros sobre adjudicaciones.")
    buyer = NameSerializer(required=False, help_text="Comprador.")
    contracts = TitleSerializer(required=False, help_text="Filtros sobre contratos.")
    tender = TenderQuerySerializer(required=False, help_text="Filtros sobre la licitación.")
    parties = PartiesQuerySerializer(required=False, help_text="Filtros sobre una misma parte.")


class RecordsRequestSerializer(serializers.Serializer):
    page = serializers.IntegerField(required=False, default=1, min_value=1, help_text="Página.")
    pageSize = serializers.IntegerField(
        required=False, default=10, min_value=1, max_value=200, help_text="Resultados por página."
    )
    query = RecordsQuerySerializer(required=False, help_text="Filtros anidados con forma OCDS.")
