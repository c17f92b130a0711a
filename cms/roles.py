"""Roles a person can hold in an entity, and the Django/Wagtail group each one maps to.

Groups carry the permissions; memberships say where (which entity, which unit) they apply.
Each app declares the permissions its roles need (``role_permissions``); ``sync_role_groups``
keeps the groups' permissions exactly as declared and runs after every migrate.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CAPTURISTA = "capturista", _("Capturista")
    APROBADOR = "aprobador", _("Aprobador")
    OIC = "oic", _("Órgano interno de control")
    ADMIN_ENTE = "admin_ente", _("Administrador del ente")
    EDITOR = "editor", _("Editor")


# Group name shown in the admin for each role. Data rows are always further limited to the
# member's entity by cms.tenancy.
ROLE_GROUP_NAMES = {
    Role.CAPTURISTA: "Capturistas",
    Role.APROBADOR: "Aprobadores",
    Role.OIC: "Órgano interno de control",
    Role.ADMIN_ENTE: "Administradores de ente",
    Role.EDITOR: "Editores",
}


def role_permissions():
    """Role → the permissions ("app_label.codename") its group carries.

    cms is the lowest layer and names no other app's permissions: each installed app declares
    what its models need from each role in its AppConfig's ``role_permissions`` (a mapping
    Role → iterable of names), and the groups get the union (docs/arquitectura.md).
    """
    from django.apps import apps

    declared = {role: set() for role in Role}
    for config in apps.get_app_configs():
        for role, names in getattr(config, "role_permissions", {}).items():
            declared[Role(role)].update(names)
    return declared


# Roles that may manage the entity's own users and memberships.
ENTITY_ADMIN_ROLES = {Role.ADMIN_ENTE}
