"""URLs of the workflows app (mounted by cms/urls.py): staff capture screens."""

from django.conf import settings
from django.urls import path, re_path

from workflows.processes import media, staff_views, views

app_name = "workflows"

urlpatterns = [
    # The retired standalone draft screens: redirects to their /tramite/ equivalents.
    path("captura/borradores/", views.draft_list, name="draft-list"),
    path("captura/borradores/nuevo/", views.draft_create, name="draft-create"),
    path("captura/borradores/<int:pk>/", views.draft_detail, name="draft-detail"),
    # Contracting processes and their stage tasks (issue 6).
    path("tramite/", staff_views.inbox, name="inbox"),
    path("tramite/procesos/", staff_views.process_list, name="process-list"),
    path("tramite/procesos/nuevo/", staff_views.process_create, name="process-create"),
    path("tramite/procesos/<int:pk>/", staff_views.process_detail, name="process-detail"),
    path("tramite/procesos/<int:pk>/iniciar/", staff_views.stage_start, name="stage-start"),
    path(
        "tramite/procesos/<int:pk>/sustituir/",
        staff_views.process_replace,
        name="process-replace",
    ),
    path(
        "tramite/procesos/<int:pk>/documentos/",
        staff_views.document_upload,
        name="document-upload",
    ),
    path("tramite/documentos/<int:pk>/", staff_views.document_download, name="document-download"),
    path("tramite/tareas/<int:pk>/", staff_views.task_detail, name="task"),
    path(
        "documentos/procesos/<uuid:public_id>/",
        staff_views.public_document,
        name="public-document",
    ),
    # Every file under MEDIA_URL: drafts and unpublished documents only for their entity's staff.
    re_path(
        rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media.media_file, name="media-file"
    ),
]
