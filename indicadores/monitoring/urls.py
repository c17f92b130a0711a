"""URLs of contract monitoring (included by indicadores/urls.py)."""

from django.urls import path

from indicadores.monitoring import api, api_entities, public, views

urlpatterns = [
    path("api/seguimiento/contratos/", api.ContractsView.as_view(), name="api-monitoring"),
    path(
        "api/seguimiento/entes/",
        api_entities.EntitiesView.as_view(),
        name="api-monitoring-entities",
    ),
    path("tramite/seguimiento/", views.dashboard, name="monitoring"),
    path("tramite/seguimiento/contratos/", views.contract_list, name="monitoring-list"),
    path(
        "tramite/seguimiento/contratos/<int:pk>/",
        views.contract_detail,
        name="monitoring-contract",
    ),
    path("tramite/seguimiento/reportes/", views.report_list, name="monitoring-reports"),
    path(
        "tramite/seguimiento/reportes/<int:pk>/moderar/",
        views.report_moderate,
        name="monitoring-report-moderate",
    ),
    path(
        "tramite/seguimiento/reportes/<int:pk>/foto",
        views.report_photo,
        name="monitoring-report-photo",
    ),
    path("seguimiento/<str:ocid>/reportar/", public.report, name="monitoring-report"),
    path(
        "tramite/seguimiento/exportar.<str:fmt>",
        views.export,
        name="monitoring-export",
    ),
]
