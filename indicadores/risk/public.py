"""The risk index on the public site: panels of the entity and supplier pages, registered with
``ocds_pages.public_panels`` (the public pages never import this layer).

Only aggregates of published data: the index, its components and measures with their eligible
denominators, the quality score and the processes per indicator. No person is named and no open
case is told: on a supplier's page the registry findings (S1, S2, S3, 69-B) are left out — about
one firm they are open cases until the OIC confirms them — so its panel shows the competition,
transparency and legality components only.

Each panel is cached until the index changes (a publication or a recompute bumps the
generation, services.py) or for an hour (indicadores/panel_cache.py).
"""

from django.template.loader import render_to_string

from indicadores.engine.core import REGISTRIES, indicators
from indicadores.panel_cache import PanelCache
from indicadores.risk.measures import INTEGRITY
from indicadores.risk.models import ProcessRisk, RiskScore
from indicadores.risk.score import Score
from indicadores.risk.tally import summed
from ocds_pages.models import SupplierProjection
from ocds_pages.public_search import supplier_match

PANELS = PanelCache("riesgo-publico")
# The index changed: the public panels are rebuilt on their next view (services.py).
bump_generation = PANELS.bump


def entity_panel(key: str) -> str:
    """The entity's index by year, its latest year in detail and its units that year."""

    def build() -> str:
        years = list(RiskScore.objects.filter(entity__key=key, unit__isnull=True).order_by("-year"))
        if not years:
            return ""
        latest = years[0]
        units = RiskScore.objects.filter(entity__key=key, year=latest.year, unit__isnull=False)
        context = {
            "latest": latest,
            "score": Score.of(latest.tally),
            "years": [(row, Score.of(row.tally)) for row in years],
            "units": [
                (row, Score.of(row.tally))
                for row in units.select_related("unit").order_by("-index", "unit__key")
            ],
            "entity_key": key,
        }
        return render_to_string("indicadores/risk/public_entity.html", context)

    return PANELS.cached("ente", key, build)


def registry_codes() -> frozenset[str]:
    return frozenset(i.code for i in indicators() if i.family == REGISTRIES)


def supplier_panel(key: str) -> str:
    """The supplier's processes' components (without integrity) and indicator counts (without
    the registry ones)."""

    def build() -> str:
        ocids = SupplierProjection.objects.filter(supplier_match(key)).values("process__ocid")
        tallies = ProcessRisk.objects.filter(ocid__in=ocids).values_list("tally", flat=True)
        score = Score.of(summed(tallies))
        if not score.processes:
            return ""
        registries = registry_codes()
        context = {
            "score": score,
            "components": [c for c in score.components if c.key != INTEGRITY],
            "indicators": [r for r in score.indicator_rows() if r.code not in registries],
        }
        return render_to_string("indicadores/risk/public_supplier.html", context)

    return PANELS.cached("proveedor", key, build)
