"""Process documents: every version kept with its SHA-256, limits, executables refused."""

import hashlib

import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ocds_pages.models import Release
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.walker import Walker
from workflows.processes.process_models import AuditAction, ProcessDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(walker, process, content, name="oficio.pdf", **extra):
    data = {
        "stage": "planning",
        "title": "Oficio de suficiencia presupuestal",
        "document_type": "procurementPlan",
        "file": SimpleUploadedFile(name, content),
        **extra,
    }
    data = {f"documento-{key}": value for key, value in data.items()}
    return walker.as_("capturista").post(f"/tramite/procesos/{process.pk}/documentos/", data)


def test_versions_are_kept_and_the_latest_is_published_with_its_hash():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    upload(walker, process, PDF)
    upload(walker, process, PDF + b"% corregido\n", document_id="doc-1")
    versions = ProcessDocument.objects.filter(contracting_process=process).order_by("version")
    assert [d.version for d in versions] == [1, 2]
    assert versions[0].sha256 == hashlib.sha256(PDF).hexdigest()
    assert process.audit_entries.filter(action=AuditAction.UPLOAD).count() == 2
    walker.capture("capturista", process, "planning", values.planning())
    walker.decide("aprobador", process, "planning")
    release = orjson.loads(Release.objects.get(ocid=process.ocid).data)
    [document] = release["planning"]["documents"]
    assert document["sha256"] == versions[1].sha256
    public = walker.as_("aprobador").get(document["url"].split("127.0.0.1:8000")[-1])
    assert public.status_code == 200
    assert b"".join(public.streaming_content) == PDF + b"% corregido\n"
    # The first version was never published: its public URL does not exist.
    first = f"/documentos/procesos/{versions[0].public_id}/"
    assert walker.as_("aprobador").get(first).status_code == 404


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "factura.pdf"),  # a Windows program renamed
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 20, "acta.png"),
        (PDF, "instalador.exe"),
        (b"#!/bin/sh\nrm -rf /\n", "script.pdf"),
        (b"solo texto plano", "notas.pdf"),
    ],
)
def test_executables_and_unknown_types_are_refused(content, name):
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    response = upload(walker, process, content, name=name)
    assert response.status_code == 302
    assert not ProcessDocument.objects.exists()


def test_size_limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    upload(walker, process, PDF + b"0" * 2048)
    assert not ProcessDocument.objects.exists()


def test_approver_cannot_upload():
    world = drafts.people()
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    data = {
        "documento-stage": "planning",
        "documento-title": "Oficio",
        "documento-document_type": "procurementPlan",
        "documento-file": SimpleUploadedFile("oficio.pdf", PDF),
    }
    response = walker.as_("aprobador").post(f"/tramite/procesos/{process.pk}/documentos/", data)
    assert response.status_code == 403
    assert not ProcessDocument.objects.exists()
