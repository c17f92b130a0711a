"""Who reads the monitoring screens, and which contracts.

Staff of an entity (any role: capturista, aprobador, OIC, administrador del ente) read its
contracts; a membership tied to a purchasing unit reads that unit's, an entity-wide one the whole
entity's (cms.tenancy); the national administrator reads every entity's. The permission comes from
the group (``IndicadoresConfig.role_permissions``), the scope from the membership.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cms.tenancy import is_national_admin, memberships_of
from indicadores.monitoring.models import MonitoredContract

VIEW = "indicadores.view_monitoredcontract"
MODERATE = "indicadores.moderate_citizenreport"


def require_view(user) -> None:
    if not user.has_perm(VIEW):
        raise PermissionDenied(_("El seguimiento de contratos es del personal de un ente."))


def staff_contracts(user) -> QuerySet:
    """The contracts the user follows (none without the permission)."""
    contracts = MonitoredContract.objects.all()
    if not user.has_perm(VIEW):
        return contracts.none()
    if is_national_admin(user):
        return contracts
    whole = {m["entity_id"] for m in memberships_of(user) if m["unit_id"] is None}
    units = {m["unit_id"] for m in memberships_of(user) if m["unit_id"]}
    if not whole and not units:
        return contracts.none()
    return contracts.filter(Q(entity_id__in=whole) | Q(unit_id__in=units))
