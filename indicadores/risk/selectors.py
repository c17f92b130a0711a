"""Reads of the risk index: the stored aggregates the API, the public pages and the dashboard
show, each in a fixed number of queries whatever the number of rows."""

from django.db.models import QuerySet

from cms.roles import Role
from cms.tenancy import entity_ids_for
from indicadores.risk.models import RiskScore


def entity_scores() -> QuerySet:
    """Every entity's yearly aggregate (the public ones: published data only)."""
    return (
        RiskScore.objects.filter(unit__isnull=True)
        .select_related("entity")
        .order_by("entity__key", "-year")
    )


def unit_scores(entity_ids: list[int] | None) -> QuerySet:
    """The purchasing units' yearly aggregates of these entities (None: every entity)."""
    scores = RiskScore.objects.filter(unit__isnull=False)
    if entity_ids is not None:
        scores = scores.filter(entity_id__in=entity_ids)
    return scores.select_related("entity", "unit").order_by("entity__key", "unit__key", "-year")


def token_entities(token) -> list[int] | None:
    """The entities an ``alertas`` token reads per unit (None: all), the alerts API's rule: a
    person's token, the entities where they are OIC (the national administrator, all); a client
    alone, its registered entity, or all if national."""
    if token.user_id is not None:
        allowed = entity_ids_for(token.user, [Role.OIC])
        return None if allowed is None else list(allowed)
    entity_id = token.application.entity_id
    return None if entity_id is None else [entity_id]
