"""Issue 16, item 4: one upload check (content, size, formats) for every way a file enters —
the file fields of the stage forms and «Subir documento» alike."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workflows import drafts
from tests.workflows.walker import Walker
from workflows.processes.process_models import ProcessDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TENDER = {
    "titulo": "Adquisición de medicamentos 2027",
    "descripcion": "Licitación pública nacional para abastecer unidades médicas.",
    "categoria": "goods",
    "montoEstimado_0": "250000.00",
    "montoEstimado_1": "MXN",
    "finPropuestas": "2027-03-01T10:00",
    "partidas-TOTAL_FORMS": "1",
    "partidas-INITIAL_FORMS": "0",
    "partidas-0-descripcion": "Paracetamol tabletas 500 mg",
    "partidas-0-cantidad": "12000",
}
TWENTY_ONE_MB = 21 * 1024 * 1024

REFUSED = [
    (b"MZ\x90\x00" + b"\x00" * 60, "convocatoria.exe", "No se admiten programas"),
    (b"MZ\x90\x00" + b"\x00" * 60, "convocatoria.pdf", "No se admiten programas"),
    (b"Convocatoria en texto plano.", "convocatoria.txt", "Tipo de archivo no admitido"),
    (PDF + b"0" * TWENTY_ONE_MB, "convocatoria.pdf", "pesa 21.0 MB; el máximo es 20.0 MB"),
]


@pytest.fixture
def tender(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = drafts.people()
    run, task = drafts.tender_in_capture(world)
    client.force_login(world["capturista"])
    return run, f"/tramite/tareas/{task.pk}/", tmp_path


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(("content", "name", "message"), REFUSED)
def test_a_stage_form_file_field_refuses_what_subir_documento_refuses(
    client, tender, content, name, message
):
    run, url, media = tender
    response = client.post(url, {**TENDER, "convocatoria": SimpleUploadedFile(name, content)})
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    assert message in page
    run.stage_draft.refresh_from_db()
    assert "convocatoria" not in run.stage_draft.values
    assert run.stage_draft.values["titulo"] == TENDER["titulo"]  # the rest is kept
    assert stored_files(media) == []


def test_a_refused_file_cannot_be_sent_to_review(client, tender):
    run, url, _media = tender
    exe = SimpleUploadedFile("dictamen.exe", b"MZ" + b"\x00" * 62)
    response = client.post(url, {**TENDER, "convocatoria": exe, "accion": "enviar"})
    assert response.status_code == 422
    run.refresh_from_db()
    assert run.submitted_by_id is None


def test_an_accepted_file_keeps_the_type_its_content_shows(client, tender):
    run, url, media = tender
    # The browser says text/plain; the bytes say PDF, and that is what is published.
    upload = SimpleUploadedFile("convocatoria.pdf", PDF, content_type="text/plain")
    client.post(url, {**TENDER, "convocatoria": upload})
    run.stage_draft.refresh_from_db()
    assert run.stage_draft.values["convocatoria"]["format"] == "application/pdf"
    assert len(stored_files(media)) == 1


def test_the_size_limit_and_formats_come_from_the_settings(client, tender, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    settings.UPLOAD_FORMATS = ["png"]
    run, url, _media = tender
    page = client.post(
        url, {**TENDER, "convocatoria": SimpleUploadedFile("c.pdf", PDF)}
    ).content.decode()
    assert "Tipo de archivo no admitido: se aceptan PNG." in page
    assert 'accept=".png"' in client.get(url).content.decode()


@pytest.mark.parametrize(("content", "name", "message"), REFUSED[2:])
def test_subir_documento_says_why_in_the_same_words(settings, tmp_path, content, name, message):
    settings.MEDIA_ROOT = tmp_path
    walker = Walker(drafts.people())
    process = walker.create("capturista", "adjudicacion_directa")
    data = {
        "documento-stage": "planning",
        "documento-title": "Oficio",
        "documento-document_type": "procurementPlan",
        "documento-file": SimpleUploadedFile(name, content),
    }
    client = walker.as_("capturista")
    response = client.post(f"/tramite/procesos/{process.pk}/documentos/", data, follow=True)
    assert message in html.unescape(response.content.decode())
    assert not ProcessDocument.objects.exists()
