"""The public side of the supplier profile: unit prices by item on ocds_pages' supplier page.

Registered as a public panel (ocds_pages.public_panels, docs/arquitectura.md §4). Only published
data — this installation's and other publishers' prices with their source — never the registry
screening or alerts, which are for staff (the staff profile at /tramite/mercado/proveedores/).
"""

from django.db.models import Count, Max, Min, Q
from django.template.loader import render_to_string

from indicadores.market.models import PriceObservation
from indicadores.panel_cache import PanelCache
from ocds_pages.party_keys import normalise_rfc

MAX_ITEMS = 50
# Bumped whenever price rows change (indicadores/market/services.py), so a cached panel is never
# older than the rows it shows; the public pages' second visit stays free of queries.
PANELS = PanelCache("mercado-publico")
bump_generation = PANELS.bump


def supplier_panel(key: str) -> str:
    return PANELS.cached("proveedor", key, lambda: _supplier_panel(key))


def _supplier_panel(key: str) -> str:
    prices = PriceObservation.objects.filter(
        Q(supplier_rfc=normalise_rfc(key)) | Q(supplier_id=key)
    )
    items = list(
        prices.values("classification_id", "unit_name")
        .annotate(
            count=Count("pk"),
            low=Min("unit_price"),
            high=Max("unit_price"),
            description=Max("description"),
            since=Min("date"),
        )
        .order_by("-count", "classification_id")[:MAX_ITEMS]
    )
    if not items:
        return ""
    since = min((item["since"] for item in items if item["since"]), default=None)
    return render_to_string("market/public_supplier_panel.html", {"items": items, "since": since})
