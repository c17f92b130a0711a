"""OpenAPI description of the S6 endpoints (drf-spectacular), built from the validators' schemas.

A request body is documented with the very JSON Schema that s6_request validates it against (the
PDN specification's ``requestOpenContracting``, tightened; ``RECORDS_SCHEMA`` for the 2025
variant), so /api/docs/ cannot drift from what the endpoints accept. Only the responses, which the
views assemble as bytes, are described here.
"""

import copy

from rest_framework import serializers

from integraciones.s6_request import RECORDS_SCHEMA, contrataciones_validator

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


def contrataciones_request() -> dict:
    """The request body of ``POST /api/s6/contrataciones-abiertas`` as the endpoint validates it."""
    return {"application/json": copy.deepcopy(contrataciones_validator().schema)}


def records_request() -> dict:
    """The request body of ``POST /api/s6/v1/records`` as the endpoint validates it."""
    return {"application/json": copy.deepcopy(RECORDS_SCHEMA)}


# The S6's ``pagination``; the other paged APIs (alerts, risk, monitoring) answer the same one.
class PaginationSerializer(serializers.Serializer):
    pageSize = serializers.IntegerField(help_text="Resultados por página.")
    page = serializers.IntegerField(help_text="Página actual.")
    totalRows = serializers.IntegerField(help_text="Total de resultados que cumplen.")
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
