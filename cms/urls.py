"""The roof: every app's URLs are mounted here (docs/arquitectura.md §3 allows this one import)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.contrib.sitemaps import Sitemap as PagesSitemap
from wagtail.contrib.sitemaps.views import index as sitemap_index
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import api, oauth, request_guards, views
from ocds_pages.sitemaps import SITEMAPS as OCDS_SITEMAPS

# Headless content for a separate front end (Wagtail API v2).
content_api = WagtailAPIRouter("wagtailapi")
content_api.register_endpoint("pages", api.PublicPagesAPIViewSet)
content_api.register_endpoint("images", api.PublicImagesAPIViewSet)
content_api.register_endpoint("documents", api.PublicDocumentsAPIViewSet)

# One section per kind of public page; /sitemap.xml is the index (a national installation has
# more than the 50,000 URLs one sitemap file may hold).
SITEMAPS = {"paginas": PagesSitemap, **OCDS_SITEMAPS}

urlpatterns = [
    path("salud/", views.health, name="health"),
    # Wagtail's error-page test view answered 200 to anyone, also in production (issue 20, item 12).
    path("admin/failwhale/", request_guards.hidden),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("oauth/", include((oauth.urlpatterns, "oauth2_provider"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The Swagger UI's start-up script from its own URL (?script), not inline: the staff CSP
    # allows no inline script without a nonce (cms/security_headers.py).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v2/", content_api.urls),
    path("api/yo/", api.WhoAmIView.as_view(), name="api-whoami"),
    path("api/entes/", api.EntityListView.as_view(), name="api-entities"),
    path("api/entes/<str:key>/unidades/", api.EntityUnitsView.as_view(), name="api-entity-units"),
    path("", include("ocds_pages.urls")),
    path("", include("workflows.urls")),
    path("", include("integraciones.urls")),
    path("", include("indicadores.urls")),
    path("", include("indicadores.market.urls")),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap-section"),
]

# MEDIA_URL is answered by workflows.processes.media (drafts and unpublished documents are private;
# under DEBUG it serves the rest too, which a web server does in production).

# The API answers its errors as JSON {code, message}; people get the Spanish pages.
handler400 = "cms.request_guards.bad_request"
handler404 = "cms.request_guards.page_not_found"
handler500 = "cms.request_guards.server_error"

# Wagtail's page serving catches everything else, so it goes last.
urlpatterns.append(path("", include(wagtail_urls)))
