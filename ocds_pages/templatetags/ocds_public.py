"""Template tags of the public site. The home page (cms) loads this library to show published
figures: a template may use a lower layer's tags without cms importing ocds_pages
(docs/arquitectura.md §4)."""

from decimal import Decimal, InvalidOperation

from django import template

from ocds_pages import labels, public
from ocds_pages.public_panels import render_panels

register = template.Library()


@register.simple_tag
def published_figures() -> dict:
    """Processes, entities, suppliers and contracted amount published on this installation."""
    return public.site_figures()


@register.simple_tag(name="public_panels")
def panels(page: str, key: str):
    """The panels higher layers registered for this public page (ocds_pages/public_panels.py)."""
    return render_panels(page, key)


@register.simple_tag
def latest_processes(limit: int = 5) -> list:
    return public.latest_processes(limit=limit)


@register.filter
def amount(value) -> str:
    """1234567.5 -> "1,234,567.50" (Mexican convention: comma for thousands, point for cents)."""
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(value):,.2f}"
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


@register.filter
def integer(value) -> str:
    """10000 -> "10,000" (Mexican convention)."""
    try:
        return f"{int(value):,}"
    except (ValueError, TypeError):
        return str(value)


@register.filter
def money(value, currency: str = "") -> str:
    """An amount with its currency: "$1,234.50 MXN"; a dash when there is none."""
    if isinstance(value, dict):
        value, currency = value.get("amount"), value.get("currency", "")
    if value is None or value == "":
        return "—"
    return f"${amount(value)} {currency}".strip()


@register.filter
def ocds_label(code, codelist: str) -> str:
    """``{{ code|ocds_label:"procurementMethod" }}`` -> "Licitación pública"."""
    return labels.label(codelist, code)
