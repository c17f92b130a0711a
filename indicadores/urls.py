"""URLs of the indicadores app (mounted by cms/urls.py): the OIC's alert screens and API."""

from django.urls import path

from indicadores import api, views
from indicadores.monitoring.urls import urlpatterns as monitoring_urls

app_name = "indicadores"

urlpatterns = [
    path("tramite/alertas/", views.alert_list, name="alert-list"),
    path("tramite/alertas/<int:pk>/", views.alert_detail, name="alert-detail"),
    path("tramite/alertas/<int:pk>/accion/", views.alert_action, name="alert-action"),
    path("tramite/alertas/solicitudes/", views.response_list, name="response-list"),
    path("tramite/alertas/solicitudes/<int:pk>/", views.response_answer, name="response"),
    path("tramite/avisos/", views.notification_list, name="notifications"),
]

# The alerts API (docs/api.md, «Alertas»).
urlpatterns += [
    path("api/alertas/", api.AlertsView.as_view(), name="api-alerts"),
    path("api/alertas/busqueda", api.AlertSearchView.as_view(), name="api-alert-search"),
]

# The risk index: its API and the OIC's dashboard (indicadores/risk/urls.py).
from indicadores.risk.urls import urlpatterns as risk_urlpatterns  # noqa: E402

urlpatterns += risk_urlpatterns

# Contract monitoring (issue 19): its API and screens.
urlpatterns += monitoring_urls
