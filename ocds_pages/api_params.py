"""Query parameters of the public OCDS API: parsed, checked, refused in Spanish.

The filters of each list are one django-filter ``FilterSet``: it validates the parameters, filters
the queryset, and drf-spectacular documents the same definition in the OpenAPI schema
(docs/arquitectura.md, decision 13). Unknown parameters are refused too: a misspelt filter
silently ignored would hand a consumer the whole dataset while they believe it filtered.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, time

import django_filters
import orjson
from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from cms.models import Entity
from ocds_pages.codelists import codes
from ocds_pages.models import ProcessProjection
from ocds_pages.validation import parse_datetime


class BadParameter(Exception):
    """A query parameter is invalid; ``message`` is Spanish and names the parameter."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class ListRequest:
    queryset: QuerySet
    limit: int
    cursor: tuple | None


PAGING_PARAMS = {"cursor", "limit"}


# --- form fields: one query parameter each, errors in Spanish naming the parameter ---------------


class ParamField(forms.CharField):
    """A query parameter; ``param`` is its name in the URL, set by ``ParamsForm``."""

    param = ""


class CodesField(ParamField):
    """Codes of one OCDS codelist separated by commas (any of them)."""

    def __init__(self, *, codelist: str, **kwargs):
        self.codelist = codelist
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        return [code.strip() for code in super().to_python(value).split(",") if code.strip()]

    def validate(self, value) -> None:
        allowed = codes(self.codelist)
        unknown = [code for code in value if code not in allowed]
        if unknown:
            raise forms.ValidationError(
                _("Valor no admitido en %(name)s: %(values)s. Valores admitidos: %(allowed)s.")
                % {"name": self.param, "values": ", ".join(unknown), "allowed": ", ".join(allowed)}
            )


