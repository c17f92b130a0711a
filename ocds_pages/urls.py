"""URLs of the ocds_pages app (mounted by cms/urls.py, before Wagtail's page catch-all)."""

from django.urls import path, re_path
from django.views.decorators.gzip import gzip_page

from ocds_pages import api, bulk_views, views

app_name = "ocds_pages"

# Stable URLs: every published package lists the first one in its `extensions`; the public pages
# are permalinks (a process by its ocid) that search engines and other sites link to.
urlpatterns = [
    path("ocds/extension/extension.json", views.extension_metadata, name="extension"),
    path(
        "ocds/extension/release-schema.json",
        views.extension_release_schema,
        name="extension-release-schema",
    ),
    path(
        "ocds/extension/codelists/<str:codelist>",
        views.extension_codelist,
        name="extension-codelist",
    ),
    re_path(
        r"^ocds/extensiones/(?P<name>[A-Za-z]+)/(?P<path>(?:codelists/)?[+A-Za-z.-]+)$",
        views.bundled_extension_file,
        name="bundled-extension-file",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("procesos/", views.process_search, name="process-search"),
    path("procesos/descargar/procesos.csv", views.process_search_csv, name="process-search-csv"),
    path("procesos/descargar/procesos.json", views.process_search_json, name="process-search-json"),
    path("procesos/<str:ocid>/", views.process_page, name="process"),
    path("procesos/<str:ocid>/registro.json", views.process_record_json, name="process-record"),
    path(
        "procesos/<str:ocid>/entregas/<str:release_id>.json",
        views.release_json,
        name="process-release",
    ),
    path("entes/", views.entity_index, name="entity-index"),
    path("entes/<str:key>/", views.entity_page, name="entity"),
    path("proveedores/<str:key>/", views.supplier_page, name="supplier"),
]

# The public OCDS API (issue 7); CORS for /api/ocds/ is configured in settings (OCDS Show).
urlpatterns += [
    path("api/ocds/releases/", gzip_page(api.ReleaseListView.as_view()), name="api-releases"),
    path(
        "api/ocds/releases/<str:ocid>/<str:release_id>/",
        gzip_page(api.ReleaseDetailView.as_view()),
        name="api-release",
    ),
    path(
        "api/ocds/release-package/",
        gzip_page(api.ReleasePackageView.as_view()),
        name="api-release-package",
    ),
    path("api/ocds/records/", gzip_page(api.RecordListView.as_view()), name="api-records"),
    path(
        "api/ocds/records/<str:ocid>/",
        gzip_page(api.RecordDetailView.as_view()),
        name="api-record",
    ),
    path("api/ocds/bulk/", bulk_views.BulkListView.as_view(), name="api-bulk"),
    path(
        "api/ocds/bulk/<path:name>",
        bulk_views.BulkFileView.as_view(),
        name="api-bulk-file",
    ),
    # Anything else under /api/ocds/ is a JSON 404 (or the slash-ended URL it meant).
    re_path(r"^api/ocds/", api.not_found, name="api-ocds-not-found"),
]
