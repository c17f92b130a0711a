"""URLs of the PDN's Sistema 6 endpoints (included by integraciones/urls.py)."""

from django.urls import path
from django.views.decorators.gzip import gzip_page

from integraciones import s6_views

# gzip: a page of 200 compiled releases is ~1 MB of JSON; the PDN waits 4 s at most.
urlpatterns = [
    path(
        "api/s6/contrataciones-abiertas",
        gzip_page(s6_views.ContratacionesAbiertasView.as_view()),
        name="s6-contrataciones-abiertas",
    ),
    path(
        "api/s6/v1/records",
        gzip_page(s6_views.RecordsView.as_view()),
        name="s6-v1-records",
    ),
]
