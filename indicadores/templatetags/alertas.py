"""Template filters of the alert screens."""

from django import template

from indicadores.evidence import text

register = template.Library()


@register.filter
def legible(value) -> str:
    """A JSON value as a person reads it (ISO dates as d/m/Y), like the evidence."""
    return text(value)
