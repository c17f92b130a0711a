"""Filters of the market research templates: money, quantities, periods and labels in Spanish."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from indicadores.market.models import Method
from indicadores.market.statistics import BANDS

register = template.Library()


@register.filter
def money(value) -> str:
    """«$1,234.50» (two decimals; unit prices of cents and thousands both read well)."""
    if value is None or value == "":
        return "—"
    return "$" + number_format(Decimal(value), 2, force_grouping=True)


@register.filter
def quantity(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return number_format(value, places, force_grouping=True)


@register.filter
def period(value) -> str:
    return f"{value[0]}-{value[1]:02d}" if value else "—"


@register.filter
def method_label(value) -> str:
    return str(dict(Method.choices).get(value, value)).lower()


@register.filter
def band_label(value) -> str:
    return str(BANDS.get(value, "—"))


SEARCH_LABELS = {
    "clasificacion": _("CUCoP"),
    "familia": _("familia"),
    "texto": _("texto"),
    "unidad": _("unidad"),
    "anio": _("año"),
    "estado": _("entidad"),
    "cantidad_min": _("cantidad mínima"),
    "cantidad_max": _("cantidad máxima"),
    "inpc": _("INPC"),
}


@register.filter
def search_text(search: dict) -> str:
    """A stored search as «CUCoP 25300002 · unidad caja»."""
    return " · ".join(f"{SEARCH_LABELS.get(k, k)} {v}" for k, v in (search or {}).items())
