"""The risk index on the admin home: the OIC lands on its entity's index (latest year, the year
before, the four components and the data quality) one click from the dashboard; the national
administrator, on the entities with the highest index.

Registered through Wagtail's ``construct_homepage_panels`` (indicadores/wagtail_hooks.py) as a
``cms.dashboard.HomePanel`` whose context is computed when built: one query for an OIC, two for
the national view, whatever the number of years or entities.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F, Max
from django.urls import reverse

from cms.dashboard import HomePanel
from cms.roles import Role
from cms.tenancy import entity_ids_for
from indicadores.risk.measures import COMPONENT_NAMES, COMPONENTS
from indicadores.risk.models import RiskScore
from indicadores.risk.views import VIEW

SHOWN = 5  # entities listed; the dashboard has them all


@dataclass
class EntityRisk:
    """One entity's latest yearly index, with the year before for comparison."""

    score: RiskScore
    previous: RiskScore | None
    url: str

    @property
    def components(self) -> list[tuple[str, float | None]]:
        return [(str(COMPONENT_NAMES[key]), getattr(self.score, key)) for key in COMPONENTS]


def _dashboard_url(key: str = "") -> str:
    url = reverse("indicadores:risk-dashboard")
    return f"{url}?{urlencode({'ente': key})}" if key else url


def risk_home(user) -> dict:
    """The entities the person audits (the national administrator: every entity) with their
    latest index, highest first."""
    scope = entity_ids_for(user, [Role.OIC])
    rows = RiskScore.objects.filter(unit__isnull=True).select_related("entity")
    if scope is None:
        year = rows.aggregate(year=Max("year"))["year"]
        top = rows.filter(year=year).order_by(F("index").desc(nulls_last=True), "entity__key")
        items = [EntityRisk(row, None, _dashboard_url(row.entity.key)) for row in top[:SHOWN]]
        return {"national": True, "year": year, "items": items, "url": _dashboard_url()}
    latest: dict[int, list[RiskScore]] = {}
    for row in rows.filter(entity_id__in=scope).order_by("entity_id", "-year"):
        years = latest.setdefault(row.entity_id, [])
        if len(years) < 2:
            years.append(row)
    items = [
        EntityRisk(
            years[0], years[1] if len(years) > 1 else None, _dashboard_url(years[0].entity.key)
        )
        for years in latest.values()
    ]
    items.sort(key=lambda item: (-(item.score.index or -1), item.score.entity.key))
    url = items[0].url if len(items) == 1 else _dashboard_url()
    return {"national": False, "items": items[:SHOWN], "more": len(items) > SHOWN, "url": url}


def risk_panels(request) -> list[HomePanel]:
    if not request.user.has_perm(VIEW):
        return []
    context = risk_home(request.user)
    return [HomePanel("indice-riesgo", "indicadores/risk/home_panel.html", 45, context)]
