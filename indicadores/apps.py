from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicadoresConfig(AppConfig):
    """The analysis: red flags, alerts, market research and contract monitoring."""

    name = "indicadores"
    verbose_name = _("Indicadores y alertas")
