from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.roles import Role


class IndicadoresConfig(AppConfig):
    """The analysis: red flags, alerts, market research and contract monitoring."""

    name = "indicadores"
    verbose_name = _("Indicadores y alertas")

    # What each role needs from this app (cms.roles.role_permissions; docs/arquitectura.md,
    # decision 16). The OIC works the alerts of its entity; approvers read them and answer the
    # OIC's requests for their unit. Where (which entity, which unit) comes from the membership.
    role_permissions = {
        Role.OIC: [
            "indicadores.view_alert",
            "indicadores.work_alert",
            "indicadores.view_alertevent",
        ],
        Role.APROBADOR: [
            "indicadores.view_alert",
            "indicadores.answer_alert",
        ],
    }

    def ready(self):
        from indicadores import receivers
        from indicadores.signals import outcomes_computed

        outcomes_computed.connect(receivers.outcomes_computed, dispatch_uid="alerts_from_outcomes")
