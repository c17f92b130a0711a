from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cms.roles import Role


class MarketConfig(AppConfig):
    """Market research (issue 18): unit-price references, candidate suppliers and their report.

    Its own app inside ``indicadores`` (same layer) so that its tables and migrations live apart
    from the alerts'. It reads published records and the registry mirrors, never drafts.
    """

    name = "indicadores.market"
    label = "mercado"
    verbose_name = _("Investigación de mercado")

    # What each role needs from this app (cms.roles.role_permissions; the checks are in
    # indicadores/market/permissions.py): every staff role of an entity reads prices, candidate
    # suppliers with their screening and the studies; the capturista runs the studies.
    role_permissions = {
        role: ["mercado.view_marketstudy"]
        for role in (Role.CAPTURISTA, Role.APROBADOR, Role.OIC, Role.ADMIN_ENTE)
    }
    role_permissions[Role.CAPTURISTA] += ["mercado.add_marketstudy", "mercado.change_marketstudy"]

    def ready(self):
        from indicadores.market import jobs, public, receivers  # noqa: F401  (jobs: cms.jobs)

        # The attached report's requestForQuotes in the planning release (docs/mercado.md).
        from indicadores.market.quotes import planning_part
        from indicadores.market.reference import store_bulk
        from ocds_pages import public_panels, reference
        from ocds_pages.signals import release_published
        from workflows.processes.releases import register_release_part

        register_release_part("mercado.requestsForQuotes", planning_part)
        # importar_ocds --referencia hands its files here (docs/arquitectura.md §4).
        reference.register_store(store_bulk)
        # The public supplier page shows the unit prices by item (published data only).
        public_panels.register("proveedor", "precios_unitarios", public.supplier_panel)
        # Each publication refreshes the price rows of its process (docs/arquitectura.md §4).
        release_published.connect(
            receivers.on_release_published, dispatch_uid="indicadores.market.release_published"
        )
