"""The market API: ``GET /api/mercado/partidas/`` (which items some words describe),
``GET /api/mercado/precios/`` and ``GET /api/mercado/proveedores/``.

Anyone may read prices and candidate suppliers (published data: this installation's records and
the reference data of other publishers, each row labelled with its source). A token of staff — a
person with a membership, the national administrator, or a client registered by an entity — also
gets the integrity screening of each supplier (a person needs ``mercado.view_marketstudy``,
indicadores/market/permissions.py) (docs/api.md, «Mercado»; docs/mercado.md).
Parameters are one FilterSet (validated, documented in the OpenAPI schema); errors are JSON
``{code, message}`` in Spanish (cms/api_errors.py).
"""

from decimal import Decimal

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.api_errors import error_body
from cms.api_throttles import API_THROTTLES
from indicadores.market import items, permissions, screening, selectors, summaries
from indicadores.market.models import PriceDescription, PriceObservation, Source
from indicadores.market.statistics import BANDS
from ocds_pages.api_params import BadParameter, ParamFilter, ParamsForm, check_known, filtered

MAX_ROWS = 1000
LIMIT = Decimal(10) ** 18
DEFAULT_ROWS = 100


class ReadTogether(django_filters.FilterSet):
    """Parameters declared for the OpenAPI schema and checked by ``ParamsForm``; the view reads
    them together (they depend on each other), so filtering does nothing."""

    class Meta:
        model = PriceObservation
        fields = []
        form = ParamsForm

    def noop(self, queryset, name, value):
        return queryset


class PriceFilters(ReadTogether):
    """What identifies the item (one of clasificacion, familia, texto) and narrows its basket."""

    clasificacion = ParamFilter(method="noop", help_text="Clave CUCoP exacta, p. ej. 25300002.")
    familia = ParamFilter(
        method="noop", help_text="Familia CUCoP: los 3 primeros dígitos (partida genérica)."
    )
    texto = ParamFilter(
        method="noop",
        help_text="Palabras de la descripción (sin distinguir acentos ni mayúsculas).",
    )
    unidad = ParamFilter(method="noop", help_text="Unidad de medida, p. ej. Caja.")
    anio = ParamFilter(method="noop", help_text="Año de la firma o adjudicación (AAAA).")
    estado = ParamFilter(
        method="noop", help_text="Entidad federativa del comprador (clave, p. ej. JAL)."
    )
    cantidad_min = ParamFilter(method="noop", help_text="Cantidad mínima de la partida.")
    cantidad_max = ParamFilter(method="noop", help_text="Cantidad máxima de la partida.")
    moneda = ParamFilter(method="noop", help_text="Moneda (por omisión MXN).")
    fuente = ParamFilter(
        method="noop",
        help_text="«local» (publicado aquí) o «reference» (otros publicadores); ambas por omisión.",
    )
    inpc = ParamFilter(
        method="noop",
        help_text="«1» para llevar los precios al último mes del INPC cargado (si lo hay).",
    )
    filas = ParamFilter(
        method="noop", help_text=f"Filas a devolver (1 a {MAX_ROWS}; {DEFAULT_ROWS} por omisión)."
    )


class ItemFilters(ReadTogether):
    """The words of an item search, and the family that narrows it."""

    texto = ParamFilter(
        method="noop",
        help_text=(
            "Palabras de la descripción (sin distinguir acentos ni mayúsculas; al menos una de "
            f"{items.MIN_WORD} letras)."
        ),
    )
    familia = ParamFilter(
        method="noop", help_text="Familia CUCoP (3 dígitos) que acota la búsqueda."
    )
    limite = ParamFilter(
        method="noop",
        help_text=f"Partidas a devolver (1 a {items.MAX_ITEMS}, que es el valor por omisión).",
    )

    class Meta(ReadTogether.Meta):
        model = PriceDescription


def _number(params, name, kind=float):
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = kind(raw)
    except (ValueError, ArithmeticError):
        raise BadParameter(_("%(name)s debe ser un número.") % {"name": name}) from None
    # Finite and storable: a decimal column holds at most 18 integer digits.
    if not value == value or not 0 <= value < LIMIT:
        raise BadParameter(_("%(name)s debe ser un número entre 0 y 10^18.") % {"name": name})
    return value


MAX_TEXT = 200  # as the screen's form: each word is one more LIKE on the descriptions


def check_text(params) -> None:
    if len(params.get("texto", "")) > MAX_TEXT:
        raise BadParameter(_("texto admite hasta %(max)s caracteres.") % {"max": MAX_TEXT})


