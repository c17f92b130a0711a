"""Publishing a new version affects new captures; drafts keep the version they were filled with."""

import pytest

from tests.workflows import drafts
from tests.workflows.factories import (
    edit_spec,
    entity_copy,
    make_capturista,
    make_editor,
    make_entity,
    new_field,
)
from tests.workflows.factories import publish as publish_definition
from workflows.forms.form_services import stage_draft_create, stage_draft_move_to_version
from workflows.models import FormVersion

pytestmark = pytest.mark.django_db


def change_label_and_add_required_field(spec):
    title = next(item for item in spec["fields"] if item["key"] == "titulo")
    title["label"] = "Nombre oficial del procedimiento"
    spec["fields"].append(
        new_field(
            "expediente",
            "Número de expediente interno",
            "text",
            "tender/expedienteInterno",
            required=True,
            custom=True,
        )
    )


@pytest.fixture
def world():
    entity = make_entity("IMSS")
    editor = make_editor(entity)
    definition = entity_copy(entity, "tender", "lp_nacional", user=editor)
    return entity, editor, definition, make_capturista(entity)


@pytest.fixture
def people():
    """A unit with capturistas and aprobadores, and its entity's own tender form (version 1)."""
    people = drafts.people()
    editor = make_editor(people["entity"])
    definition = entity_copy(people["entity"], "tender", "lp_nacional", user=editor)
    return people, editor, definition


def test_editor_change_reaches_new_captures_and_old_drafts_keep_their_version(client, people):
    people, editor, definition = people
    old_run, old_task = drafts.tender_in_capture(people)

    edit_spec(definition, change_label_and_add_required_field)
    version_2 = publish_definition(definition, user=editor)
    new_run, new_task = drafts.tender_in_capture(people)
    old_draft, new_draft = old_run.stage_draft, new_run.stage_draft
    client.force_login(people["capturista"])
    old_page = client.get(f"/tramite/tareas/{old_task.pk}/").content.decode()
    new_page = client.get(f"/tramite/tareas/{new_task.pk}/").content.decode()

    assert version_2.number == 2 and version_2.published_by == editor
    old_draft.refresh_from_db()
    assert old_draft.version.number == 1
    assert new_draft.version == version_2
    assert "Nombre oficial del procedimiento" in new_page
    assert 'name="expediente"' in new_page and "required" in new_page
    assert "Título del procedimiento" in old_page
    assert 'name="expediente"' not in old_page
    assert "Hay una versión más reciente del formulario (versión 2)" in old_page


def test_previous_versions_stay_readable_and_cannot_be_changed(world):
    _entity, editor, definition, _capturista = world
    version_1 = definition.latest_version()
    edit_spec(definition, change_label_and_add_required_field)
    publish_definition(definition, user=editor)

    version_1.refresh_from_db()
    labels = [item["label"] for item in version_1.spec["fields"]]
    assert "Título del procedimiento" in labels
    with pytest.raises(Exception, match="no se puede modificar"):
        version_1.save()
    with pytest.raises(Exception, match="no se puede borrar"):
        version_1.delete()
    assert FormVersion.objects.filter(definition=definition).count() == 2


def test_publishing_without_changes_does_not_create_a_version(world):
    _entity, editor, definition, _capturista = world

    again = publish_definition(definition, user=editor)

    assert again.number == 1


def test_staff_moves_a_draft_to_the_new_version_on_purpose(client, people):
    people, editor, definition = people
    run, task = drafts.tender_in_capture(people)
    draft = run.stage_draft
    edit_spec(definition, change_label_and_add_required_field)
    publish_definition(definition, user=editor)
    client.force_login(people["capturista"])

    response = client.post(f"/tramite/tareas/{task.pk}/", {"accion": "migrar"})

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.version.number == 2


def test_move_service_keeps_the_values_already_captured(world):
    entity, editor, definition, capturista = world
    draft = stage_draft_create(
        user=capturista, entity=entity, stage="tender", procedure_type="lp_nacional"
    )
    draft.values = {"titulo": "Medicamentos 2027"}
    draft.save()
    edit_spec(definition, change_label_and_add_required_field)
    publish_definition(definition, user=editor)

    stage_draft_move_to_version(draft=draft, user=capturista)

    draft.refresh_from_db()
    assert draft.version.number == 2
    assert draft.values == {"titulo": "Medicamentos 2027"}


def test_entity_form_wins_over_the_national_one_only_for_that_entity(world):
    entity, _editor, definition, capturista = world
    other = make_entity("SICT")

    own = stage_draft_create(
        user=capturista, entity=entity, stage="tender", procedure_type="lp_nacional"
    )
    national = stage_draft_create(
        user=capturista, entity=other, stage="tender", procedure_type="lp_nacional"
    )

    assert own.version.definition == definition
    assert national.version.definition.entity is None


def test_unpublished_entity_form_gives_way_to_the_national_one(world):
    entity, editor, definition, capturista = world

    definition.unpublish(user=editor)
    draft = stage_draft_create(
        user=capturista, entity=entity, stage="tender", procedure_type="lp_nacional"
    )

    assert draft.version.definition.entity is None
