from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcdsPagesConfig(AppConfig):
    """The published side: OCDS releases and records, validation, packages, public pages, API."""

    name = "ocds_pages"
    verbose_name = _("Datos publicados (OCDS)")

    def ready(self):
        # Connects the public pages' cache invalidation to release_published in every process
        # that can publish (web workers, management commands, job workers), not only in those
        # that happened to load the URLconf.
        from ocds_pages import public  # noqa: F401
