from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from cms.roles import Role

# Both exist unless the database was migrated back to before them.
EXTENSION_TABLES = {"ocds_pages_extensionfield", "workflows_formversion"}


def _after_migrate(sender, using="default", **kwargs):
    """Write the extension rows the code and the published forms declare: an installation that
    predates the rows gets them with its next ``migrate``, and a flushed test database too."""
    from workflows.forms.form_services import extension_fields_sync

    if set(connections[using].introspection.table_names()) >= EXTENSION_TABLES:
        extension_fields_sync()


class WorkflowsConfig(AppConfig):
    """The capture side: contracting processes, stage workflows and stage form definitions."""

    name = "workflows"
    verbose_name = _("Flujos de contratación")

    # What each role needs from this app (cms.roles.role_permissions). Editors build the stage
    # forms of their entity (withdrawn by unpublishing, never deleted: drafts point at their
    # versions), read the versions and keep the catalogues.
    role_permissions = {
        Role.EDITOR: [
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
    }

    def ready(self):
        from wagtail.signals import published

        from workflows.forms import receivers

        published.connect(receivers.form_definition_published, dispatch_uid="form_published")
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="form_extension_rows")
