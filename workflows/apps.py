from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.roles import Role


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
        from django.core.signals import request_started
        from wagtail.signals import published

        from workflows import extension_fields, receivers, services

        published.connect(receivers.form_definition_published, dispatch_uid="form_published")
        # Custom form fields live in memory in ocds_pages' extension registry: each process
        # refreshes it from the published versions (the database is not read at start-up).
        request_started.connect(
            services.extension_fields_on_request, dispatch_uid="form_extension_sync"
        )
        extension_fields.register()
