"""Serving the files of the capture: drafts and unpublished documents only to their entity's staff.

Everything under ``MEDIA_ROOT/borradores/`` (files of stage-form file fields, ``DraftFile``) and
``MEDIA_ROOT/procesos/`` («Subir documento», ``ProcessDocument``) is answered here, never by the
web server directly. Once the stage that carries a file is approved it is public: its URL is in
the published release. Before that, an anonymous visitor is sent to log in and a person of
another entity (or without a role that reads processes) gets 404, as if the file did not exist.

Django can hand the bytes to the proxy instead of reading them itself: ``PROTECTED_MEDIA_SERVER``
``nginx`` answers with ``X-Accel-Redirect`` (to ``PROTECTED_MEDIA_INTERNAL_URL``, an ``internal``
location), ``sendfile`` with ``X-Sendfile`` (Apache mod_xsendfile, lighttpd); see
docs/instalacion.md.
"""

import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views import static

from cms.roles import Role
from cms.tenancy import has_role
from workflows.forms.form_models import DraftFile
from workflows.processes.process_models import ProcessDocument

PRIVATE_PREFIXES = ("borradores/", "procesos/")
# Who reads a process's documents before they are public: those who capture, approve and audit.
READER_ROLES = (Role.CAPTURISTA, Role.APROBADOR, Role.OIC)


@dataclass(frozen=True)
class StoredFile:
    name: str  # storage name, relative to MEDIA_ROOT
    entity_id: int
    published: bool
    content_type: str
    filename: str


def may_read(user, entity_id: int) -> bool:
    """Staff of ``entity_id`` holding a role that reads its processes (or the national admin)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(has_role(user, role, entity_id=entity_id) for role in READER_ROLES)


def media_file(request, path: str):
    """Any file under MEDIA_URL: the private ones are checked; the rest is the server's job."""
    name = posixpath.normpath(path).lstrip("/")
    if name.startswith(PRIVATE_PREFIXES):
        return private_file(request, _stored(name))
    if settings.DEBUG:  # in production the web server serves public media (images)
        return static.serve(request, name, document_root=settings.MEDIA_ROOT)
    raise Http404


def private_file(request, stored: StoredFile | None):
    if stored is None:
        raise Http404
    if not stored.published:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_read(request.user, stored.entity_id):
            raise Http404
    response = file_response(
        stored.name, stored.content_type, stored.filename, as_attachment=not stored.published
    )
    if not stored.published:
        response["Cache-Control"] = "private, no-store"
    return response


def _stored(name: str) -> StoredFile | None:
    if name.startswith("borradores/"):
        row = DraftFile.objects.filter(path=name).first()
        if row is None:
            return None
        return StoredFile(
            name, row.entity_id, bool(row.published_in), row.content_type, PurePosixPath(name).name
        )
    document = (
        ProcessDocument.objects.filter(file=name)
        .values("contracting_process__entity_id", "published_in", "content_type", "original_name")
        .first()
    )
    if document is None:
        return None
    return StoredFile(
        name,
        document["contracting_process__entity_id"],
        bool(document["published_in"]),
        document["content_type"],
        document["original_name"],
    )


def file_response(name: str, content_type: str, filename: str, *, as_attachment: bool):
    """The file ``name`` of the default storage, sent by Django or handed to the proxy."""
    server = getattr(settings, "PROTECTED_MEDIA_SERVER", "")
    if server == "nginx":
        response = HttpResponse(content_type=content_type)
        prefix = settings.PROTECTED_MEDIA_INTERNAL_URL.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
    elif server == "sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = str(Path(settings.MEDIA_ROOT) / name)
    else:
        if not default_storage.exists(name):
            raise Http404
        return FileResponse(
            default_storage.open(name, "rb"),
            content_type=content_type,
            as_attachment=as_attachment,
            filename=filename,
        )
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    return response
