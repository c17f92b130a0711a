"""Template helpers of the process screens."""

from django import template

from cms.models import PurchasingUnit
from cms.tenancy import scope_queryset
from workflows.processes.permissions import capture_units

register = template.Library()


@register.simple_tag
def can_create_process(user) -> bool:
    """Whether the «Nuevo proceso» link leads anywhere for ``user`` (a capturista somewhere)."""
    units = scope_queryset(PurchasingUnit.objects.filter(active=True), user)
    return bool(capture_units(user, list(units)))
