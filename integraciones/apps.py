from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegracionesConfig(AppConfig):
    """The borders: PDN interconnection and the mirrors of S1, S2, S3 and SAT 69-B."""

    name = "integraciones"
    verbose_name = _("Integraciones (PDN y SAT)")

    def ready(self):
        # Cached S6 totals start a new generation on every publication (release_published).
        # The registry sync is a long job (cms.jobs).
        from integraciones import (
            jobs,  # noqa: F401
            s6_counts,  # noqa: F401
        )
