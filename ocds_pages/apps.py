from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcdsPagesConfig(AppConfig):
    """The published side: OCDS releases and records, validation, packages, public pages, API."""

    name = "ocds_pages"
    verbose_name = _("Datos publicados (OCDS)")

    def ready(self):
        # Registers ci_fold and the Spanish collation on every SQLite connection.
        from ocds_pages import search  # noqa: F401
