"""URLs of the risk index, added to indicadores/urls.py (same «indicadores» namespace)."""

from django.urls import path

from indicadores.risk import api, views

urlpatterns = [
    path("api/indicadores/entes/", api.EntityScoresView.as_view(), name="api-risk-entities"),
    path("api/indicadores/unidades/", api.UnitScoresView.as_view(), name="api-risk-units"),
]

# The OIC's dashboard, under /tramite/ like the alert queue.
urlpatterns += [
    path("tramite/riesgo/", views.risk_dashboard, name="risk-dashboard"),
    path("tramite/riesgo/procesos/", views.risk_processes, name="risk-processes"),
    path("tramite/riesgo/exportar/", views.risk_export, name="risk-export"),
]
