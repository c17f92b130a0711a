from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """The capture side: contracting processes, stage workflows and stage form definitions."""

    name = "workflows"
    verbose_name = _("Flujos de contratación")

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
