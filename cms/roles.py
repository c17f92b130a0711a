"""Roles a person can hold in an entity, and the Django/Wagtail group each one maps to.

Groups carry the permissions; memberships say where (which entity, which unit) they apply.
``sync_role_groups`` keeps the groups' permissions as declared here and runs after every migrate.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CAPTURISTA = "capturista", _("Capturista")
    APROBADOR = "aprobador", _("Aprobador")
    OIC = "oic", _("Órgano interno de control")
    ADMIN_ENTE = "admin_ente", _("Administrador del ente")
    EDITOR = "editor", _("Editor")


# Group name shown in the admin for each role, and the permissions ("app_label.codename") it has.
# Data rows are always further limited to the member's entity by cms.tenancy.
ROLE_GROUPS = {
    Role.CAPTURISTA: ("Capturistas", ["wagtailadmin.access_admin"]),
    Role.APROBADOR: ("Aprobadores", ["wagtailadmin.access_admin"]),
    Role.OIC: ("Órgano interno de control", ["wagtailadmin.access_admin"]),
    Role.ADMIN_ENTE: (
        "Administradores de ente",
        [
            "wagtailadmin.access_admin",
            "cms.view_purchasingunit",
            "cms.add_purchasingunit",
            "cms.change_purchasingunit",
            "cms.view_membership",
            "cms.add_membership",
            "cms.change_membership",
            "cms.delete_membership",
            "cms.view_oauthclient",
            "cms.add_oauthclient",
            "cms.change_oauthclient",
            "cms.delete_oauthclient",
        ],
    ),
    # Page and media permissions are granted on the tree roots (cms.groups).
    Role.EDITOR: (
        "Editores",
        [
            "wagtailadmin.access_admin",
            # Stage forms (workflows): definitions per entity (withdrawn by unpublishing, never
            # deleted: drafts point at their versions), read-only versions, catalogues.
            "workflows.view_formdefinition",
            "workflows.add_formdefinition",
            "workflows.change_formdefinition",
            "workflows.publish_formdefinition",
            "workflows.view_formversion",
            *(
                f"workflows.{action}_{model}"
                for model in ("cucopitem", "unitofmeasure", "legaljustification", "documenttype")
                for action in ("view", "add", "change")
            ),
        ],
    ),
}

# Roles that may manage the entity's own users and memberships.
ENTITY_ADMIN_ROLES = {Role.ADMIN_ENTE}
