"""One vocabulary for stages and procedure types (workflows.base.procedures), stored values migrated.

The form side used to key definitions by its own Stage (``tenderUpdate`` for the junta de
aclaraciones) and by OCDS procurementMethod (``open``, ``selective``, ``direct``, ``all``); the
processes by the Mexican procedures. Now both use ``workflows.base.procedures``:

* stage ``tenderUpdate`` -> ``clarificationMeeting``;
* procedure type ``all`` -> ``""`` (every procedure), ``selective`` -> ``invitacion3``,
  ``direct`` -> ``adjudicacion_directa``; a definition for ``open`` becomes the one for
  ``lp_nacional`` and is copied (with its latest version) for ``lp_internacional`` and
  ``lp_tratados``, so the three public tenders keep the form they had;
* ``visible_for`` of every field (definitions, their Wagtail revisions, frozen versions) lists the
  procedure types the method stood for;
* a draft takes the procedure type of its process (a draft with no process, the method's first).

Versions are immutable for people, not for a migration of the words they are stored with: only
their stored values change, never what they capture. Not reversible (an ``open`` form split three
ways cannot be told apart again).
"""

import json

from django.db import migrations, models

STAGES = {"tenderUpdate": "clarificationMeeting"}
PUBLIC_TENDERS = ["lp_nacional", "lp_internacional", "lp_tratados"]
METHOD_TYPES = {
    "open": PUBLIC_TENDERS,
    "selective": ["invitacion3"],
    "direct": ["adjudicacion_directa"],
}
FIRST_TYPE = {"all": "", "open": "lp_nacional", "selective": "invitacion3"}
FIRST_TYPE["direct"] = "adjudicacion_directa"
COPY_TITLES = {
    "lp_internacional": "Licitación pública internacional abierta",
    "lp_tratados": "Licitación pública bajo tratados",
}


def _visible(values):
    mapped = []
    for value in values or []:
        for procedure in METHOD_TYPES.get(value, [value]):
            if procedure not in mapped:
                mapped.append(procedure)
    return mapped


