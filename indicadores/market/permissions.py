"""Who uses the market research, and for which entities.

The group gives the kind of action (``MarketConfig.role_permissions``): every staff role of an
entity reads prices, candidate suppliers with their screening, the studies and their reports
(``VIEW``); the capturista runs the studies — creates them, edits the need, excludes rows and
generates or attaches the report (``WORK``). The membership says where: only the entities where
the person holds a role that carries the permission (cms.tenancy). The national administrator
works every entity.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cms.roles import role_permissions
from cms.tenancy import entity_ids_for

VIEW = "mercado.view_marketstudy"
WORK = "mercado.change_marketstudy"
CREATE = "mercado.add_marketstudy"


def roles_with(permission: str) -> set:
    """The roles whose group carries ``permission`` (as the apps declare them)."""
    return {role for role, names in role_permissions().items() if permission in names}


def entities_for(user, permission: str = VIEW) -> set[int] | None:
    """The entity ids where the user holds ``permission`` (None: every entity); none → 403."""
    if user.has_perm(permission):
        entity_ids = entity_ids_for(user, roles=roles_with(permission))
        if entity_ids is None or entity_ids:
            return entity_ids
    raise PermissionDenied(_("La investigación de mercado es para el personal de un ente."))


def may(user, permission: str = VIEW) -> bool:
    try:
        entities_for(user, permission)
    except PermissionDenied:
        return False
    return True
