"""The roof: every app's URLs are mounted here (ARCHITECTURE.md allows this one upward import)."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from cms import api, oauth, views


def public(viewset):
    """The content API is public; our DRF default (IsAuthenticated) is for everything else."""
    return type(f"Public{viewset.__name__}", (viewset,), {"permission_classes": [AllowAny]})


# Headless content for a separate front end (Wagtail API v2).
content_api = WagtailAPIRouter("wagtailapi")
content_api.register_endpoint("pages", public(PagesAPIViewSet))
content_api.register_endpoint("images", public(ImagesAPIViewSet))
content_api.register_endpoint("documents", public(DocumentsAPIViewSet))

urlpatterns = [
    path("salud/", views.health, name="health"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("oauth/", include((oauth.urlpatterns, "oauth2_provider"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v2/", content_api.urls),
    path("api/yo/", api.WhoAmIView.as_view(), name="api-whoami"),
    path("api/entes/", api.EntityListView.as_view(), name="api-entities"),
    path("api/entes/<str:key>/unidades/", api.EntityUnitsView.as_view(), name="api-entity-units"),
    path("", include("ocds_pages.urls")),
    path("", include("workflows.urls")),
    path("", include("integraciones.urls")),
    path("", include("indicadores.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches everything else, so it goes last.
urlpatterns.append(path("", include(wagtail_urls)))