class MomentField(ParamField):
    """A date (AAAA-MM-DD: the start of that day, or its end) or an RFC 3339 date-time with zone."""

    def __init__(self, *, end_of_day: bool = False, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(**kwargs)

    def to_python(self, value) -> datetime | None:
        raw = super().to_python(value)
        if not raw:
            return None
        invalid = forms.ValidationError(
            _("%(name)s debe ser una fecha AAAA-MM-DD o una fecha y hora RFC 3339 con zona.")
            % {"name": self.param}
        )
        try:
            day = parse_date(raw) if len(raw) == 10 else None
        except ValueError:  # well formed but impossible, e.g. 2025-02-30
            raise invalid from None
        if day:
            moment = datetime.combine(day, time.max if self.end_of_day else time.min)
            return timezone.make_aware(moment)
        # A "+" of the zone arrives as a space when the client did not encode it.
        parsed = parse_datetime(raw.replace(" ", "+").replace("Z", "+00:00"))
        if parsed is None:
            raise invalid
        return parsed


class EntityField(ParamField):
    """The key of a public entity (e.g. IMSS) → the ``Entity``."""

    def to_python(self, value) -> Entity | None:
        key = super().to_python(value)
        if not key:
            return None
        entity = Entity.objects.filter(key=key).first()
        if entity is None:
            raise forms.ValidationError(_("No existe el ente público %(key)s.") % {"key": key})
        return entity


class ParamsForm(forms.Form):
    """Tells each field its parameter name, and checks the date range as a whole."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.param = name

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("dateFrom"), cleaned.get("dateTo")
        if start and end and start > end:
            raise forms.ValidationError(_("dateFrom no puede ser posterior a dateTo."))
        return cleaned


# --- filters -------------------------------------------------------------------------------------
# CharFilter subclasses: the OpenAPI schema shows each as a string with its help_text.


class ParamFilter(django_filters.CharFilter):
    field_class = ParamField


class CodesFilter(django_filters.CharFilter):
    field_class = CodesField


class MomentFilter(django_filters.CharFilter):
    field_class = MomentField


class EntityFilter(django_filters.CharFilter):
    field_class = EntityField


DATE_FROM_HELP = "Desde esta fecha (AAAA-MM-DD o fecha y hora RFC 3339), inclusive."
DATE_TO_HELP = "Hasta esta fecha (AAAA-MM-DD: todo ese día), inclusive."
SINCE_HELP = "Fuente de cambios: sólo lo guardado o recompilado desde este momento (RFC 3339)."


class ProcessFilters(django_filters.FilterSet):
    """The filters shared by the release and record lists (the parameter names are the API's)."""

    ocid = ParamFilter(field_name="ocid", help_text="ocid exacto del proceso.")
    entity = EntityFilter(
        field_name="entity", help_text="Clave del ente público comprador (p. ej. IMSS)."
    )
    procurementMethod = CodesFilter(
        codelist="method",
        method="filter_procurement_method",
        help_text="Método de contratación del proceso (open, selective, limited, direct); varios "
        "separados por comas = cualquiera de.",
    )

    class Meta:
        form = ParamsForm

    def filter_procurement_method(self, queryset, name, methods):
        projected = ProcessProjection.objects.filter(procurement_method__in=methods)
        return queryset.filter(ocid__in=projected.values("ocid"))


class ReleaseFilters(ProcessFilters):
    tag = CodesFilter(
        codelist="releaseTag",
        method="filter_tag",
        help_text="Etiqueta de la entrega (lista releaseTag); varias separadas por comas = "
        "cualquiera de.",
    )
    dateFrom = MomentFilter(field_name="date", lookup_expr="gte", help_text=DATE_FROM_HELP)
    dateTo = MomentFilter(
        field_name="date", lookup_expr="lte", end_of_day=True, help_text=DATE_TO_HELP
    )
    since = MomentFilter(field_name="created_at", lookup_expr="gte", help_text=SINCE_HELP)

    def filter_tag(self, queryset, name, tags):
        # tags is a JSON list of codelist codes; '"award"' never matches '"awardUpdate"'.
        condition = Q()
        for tag in tags:
            condition |= Q(tags_text__contains=f'"{tag}"')
        return queryset.alias(tags_text=Cast("tags", TextField())).filter(condition)


class RecordFilters(ProcessFilters):
    dateFrom = MomentFilter(
        field_name="last_release_date", lookup_expr="gte", help_text=DATE_FROM_HELP
    )
    dateTo = MomentFilter(
        field_name="last_release_date", lookup_expr="lte", end_of_day=True, help_text=DATE_TO_HELP
    )
    since = MomentFilter(field_name="updated_at", lookup_expr="gte", help_text=SINCE_HELP)


def check_known(params, allowed: set[str]) -> None:
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise BadParameter(
            _("Parámetro desconocido: %(names)s. Admitidos: %(allowed)s.")
            % {"names": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )


def filtered(filters_class: type[ProcessFilters], params, queryset: QuerySet) -> QuerySet:
    """``queryset`` narrowed by the query parameters; BadParameter names the first wrong one."""
    filters = filters_class(params, queryset=queryset)
    if not filters.is_valid():
        first = next(iter(filters.errors.values()))
        raise BadParameter(first[0])
    return filters.qs


def parse_limit(params) -> int:
    raw = params.get("limit", "").strip()
    if not raw:
        return settings.OCDS_API_PAGE_SIZE
    maximum = settings.OCDS_API_MAX_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadParameter(_("limit debe ser un entero entre 1 y %(max)d.") % {"max": maximum})
    return int(raw)


# --- cursors --------------------------------------------------------------------------------
# A cursor is the position after the last item served, opaque to clients: base64 of a small
# JSON array tagged with the list it belongs to, so a record cursor is refused on releases.


def encode_cursor(kind: str, *position) -> str:
    raw = orjson.dumps([kind, *position])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _valid_position(position: list, types: tuple) -> bool:
    if len(position) != len(types):
        return False
    for value, kind in zip(position, types, strict=True):
        if kind is datetime:
            if not isinstance(value, str) or parse_datetime(value) is None:
                return False
        elif not isinstance(value, kind) or isinstance(value, bool):
            return False
    return True


def decode_cursor(raw: str | None, kind: str, types: tuple) -> tuple | None:
    """The position in a cursor made by ``encode_cursor(kind, ...)``; ``types`` of each value
    (``datetime`` means an ISO text)."""
    if not raw:
        return None
    try:
        decoded = orjson.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError):
        decoded = None
    if not isinstance(decoded, list) or not decoded or decoded[0] != kind:
        decoded = None
    if decoded is None or not _valid_position(decoded[1:], types):
        raise BadParameter(
            _("El cursor no es válido; use el enlace links.next de la respuesta anterior.")
        )
    return tuple(decoded[1:])


def parse_list_request(
    params, *, kind: str, filters_class: type[ProcessFilters], queryset: QuerySet, cursor_types
) -> ListRequest:
    """The filtered queryset, page size and position of a list request (``kind``: its cursors)."""
    check_known(params, set(filters_class.base_filters) | PAGING_PARAMS)
    return ListRequest(
        queryset=filtered(filters_class, params, queryset),
        limit=parse_limit(params),
        cursor=decode_cursor(params.get("cursor"), kind, cursor_types),
    )
