"""Template filters of the contract monitoring pages."""

import datetime

from django import template

from ocds_pages.codelists import spanish_titles

register = template.Library()


@register.filter
def fecha(value) -> str:
    """An ISO date of the stored detail (2026-03-30) as people read it (30/03/2026); «—» if none."""
    if not value:
        return "—"
    try:
        return datetime.date.fromisoformat(str(value)[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


GUARANTEE_CODELISTS = (
    "extensions/guarantees/guaranteeType",
    # Older captures wrote the guaranteed obligation (fulfillment…) as the type.
    "extensions/guarantees/guaranteedObligations",
)


@register.filter
def tipo_garantia(code) -> str:
    """The Spanish title of an EDCA-MX guarantee type (bail → Fianza); the code if unknown."""
    if not code:
        return "—"
    for name in GUARANTEE_CODELISTS:
        title = spanish_titles(name).get(str(code))
        if title:
            return title
    return str(code)
