"""A stage's draft in its capture task (/tramite/tareas/<pk>/): saved even when invalid, errors
beside each field, files kept, rows without JS. The standalone /captura/borradores/ screens are
retired; their addresses redirect."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workflows import drafts

pytestmark = pytest.mark.django_db

VALID_TENDER = {
    "titulo": "Adquisición de medicamentos 2027",
    "descripcion": "Licitación pública nacional para abastecer unidades médicas.",
    "categoria": "goods",
    "montoEstimado_0": "250000.00",
    "montoEstimado_1": "MXN",
    "finPropuestas": "2027-03-01T10:00",
    "partidas-TOTAL_FORMS": "1",
    "partidas-INITIAL_FORMS": "0",
    "partidas-0-descripcion": "Paracetamol tabletas 500 mg",
    "partidas-0-cucop": "25301001",
    "partidas-0-cantidad": "12000",
    "partidas-0-unidad": "XBX",
}


@pytest.fixture
def draft_and_user(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = drafts.people()
    run, task = drafts.tender_in_capture(world)
    draft = run.stage_draft
    draft.task = task
    client.force_login(world["capturista"])
    return draft, world["capturista"]


def url(draft):
    return f"/tramite/tareas/{draft.task.pk}/"


def test_invalid_submit_keeps_everything_typed(client, draft_and_user):
    draft, _user = draft_and_user
    data = {**VALID_TENDER, "descripcion": "", "partidas-0-cantidad": "doce mil"}

    response = client.post(url(draft), data)

    draft.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 422
    assert draft.is_valid is False
    assert draft.values["titulo"] == "Adquisición de medicamentos 2027"
    assert draft.values["partidas"][0]["cantidad"] == "doce mil"
    assert 'value="doce mil"' in html  # shown back as typed
    assert "Borrador guardado con errores" in html


def test_errors_are_announced_beside_their_field(client, draft_and_user):
    draft, _user = draft_and_user

    html = client.post(url(draft), {**VALID_TENDER, "descripcion": ""}).content.decode()

    assert 'aria-describedby="id_descripcion_errores"' in html
    assert 'aria-invalid="true"' in html
    assert '<ul class="errores" id="id_descripcion_errores"><li>Este campo es necesario.' in html
    assert '<label for="id_descripcion">' in html


def test_reopening_an_invalid_draft_shows_its_errors_again(client, draft_and_user):
    draft, _user = draft_and_user
    client.post(url(draft), {**VALID_TENDER, "titulo": ""})

    html = client.get(url(draft)).content.decode()

    assert '<ul class="errores" id="id_titulo_errores">' in html


def test_valid_draft_shows_the_ocds_it_produces(client, draft_and_user):
    draft, _user = draft_and_user

    response = client.post(url(draft), VALID_TENDER)
    html = client.get(url(draft)).content.decode()

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.is_valid
    assert "&quot;procurementMethod&quot;: &quot;open&quot;" in html
    assert "&quot;scheme&quot;: &quot;CUCOP&quot;" in html


def test_add_row_button_works_without_javascript(client, draft_and_user):
    draft, _user = draft_and_user

    html = client.post(url(draft), {**VALID_TENDER, "agregar_fila": "partidas"}).content.decode()

    assert 'name="partidas-TOTAL_FORMS" value="2"' in html
    assert 'name="partidas-1-descripcion"' in html
    assert "Fila 2" in html


def test_removing_a_row_is_a_checkbox(client, draft_and_user):
    draft, _user = draft_and_user
    data = {
        **VALID_TENDER,
        "partidas-TOTAL_FORMS": "2",
        "partidas-1-descripcion": "Ibuprofeno",
        "partidas-1-cantidad": "10",
        "partidas-1-DELETE": "on",
    }

    client.post(url(draft), data)

    draft.refresh_from_db()
    assert [row["descripcion"] for row in draft.values["partidas"]] == [
        "Paracetamol tabletas 500 mg"
    ]


def test_uploaded_file_is_kept_with_its_hash_even_if_the_form_is_invalid(client, draft_and_user):
    draft, _user = draft_and_user
    upload = SimpleUploadedFile("convocatoria.pdf", b"%PDF-1.4 prueba", "application/pdf")

    client.post(url(draft), {**VALID_TENDER, "titulo": "", "convocatoria": upload})
    client.post(url(draft), VALID_TENDER)  # the file is not sent again

    draft.refresh_from_db()
    stored = draft.values["convocatoria"]
    assert draft.is_valid
    assert len(stored["sha256"]) == 64
    assert stored["name"] == "convocatoria.pdf"
    html = client.get(url(draft)).content.decode()
    assert "Archivo guardado: convocatoria.pdf" in html
    assert "&quot;documentType&quot;: &quot;tenderNotice&quot;" in html


def test_retired_draft_screens_redirect_to_their_tramite_pages(client, draft_and_user):
    draft, _user = draft_and_user

    listing = client.get("/captura/borradores/")
    new = client.post("/captura/borradores/nuevo/", {"stage": "award"})
    open_draft = client.get(f"/captura/borradores/{draft.pk}/")

    assert (listing.status_code, listing["Location"]) == (301, "/tramite/")
    assert (new.status_code, new["Location"]) == (301, "/tramite/procesos/nuevo/")
    assert (open_draft.status_code, open_draft["Location"]) == (302, url(draft))


def test_old_address_of_a_published_draft_leads_to_its_process(client, draft_and_user):
    draft, _user = draft_and_user
    planning = draft.stage_process.contracting_process.stage_runs.get(stage="planning")

    response = client.get(f"/captura/borradores/{planning.stage_draft.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/tramite/procesos/{planning.contracting_process_id}/"


def test_optional_amount_left_empty_is_not_an_error(client, draft_and_user):
    draft, _user = draft_and_user
    data = {**VALID_TENDER, "montoEstimado_0": "", "partidas-0-precioUnitario_1": "MXN"}

    response = client.post(url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_valid


def test_fragment_right_after_an_upload_carries_the_stored_document(draft_and_user):
    from django.http import QueryDict

    from workflows.forms.form_services import stage_draft_context, stage_draft_save
    from workflows.forms.forms_engine import to_ocds

    draft, user = draft_and_user
    data = QueryDict(mutable=True)
    data.update(VALID_TENDER)
    upload = SimpleUploadedFile("convocatoria.pdf", b"%PDF-1.4 prueba", "application/pdf")

    form = stage_draft_save(draft=draft, data=data, files={"convocatoria": upload}, user=user)
    assert form.is_valid()
    fragment = to_ocds(draft.version, form.values(), context=stage_draft_context(draft=draft))

    document = fragment["tender"]["documents"][0]
    assert document["sha256"] == draft.values["convocatoria"]["sha256"]
    assert document["url"].endswith("/convocatoria.pdf")
