"""URLs of the ocds_pages app (mounted by cms/urls.py)."""

from django.urls import path

from ocds_pages import views

app_name = "ocds_pages"

# Stable URLs: every published package lists the first one in its `extensions`.
urlpatterns = [
    path("ocds/extension/extension.json", views.extension_metadata, name="extension"),
    path(
        "ocds/extension/release-schema.json",
        views.extension_release_schema,
        name="extension-release-schema",
    ),
]
