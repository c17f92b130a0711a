"""URLs of the risk index, added to indicadores/urls.py (same «indicadores» namespace)."""

from django.urls import path

from indicadores.risk import api

urlpatterns = [
    path("api/indicadores/entes/", api.EntityScoresView.as_view(), name="api-risk-entities"),
    path("api/indicadores/unidades/", api.UnitScoresView.as_view(), name="api-risk-units"),
]