def _map_visible(node):
    """Rewrite every ``visible_for`` list inside a spec, a stream or revision content."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "visible_for" and isinstance(value, list):
                node[key] = _visible(value)
            else:
                _map_visible(value)
    elif isinstance(node, list):
        for value in node:
            _map_visible(value)
    return node


def _spec(spec, stage, procedure_type):
    spec = _map_visible(json.loads(json.dumps(spec)))
    if "stage" in spec:
        spec["stage"] = stage
    if "procedure_type" in spec:
        spec["procedure_type"] = procedure_type
    return spec


def _stream(definition):
    return _map_visible(json.loads(json.dumps(definition.fields.get_prep_value())))


def _revision_content(content):
    content = dict(content)
    content["stage"] = STAGES.get(content.get("stage"), content.get("stage"))
    procedure = content.get("procedure_type")
    content["procedure_type"] = FIRST_TYPE.get(procedure, procedure)
    fields = content.get("fields")
    if isinstance(fields, str):
        content["fields"] = json.dumps(_map_visible(json.loads(fields)))
    else:
        content["fields"] = _map_visible(fields)
    return content


def _migrate_revisions(apps, definition_model):
    content_types = apps.get_model("contenttypes", "ContentType")
    revisions = apps.get_model("wagtailcore", "Revision")
    kind = content_types.objects.filter(app_label="workflows", model="formdefinition").first()
    if kind is None:
        return
    for revision in revisions.objects.filter(base_content_type=kind):
        revision.content = _revision_content(revision.content)
        revision.save(update_fields=["content"])


def _copy_for(definition, procedure_type, versions):
    """A copy of an ``open`` definition for another public tender, with its latest version."""
    latest = versions.objects.filter(definition=definition).order_by("-number").first()
    copy = type(definition).objects.create(
        title=f"{definition.title} ({COPY_TITLES[procedure_type]})",
        stage=definition.stage,
        procedure_type=procedure_type,
        entity=definition.entity,
        fields=definition.fields.get_prep_value(),
        live=definition.live,
        has_unpublished_changes=definition.has_unpublished_changes,
    )
    if latest is not None:
        versions.objects.create(
            definition=copy,
            number=1,
            stage=latest.stage,
            procedure_type=procedure_type,
            title=copy.title,
            spec=_spec(latest.spec, latest.stage, procedure_type),
            published_by=latest.published_by,
        )


def forwards(apps, schema_editor):
    definitions = apps.get_model("workflows", "FormDefinition")
    versions = apps.get_model("workflows", "FormVersion")
    drafts = apps.get_model("workflows", "StageDraft")
    runs = apps.get_model("workflows", "StageProcess")
    for version in versions.objects.all():
        stage = STAGES.get(version.stage, version.stage)
        procedure = FIRST_TYPE.get(version.procedure_type, version.procedure_type)
        versions.objects.filter(pk=version.pk).update(
            stage=stage, procedure_type=procedure, spec=_spec(version.spec, stage, procedure)
        )
    split = []
    for definition in definitions.objects.all():
        was_open = definition.procedure_type == "open"
        definition.stage = STAGES.get(definition.stage, definition.stage)
        definition.procedure_type = FIRST_TYPE.get(
            definition.procedure_type, definition.procedure_type
        )
        definition.fields = _stream(definition)
        definition.save(update_fields=["stage", "procedure_type", "fields"])
        if was_open:
            split.append(definition)
    for definition in split:
        for procedure in PUBLIC_TENDERS[1:]:
            _copy_for(definition, procedure, versions)
    _migrate_revisions(apps, definitions)
    for draft in drafts.objects.all():
        run = runs.objects.filter(stage_draft=draft).select_related("contracting_process").first()
        if run is not None:
            procedure = run.contracting_process.procedure_type
        else:
            procedure = FIRST_TYPE.get(draft.procedure_type, draft.procedure_type) or "lp_nacional"
        if procedure != draft.procedure_type:
            drafts.objects.filter(pk=draft.pk).update(procedure_type=procedure)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0006_clarification_meeting_stage"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="formdefinition",
            name="procedure_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Todos los procedimientos"),
                    ("lp_nacional", "Licitación pública nacional"),
                    ("lp_internacional", "Licitación pública internacional abierta"),
                    (
                        "lp_tratados",
                        "Licitación pública internacional bajo la cobertura de tratados",
                    ),
                    ("invitacion3", "Invitación a cuando menos tres personas"),
                    ("adjudicacion_directa", "Adjudicación directa"),
                ],
                default="",
                help_text="Procedimiento al que aplica; «todos» si no hay uno más específico.",
                max_length=32,
                verbose_name="tipo de procedimiento",
            ),
        ),
        migrations.AlterField(
            model_name="formdefinition",
            name="stage",
            field=models.CharField(
                choices=[
                    ("planning", "Planeación"),
                    ("tender", "Convocatoria / procedimiento"),
                    ("award", "Fallo / adjudicación"),
                    ("contract", "Contrato"),
                    ("implementation", "Ejecución"),
                    ("clarificationMeeting", "Junta de aclaraciones"),
                    ("tenderAmendment", "Modificación a la convocatoria"),
                    ("tenderCancellation", "Cancelación del procedimiento"),
                    ("awardCancellation", "Cancelación de la adjudicación"),
                    ("contractAmendment", "Convenio modificatorio"),
                    ("contractTermination", "Terminación del contrato"),
                    ("implementationUpdate", "Avance de ejecución (hitos y pagos)"),
                ],
                help_text="Etapa o evento del proceso que se captura con este formulario.",
                max_length=32,
                verbose_name="etapa",
            ),
        ),
        migrations.AlterField(
            model_name="formversion",
            name="procedure_type",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Todos los procedimientos"),
                    ("lp_nacional", "Licitación pública nacional"),
                    ("lp_internacional", "Licitación pública internacional abierta"),
                    (
                        "lp_tratados",
                        "Licitación pública internacional bajo la cobertura de tratados",
                    ),
                    ("invitacion3", "Invitación a cuando menos tres personas"),
                    ("adjudicacion_directa", "Adjudicación directa"),
                ],
                help_text="Procedimiento, copiado al publicar (vacío: todos).",
                max_length=32,
                verbose_name="tipo de procedimiento",
            ),
        ),
        migrations.AlterField(
            model_name="formversion",
            name="stage",
            field=models.CharField(
                choices=[
                    ("planning", "Planeación"),
                    ("tender", "Convocatoria / procedimiento"),
                    ("award", "Fallo / adjudicación"),
                    ("contract", "Contrato"),
                    ("implementation", "Ejecución"),
                    ("clarificationMeeting", "Junta de aclaraciones"),
                    ("tenderAmendment", "Modificación a la convocatoria"),
                    ("tenderCancellation", "Cancelación del procedimiento"),
                    ("awardCancellation", "Cancelación de la adjudicación"),
                    ("contractAmendment", "Convenio modificatorio"),
                    ("contractTermination", "Terminación del contrato"),
                    ("implementationUpdate", "Avance de ejecución (hitos y pagos)"),
                ],
                help_text="Etapa, copiada al publicar.",
                max_length=32,
                verbose_name="etapa",
            ),
        ),
        migrations.AlterField(
            model_name="stagedraft",
            name="procedure_type",
            field=models.CharField(
                choices=[
                    ("lp_nacional", "Licitación pública nacional"),
                    ("lp_internacional", "Licitación pública internacional abierta"),
                    (
                        "lp_tratados",
                        "Licitación pública internacional bajo la cobertura de tratados",
                    ),
                    ("invitacion3", "Invitación a cuando menos tres personas"),
                    ("adjudicacion_directa", "Adjudicación directa"),
                ],
                help_text="Procedimiento del proceso (decide qué campos condicionales se muestran).",
                max_length=32,
                verbose_name="tipo de procedimiento",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