def search_from(params):
    """(rows queryset, adjust?, row limit) of a request; BadParameter says what is wrong."""
    check_known(params, set(PriceFilters.base_filters))
    filtered(PriceFilters, params, PriceObservation.objects.all())
    check_text(params)
    if not any(params.get(name, "").strip() for name in ("clasificacion", "familia", "texto")):
        raise BadParameter(_("Indique clasificacion, familia o texto."))
    source = params.get("fuente", "").strip()
    if source and source not in Source.values:
        raise BadParameter(_("fuente debe ser «local» o «reference»."))
    year = _number(params, "anio", int)
    if year is not None and not 1900 <= year <= 2200:
        raise BadParameter(_("anio debe ser un año de cuatro cifras."))
    limit = _number(params, "filas", int) or DEFAULT_ROWS
    if not 1 <= limit <= MAX_ROWS:
        raise BadParameter(_("filas debe ser un entero entre 1 y %(max)s.") % {"max": MAX_ROWS})
    rows = selectors.search(
        clasificacion=params.get("clasificacion", ""),
        familia=params.get("familia", ""),
        texto=params.get("texto", ""),
        unidad=params.get("unidad", ""),
        anio=year,
        estado=params.get("estado", ""),
        cantidad_min=_number(params, "cantidad_min", Decimal),
        cantidad_max=_number(params, "cantidad_max", Decimal),
        moneda=params.get("moneda", ""),
    )
    if source:
        rows = rows.filter(source=source)
    return rows, params.get("inpc", "").strip() in {"1", "si", "true"}, limit


def is_staff_token(request) -> set[int] | None | bool:
    """The entity ids a staff token screens for (None: every entity); False if not staff."""
    token = request.auth
    if token is None:
        return False
    if token.user_id is not None:
        try:
            return permissions.entities_for(token.user, permissions.VIEW)
        except PermissionDenied:
            return False
    entity_id = token.application.entity_id
    return {entity_id} if entity_id else False


def _row(row: selectors.PriceRow) -> dict:
    v = row.values
    return {
        "ocid": v["ocid"],
        "source": v["source"],
        "sourceName": v["dataset__name"] or _("Esta instalación"),
        "classification": v["classification_id"],
        "description": v["description"],
        "unit": v["unit_name"],
        "quantity": float(v["quantity"]) if v["quantity"] is not None else None,
        "unitPrice": float(v["unit_price"]),
        "price": float(row.price),
        "adjusted": row.adjusted,
        "currency": v["currency"] or "MXN",
        "buyer": v["buyer_name"],
        "supplier": {"id": v["supplier_id"], "name": v["supplier_name"], "rfc": v["supplier_rfc"]},
        "date": v["date"].isoformat() if v["date"] else None,
        "state": v["state"],
        "outlier": row.outlier,
    }


def _groups(pairs, label=str) -> list[dict]:
    return [{"key": label(key), **summary.as_dict()} for key, summary in pairs]


def inflation_note(reference) -> dict:
    if not reference.inflation_requested:
        note = _("Precios tal como se publicaron (sin ajuste por inflación).")
    elif not reference.inflation_available:
        note = _("No hay INPC cargado en esta instalación: los precios no se ajustaron.")
    else:
        year, month = reference.inflation_base
        note = _("Precios llevados a %(period)s con el INPC de INEGI.") % {
            "period": f"{year}-{month:02d}"
        }
    return {
        "requested": reference.inflation_requested,
        "available": reference.inflation_available,
        "note": note,
    }


def price_body(reference, limit) -> dict:
    return {
        "statistics": reference.summary.as_dict(),
        "mixedUnits": reference.mixed_units,
        "byUnit": _groups(reference.by_unit),
        "byYear": _groups(reference.by_year),
        "byState": _groups(reference.by_state),
        "byQuantityBand": _groups(reference.by_band, lambda band: str(BANDS[band])),
        "inflation": inflation_note(reference),
        "rowsTotal": reference.rows_total,
        "rows": [_row(row) for row in reference.rows[:limit]],
    }


ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="{code, message}: parámetro inválido."),
    429: OpenApiResponse(OpenApiTypes.OBJECT, description="{code, message}: límite de peticiones."),
}


class MarketView(APIView):
    authentication_classes = [OAuth2Authentication]
    permission_classes = [AllowAny]
    throttle_classes = API_THROTTLES
    filter_backends = [DjangoFilterBackend]
    filterset_class = PriceFilters
    queryset = PriceObservation.objects.none()

    def bad(self, error: BadParameter) -> Response:
        return Response(
            error_body(status.HTTP_400_BAD_REQUEST, error.message),
            status=status.HTTP_400_BAD_REQUEST,
        )


def item_body(item: items.Item) -> dict:
    query = {"clasificacion": item.classification_id}
    return {
        "classification": item.classification_id or None,
        "family": item.family or None,
        "unit": item.unit_name,
        "unitKey": item.unit_key,
        "prices": item.prices,
        "descriptions": [
            {"description": description, "prices": prices}
            for description, prices in item.descriptions
        ],
        # A key's whole basket: its statistics are stored (summaries.py), by unit among them.
        "pricesUrl": (
            reverse("mercado:api-prices") + "?" + urlencode(query)
            if item.classification_id
            else None
        ),
    }


