from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicadoresConfig(AppConfig):
    """The analysis: red flags, alerts, market research and contract monitoring."""

    name = "indicadores"
    verbose_name = _("Indicadores y alertas")

    def ready(self):
        # Lower layers call us through their hooks (docs/arquitectura.md §4): the integrity
        # findings of the capture and review screens, and every publication.
        from indicadores.engine import hooks
        from ocds_pages.signals import release_published
        from workflows.integrity import register_source

        register_source(hooks.SOURCE_NAME, hooks.integrity_source)
        release_published.connect(
            hooks.on_release_published, dispatch_uid="indicadores.engine.release_published"
        )
