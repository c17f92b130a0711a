from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevtoolsConfig(AppConfig):
    """Development and demonstration: demo loaders, fake PDN servers, the synthetic data generator
    and the benchmarks. Installed only when ``DEBUG`` or ``DEVTOOLS`` is on (cms/settings.py);
    it sits above every product app and no product module imports it (docs/arquitectura.md)."""

    name = "devtools"
    verbose_name = _("Herramientas de desarrollo")