class ItemsView(MarketView):
    filterset_class = ItemFilters
    queryset = PriceDescription.objects.none()

    @extend_schema(
        operation_id="mercado_partidas",
        summary="Partidas que describen unas palabras",
        description=(
            "Las partidas (clave CUCoP y unidad de medida) cuyas descripciones contienen todas "
            "las palabras, con cuántos precios tiene cada una y las formas más usadas de "
            "describirla, las de más precios primero; pricesUrl lleva a sus precios de "
            "referencia. Es el primer paso de una búsqueda por texto: los precios de partidas "
            "distintas no se mezclan en una sola referencia."
        ),
        filters=True,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), **ERRORS},
        tags=["Mercado"],
    )
    def get(self, request):
        params = request.GET
        try:
            check_known(params, set(ItemFilters.base_filters))
            check_text(params)
            limit = _number(params, "limite", int)
            limit = items.MAX_ITEMS if limit is None else limit
            if not 1 <= limit <= items.MAX_ITEMS:
                raise BadParameter(
                    _("limite debe ser un entero entre 1 y %(max)s.") % {"max": items.MAX_ITEMS}
                )
            found = items.find_items(
                params.get("texto", ""), familia=params.get("familia", ""), limit=limit
            )
        except BadParameter as error:
            return self.bad(error)
        except items.ItemSearchError as error:
            return self.bad(BadParameter(str(error)))
        return Response(
            {
                "itemsTotal": found.items_total,
                "pricesTotal": found.prices_total,
                "results": [item_body(item) for item in found.items],
            }
        )


class PricesView(MarketView):
    @extend_schema(
        operation_id="mercado_precios",
        summary="Precios unitarios de referencia de una partida",
        description=(
            "Estadísticas (count, min, p25, median, p75, max, trimmed_mean, vallas de Tukey) de "
            "los precios unitarios adjudicados de una partida (clave CUCoP, familia o texto), "
            "por unidad, año, entidad federativa y rango de cantidad, y las filas de donde "
            "salen con su fuente. Con menos de 5 precios no hay estadísticas (se dice)."
        ),
        filters=True,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), **ERRORS},
        tags=["Mercado"],
    )
    def get(self, request):
        try:
            rows, adjust, limit = search_from(request.GET)
        except BadParameter as error:
            return self.bad(error)
        reference = selectors.price_reference(
            rows, adjust=adjust, row_limit=limit, item=summaries.whole_item(request.GET)
        )
        return Response(price_body(reference, limit))


def candidate_body(candidate: selectors.Candidate) -> dict:
    return {
        "supplier": {"id": candidate.supplier_id, "name": candidate.name, "rfc": candidate.rfc},
        "contracts": candidate.contracts,
        "buyers": candidate.buyers,
        "amount": float(candidate.amount),
        "firstDate": candidate.first_date.isoformat() if candidate.first_date else None,
        "lastDate": candidate.last_date.isoformat() if candidate.last_date else None,
        "medianPrice": float(candidate.median_price),
        "priceRatio": float(candidate.price_ratio) if candidate.price_ratio else None,
        "sources": candidate.sources,
        "score": float(candidate.score),
        "scoreParts": {
            name: round(float(value), 4) for name, value in candidate.score_parts.items()
        },
    }


def screened(found: list[selectors.Candidate], entity_ids) -> dict:
    parties = {c.key: screening.party_of(c.supplier_id, c.name, c.rfc) for c in found}
    return screening.screen(parties, entity_ids=entity_ids)


class SuppliersView(MarketView):
    @extend_schema(
        operation_id="mercado_proveedores",
        summary="Proveedores candidatos de una partida",
        description=(
            "Proveedores que vendieron la partida, ordenados por puntaje (score, 0 a 100): 35 % "
            "procesos, 20 % monto y 20 % compradores (proporción del mayor de la lista) y 25 % "
            "posición de precio frente a la mediana de la canasta (scoreParts trae cada parte "
            "de 0 a 1). Con un token de personal del ente, cada uno trae su revisión de "
            "integridad (S3, 69-B, S1 y alertas abiertas o confirmadas) con su evidencia; la "
            "revisión nunca cambia el orden."
        ),
        filters=True,
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT), **ERRORS},
        tags=["Mercado"],
    )
    def get(self, request):
        try:
            rows, adjust, limit = search_from(request.GET)
        except BadParameter as error:
            return self.bad(error)
        # The candidates are counted in the database; no row of the basket is read here.
        reference = selectors.price_reference(
            rows,
            adjust=adjust,
            row_limit=0,
            groups=False,
            item=summaries.whole_item(request.GET),
            suppliers=True,
        )
        found = selectors.candidates(reference)[:limit]
        staff = is_staff_token(request)
        results = [candidate_body(c) for c in found]
        if staff is not False:
            screenings = screened(found, staff)
            for body, candidate in zip(results, found, strict=True):
                body["screening"] = screenings[candidate.key].as_dict()
        return Response(
            {
                "referencePrice": float(reference.reference_price() or 0) or None,
                "statistics": reference.summary.as_dict(),
                "screeningIncluded": staff is not False,
                "results": results,
            }
        )
