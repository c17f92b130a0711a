"""URLs of contract monitoring (included by indicadores/urls.py)."""

from django.urls import path

from indicadores.monitoring import api

urlpatterns = [
    path("api/seguimiento/contratos/", api.ContractsView.as_view(), name="api-monitoring"),
]
