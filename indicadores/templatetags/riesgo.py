"""Template filters of the risk dashboard and the public aggregates."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def celda(value) -> str:
    """A table cell: «—» for not computable, one decimal for shares, thousands for amounts."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        # Amounts (numerators in pesos) get thousands and cents; shares, one decimal.
        return f"{value:,.2f}" if abs(value) >= 10_000 else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
