"""URLs of the workflows app (mounted by cms/urls.py): staff capture screens."""

from django.urls import path

from workflows import views

app_name = "workflows"

urlpatterns = [
    path("captura/borradores/", views.draft_list, name="draft-list"),
    path("captura/borradores/nuevo/", views.draft_create, name="draft-create"),
    path("captura/borradores/<int:pk>/", views.draft_detail, name="draft-detail"),
]
