"""Issue 16, item 5: draft files (/media/borradores/…) and unpublished process documents
(/media/procesos/…) only for the staff of their entity; public once their stage is published."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cms.roles import Role
from tests.factories import make_entity, make_member
from tests.workflows import drafts
from tests.workflows import form_values as values
from tests.workflows.walker import Walker
from workflows.forms.forms_engine import CaptureContext, data_from_values
from workflows.processes import process_services
from workflows.processes.process_models import ProcessDocument

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = drafts.people()
    other = make_entity("SAT")
    world["other_entity"] = make_member(Role.CAPTURISTA, other, None, "cap-SAT")
    world["editor"] = make_member(Role.EDITOR, world["entity"], None, "editor-IMSS")
    return world


def client_of(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def tender_with_file(world, action=""):
    run, task = drafts.tender_in_capture(world)
    context = CaptureContext(procedure_type="lp_nacional")
    data = data_from_values(run.stage_draft.version, values.tender("open"), context=context)
    data["convocatoria"] = SimpleUploadedFile("convocatoria.pdf", PDF)
    if action:
        data["accion"] = action
    response = client_of(world["capturista"]).post(f"/tramite/tareas/{task.pk}/", data)
    assert response.status_code in (200, 302), response.content.decode()[-2000:]
    run.stage_draft.refresh_from_db()
    url = run.stage_draft.values["convocatoria"]["url"]
    return run, url.split("127.0.0.1:8000", 1)[-1]


def test_a_draft_file_is_not_served_to_anonymous_visitors(world):
    _run, url = tender_with_file(world)
    assert url.startswith("/media/borradores/IMSS/")
    response = client_of().get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.parametrize("variant", ["/media/./borradores/", "/media//borradores/"])
def test_no_spelling_of_the_path_gets_around_the_check(world, variant):
    _run, url = tender_with_file(world)
    response = client_of().get(url.replace("/media/borradores/", variant))
    assert response.status_code in (302, 404)


def test_staff_of_the_entity_read_the_draft_file(world):
    _run, url = tender_with_file(world)
    for who in ("capturista", "aprobador"):
        response = client_of(world[who]).get(url)
        assert response.status_code == 200, who
        assert body(response) == PDF
        assert response["Cache-Control"] == "private, no-store"


def test_another_entity_or_a_role_that_does_not_read_processes_gets_404(world):
    _run, url = tender_with_file(world)
    assert client_of(world["other_entity"]).get(url).status_code == 404
    assert client_of(world["editor"]).get(url).status_code == 404


def test_once_its_stage_is_published_the_file_is_public(world):
    run, url = tender_with_file(world, action="enviar")
    process_services.review_approve(task=process_services.active_task(run), user=world["aprobador"])
    response = client_of().get(url)
    assert response.status_code == 200
    assert body(response) == PDF


def test_an_unpublished_process_document_is_private_until_published(world):
    walker = Walker(world)
    process = walker.create("capturista", "adjudicacion_directa")
    walker.as_("capturista").post(
        f"/tramite/procesos/{process.pk}/documentos/",
        {
            "documento-stage": "planning",
            "documento-title": "Oficio de suficiencia",
            "documento-document_type": "procurementPlan",
            "documento-file": SimpleUploadedFile("oficio.pdf", PDF),
        },
    )
    document = ProcessDocument.objects.get()
    url = f"/media/{document.file.name}"
    assert url.startswith("/media/procesos/")
    assert client_of().get(url).status_code == 302
    assert client_of(world["other_entity"]).get(url).status_code == 404
    assert client_of(world["aprobador"]).get(url).status_code == 200
    download = client_of(world["aprobador"]).get(f"/tramite/documentos/{document.pk}/")
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert (
        client_of(world["other_entity"]).get(f"/tramite/documentos/{document.pk}/").status_code
        == 404
    )
    walker.capture("capturista", process, "planning", values.planning())
    walker.decide("aprobador", process, "planning")
    assert client_of().get(url).status_code == 200


def test_the_proxy_can_send_the_bytes(world, settings):
    _run, url = tender_with_file(world)
    settings.PROTECTED_MEDIA_SERVER = "nginx"
    response = client_of(world["capturista"]).get(url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/media-protegido/" + url.removeprefix("/media/")
    assert response.content == b""
    settings.PROTECTED_MEDIA_SERVER = "sendfile"
    response = client_of(world["capturista"]).get(url)
    assert response["X-Sendfile"] == str(settings.MEDIA_ROOT / url.removeprefix("/media/"))
    assert client_of().get(url).status_code == 302  # the check still comes first


def test_under_debug_other_media_is_still_served_but_drafts_are_not(world, settings):
    _run, url = tender_with_file(world)
    settings.DEBUG = True
    (settings.MEDIA_ROOT / "images").mkdir()
    (settings.MEDIA_ROOT / "images" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert client_of().get("/media/images/logo.png").status_code == 200
    assert client_of().get(url).status_code == 302
