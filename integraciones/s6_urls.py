"""URLs of the PDN's Sistema 6 endpoints (included by integraciones/urls.py)."""

from django.urls import path, re_path
from django.views.decorators.gzip import gzip_page

from integraciones import s6_views

# gzip: a page of 200 compiled releases is ~1 MB of JSON; the PDN waits 4 s at most.
# Both spellings, with and without the final slash, are served: a POST cannot be redirected to
# the other one, and a PDN operator may register the URL either way (the schema documents the
# spec's spelling only: cms.api_schema).
contrataciones = gzip_page(s6_views.ContratacionesAbiertasView.as_view())
records = gzip_page(s6_views.RecordsView.as_view())
urlpatterns = [
    path("api/s6/contrataciones-abiertas", contrataciones, name="s6-contrataciones-abiertas"),
    path("api/s6/contrataciones-abiertas/", contrataciones),
    path("api/s6/v1/records", records, name="s6-v1-records"),
    path("api/s6/v1/records/", records),
    # Anything else under /api/s6/ is a JSON 404, never the site's HTML page.
    re_path(r"^api/s6/", s6_views.not_found, name="s6-not-found"),
]
