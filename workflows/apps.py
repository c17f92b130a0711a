from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """The capture side: contracting processes, stage workflows and stage form definitions."""

    name = "workflows"
    verbose_name = _("Flujos de contratación")

    def ready(self):
        from workflows import extension_fields

        extension_fields.register()
