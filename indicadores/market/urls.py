"""URLs of the market research (mounted by cms/urls.py): staff screens and the market API."""

from django.urls import path

from indicadores.market import api, views

app_name = "mercado"

urlpatterns = [
    path("tramite/mercado/", views.search, name="search"),
    path("tramite/mercado/estudios/", views.study_list, name="study-list"),
    path("tramite/mercado/estudios/nuevo/", views.study_create, name="study-create"),
    path("tramite/mercado/estudios/<int:pk>/", views.study_detail, name="study"),
    path("tramite/mercado/estudios/<int:pk>/editar/", views.study_update, name="study-update"),
    path("tramite/mercado/estudios/<int:pk>/excluir/", views.exclude, name="exclude"),
    path(
        "tramite/mercado/estudios/<int:pk>/incluir/<int:exclusion_pk>/",
        views.include,
        name="include",
    ),
    path("tramite/mercado/estudios/<int:pk>/reporte/", views.report_create, name="report"),
    path(
        "tramite/mercado/estudios/<int:pk>/reporte/<int:report_pk>.<str:kind>",
        views.report_file,
        name="report-file",
    ),
    path("tramite/mercado/proveedores/", views.supplier_list, name="supplier-list"),
    path("tramite/mercado/proveedores/<path:key>/", views.supplier_detail, name="supplier"),
]

# The market API (docs/api.md, «Mercado»).
urlpatterns += [
    path("api/mercado/partidas/", api.ItemsView.as_view(), name="api-items"),
    path("api/mercado/precios/", api.PricesView.as_view(), name="api-prices"),
    path("api/mercado/proveedores/", api.SuppliersView.as_view(), name="api-suppliers"),
]
