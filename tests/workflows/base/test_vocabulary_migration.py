"""Migration 0007 maps the stored values of the old form vocabulary to workflows.base.procedures."""

import importlib

import pytest
from django.apps import apps

from tests.workflows import drafts
from tests.workflows.factories import make_editor
from workflows.base.procedures import FORM_STAGES, ProcedureType, Stage
from workflows.forms.spec import stream_from_spec
from workflows.models import FormDefinition, FormVersion, StageDraft
from workflows.processes import process_services

pytestmark = pytest.mark.django_db
migration = importlib.import_module("workflows.migrations.0007_one_stage_vocabulary")

OLD_FIELD = {
    "kind": "field",
    "key": "cotizacion",
    "label": "Cotización",
    "field_type": "text",
    "ocds_path": "tender/description",
    "visible_for": ["direct", "open"],
}


def old_definition(entity, stage, procedure, editor, *, new):
    """A definition (with a Wagtail revision and a version) stored as before migration 0007;
    ``new`` is the (stage, procedure) it is created with, which validation accepts."""
    spec = {"stage": stage, "procedure_type": procedure, "fields": [OLD_FIELD]}
    definition = FormDefinition.objects.create(
        title=f"{stage} {procedure}",
        stage=new[0],
        procedure_type=new[1],
        entity=entity,
        fields=stream_from_spec(spec),
        live=True,
    )
    revision = definition.save_revision(user=editor)
    revision.content = {**revision.content, "stage": stage, "procedure_type": procedure}
    revision.save(update_fields=["content"])
    FormDefinition.objects.filter(pk=definition.pk).update(stage=stage, procedure_type=procedure)
    FormVersion.objects.create(
        definition=definition,
        number=1,
        stage=stage,
        procedure_type=procedure,
        title=definition.title,
        spec=spec,
    )
    return definition


def test_old_stage_and_procedure_values_map_to_the_one_vocabulary():
    world = drafts.people()
    entity, editor = world["entity"], make_editor(world["entity"])
    update = old_definition(entity, "tenderUpdate", "all", editor, new=("clarificationMeeting", ""))
    tender = old_definition(entity, "tender", "open", editor, new=("tender", "lp_nacional"))
    process = process_services.process_create(
        user=world["capturista"],
        unit=world["unit"],
        title="Equipo médico",
        main_procurement_category="goods",
        procedure_type=ProcedureType.LP_TREATIES,
        fiscal_year=2027,
    )
    linked = process.stage_runs.get().stage_draft
    StageDraft.objects.filter(pk=linked.pk).update(procedure_type="open")
    alone = StageDraft.objects.create(
        entity=entity,
        version=update.versions.get(),
        procedure_type="selective",
        created_by=world["capturista"],
    )

    migration.forwards(apps, None)

    update.refresh_from_db()
    assert (update.stage, update.procedure_type) == (Stage.CLARIFICATION_MEETING, "")
    version = update.versions.get()
    assert (version.stage, version.procedure_type) == ("clarificationMeeting", "")
    assert version.spec["stage"] == "clarificationMeeting"
    assert version.spec["fields"][0]["visible_for"] == [
        "adjudicacion_directa",
        "lp_nacional",
        "lp_internacional",
        "lp_tratados",
    ]
    revision = update.latest_revision
    revision.refresh_from_db()
    assert (revision.content["stage"], revision.content["procedure_type"]) == (
        "clarificationMeeting",
        "",
    )
    tenders = FormDefinition.objects.filter(entity=entity, stage="tender")
    assert {d.procedure_type for d in tenders} == {"lp_nacional", "lp_internacional", "lp_tratados"}
    for definition in tenders:
        assert definition.latest_version().spec["procedure_type"] == definition.procedure_type
        assert definition.fields.get_prep_value()[0]["value"]["visible_for"][0] == (
            "adjudicacion_directa"
        )
    tender.refresh_from_db()
    assert tender.procedure_type == "lp_nacional"
    linked.refresh_from_db()
    alone.refresh_from_db()
    assert linked.procedure_type == ProcedureType.LP_TREATIES
    assert alone.procedure_type == ProcedureType.INV3
    assert set(FormDefinition.objects.values_list("stage", flat=True)) <= set(FORM_STAGES)


def test_the_migration_leaves_new_values_alone():
    before = list(FormVersion.objects.values_list("pk", "stage", "procedure_type", "spec"))

    migration.forwards(apps, None)

    assert list(FormVersion.objects.values_list("pk", "stage", "procedure_type", "spec")) == before
