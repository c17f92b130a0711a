"""URLs of the market research (mounted by cms/urls.py): staff screens and the market API."""

from django.urls import path

from indicadores.market import api

app_name = "mercado"

urlpatterns = [
    path("api/mercado/precios/", api.PricesView.as_view(), name="api-prices"),
    path("api/mercado/proveedores/", api.SuppliersView.as_view(), name="api-suppliers"),
]
