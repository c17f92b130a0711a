from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcdsPagesConfig(AppConfig):
    """The published side: OCDS releases and records, validation, packages, public pages, API."""

    name = "ocds_pages"
    verbose_name = _("Datos publicados (OCDS)")
