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
            "indicadores.view_riskscore",  # the risk dashboard (indicadores/risk/views.py)
        ],
        Role.APROBADOR: [
            "indicadores.view_alert",
            "indicadores.answer_alert",
        ],
    }
    # Contract monitoring (issue 19): every staff role of an entity follows its contracts.
    for _role in (Role.CAPTURISTA, Role.APROBADOR, Role.OIC, Role.ADMIN_ENTE):
        role_permissions.setdefault(_role, []).append("indicadores.view_monitoredcontract")
    del _role
    for _role in (Role.OIC, Role.ADMIN_ENTE):  # the entity moderates its citizen reports
        role_permissions[_role].append("indicadores.moderate_citizenreport")
    del _role

    def ready(self):
        from indicadores import jobs, receivers  # noqa: F401  (jobs: the recompute, cms.jobs)
        from indicadores.engine import hooks, lookups  # noqa: F401  (lookups: ``__among``)
        from indicadores.evidence import VALUE_LABELS
        from indicadores.signals import alert_statuses_changed, outcomes_computed
        from ocds_pages.signals import release_published
        from workflows.processes.integrity import register_source, register_value_labels

        outcomes_computed.connect(receivers.outcomes_computed, dispatch_uid="alerts_from_outcomes")
        from indicadores.risk import public as risk_public
        from indicadores.risk import receivers as risk_receivers
        from ocds_pages import public_panels

        outcomes_computed.connect(risk_receivers.outcomes_computed, dispatch_uid="risk_index")
        alert_statuses_changed.connect(
            risk_receivers.alert_statuses_changed, dispatch_uid="risk_alert_counts"
        )
        public_panels.register("ente", "riesgo", risk_public.entity_panel)
        public_panels.register("proveedor", "riesgo", risk_public.supplier_panel)
        # Lower layers call the engine through their hooks (docs/arquitectura.md §4): the
        # integrity findings of the capture and review screens, and every publication.
        register_source(hooks.SOURCE_NAME, hooks.integrity_source)
        register_value_labels(VALUE_LABELS)
        release_published.connect(
            hooks.on_release_published, dispatch_uid="indicadores.engine.release_published"
        )
        # Contract monitoring (issue 19): its rows follow each publication and each set run.
        from indicadores.engine.runner import BATCH_LISTENERS
        from indicadores.monitoring import store

        release_published.connect(
            store.on_release_published, dispatch_uid="indicadores.monitoring.release_published"
        )
        BATCH_LISTENERS.append(store.refresh)
        # …and the public pages show each contract's progress and the entity's portfolio.
        from indicadores.monitoring import public
        from ocds_pages import public_panels

        public_panels.register("proceso", "seguimiento", public.process_section)
        public_panels.register("ente", "seguimiento", public.entity_section)
