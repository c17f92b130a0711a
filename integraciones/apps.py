from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegracionesConfig(AppConfig):
    """The borders: PDN interconnection and the mirrors of S1, S2, S3 and SAT 69-B."""

    name = "integraciones"
    verbose_name = _("Integraciones (PDN y SAT)")
