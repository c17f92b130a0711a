"""Service functions of the stage forms (writes) and selectors (reads), called by views and issue 6.

Keyword-only and named ``<entity>_<action>`` (HackSoft style). Views stay thin and call these.
"""

import functools
from pathlib import PurePosixPath

import orjson
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ocds_pages.documents import file_sha256
from ocds_pages.extension import extension_field_sources, extension_fields_register
from ocds_pages.models import Record
from ocds_pages.schema import committed_patched_schema
from workflows.base.procedures import ALL_PROCEDURES
from workflows.base.uploads import UploadRefused, check_upload
from workflows.forms import extension_fields, ocds_paths
from workflows.forms.checks import DefinitionIssue
from workflows.forms.choices import FieldType
from workflows.forms.form_models import DraftFile, FormDefinition, FormVersion, StageDraft
from workflows.forms.forms_engine import (
    CaptureContext,
    build_form,
    data_from_values,
    to_ocds,
    values_from_post,
)
from workflows.forms.spec import spec_from_stream

# --- definitions and versions ---


def definition_spec(*, definition: FormDefinition) -> dict:
    """The spec the definition's current fields would freeze into a version."""
    spec = spec_from_stream(definition.fields.get_prep_value())
    return {"stage": definition.stage, "procedure_type": definition.procedure_type, **spec}


@transaction.atomic
def form_version_publish(*, definition: FormDefinition, user=None) -> FormVersion:
    """Freeze the definition as a new version (or return the latest if nothing changed).

    New captures use it from now on; existing drafts keep the version they were filled with.
    """
    spec = definition_spec(definition=definition)
    latest = definition.versions.select_for_update().order_by("-number").first()
    # The latest version's custom fields are the rows the definition declares in the project
    # extension, written in this transaction: once it commits, every process validates with them.
    extension_fields_register(
        source=extension_source(definition.pk), fields=extension_fields_of(spec)
    )
    if latest is not None and latest.spec == spec and latest.title == definition.title:
        return latest
    return FormVersion.objects.create(
        definition=definition,
        number=(latest.number + 1) if latest else 1,
        stage=definition.stage,
        procedure_type=definition.procedure_type,
        title=definition.title,
        spec=spec,
        published_by=user if getattr(user, "is_authenticated", False) else None,
    )


def form_version_for(*, stage: str, procedure_type: str, entity=None) -> FormVersion | None:
    """The version a new capture uses: the entity's own form first, then the national one;
    the procedure's own form before the one for all procedures."""
    candidates = [(None, procedure_type), (None, ALL_PROCEDURES)]
    if entity is not None:
        candidates = [(entity, procedure_type), (entity, ALL_PROCEDURES), *candidates]
    for owner, procedure in candidates:
        version = (
            FormVersion.objects.filter(
                definition__stage=stage,
                definition__procedure_type=procedure,
                definition__entity=owner,
                definition__live=True,  # an unpublished form is withdrawn from new captures
            )
            .order_by("-number")
            .first()
        )
        if version is not None:
            return version
    return None


# --- custom fields in the project's extension ---

JSON_TYPES = {
    FieldType.INTEGER: ["integer", "null"],
    FieldType.DECIMAL: ["number", "null"],
    FieldType.BOOLEAN: ["boolean", "null"],
}


def extension_property(item: dict) -> dict:
    """The JSON Schema a custom field is declared with in the project extension."""
    base = {"title": item["label"], "description": item.get("help_text") or item["label"]}
    kind = item["field_type"]
    if kind == FieldType.MONEY:
        return {**base, "$ref": "#/definitions/Value"}
    if kind == FieldType.FILE:
        return {**base, "type": "array", "items": {"$ref": "#/definitions/Document"}}
    schema = {**base, "type": JSON_TYPES.get(kind, ["string", "null"])}
    if kind in (FieldType.DATE, FieldType.DATETIME):
        schema["format"] = "date-time"
    return schema


def _custom_fields(spec: dict):
    """(full path, field) of every custom field of a spec."""
    for item in spec["fields"]:
        if item["kind"] == "group":
            base = f"{ocds_paths.join(item['ocds_path'])}/0"
            yield from (
                (ocds_paths.join(base, f["ocds_path"]), f)
                for f in item["fields"]
                if f.get("custom")
            )
        elif item.get("custom"):
            yield ocds_paths.join(item["ocds_path"]), item


def extension_fields_of(spec: dict) -> dict[str, dict[str, dict]]:
    """Definition name → {property: schema} of the custom fields of one spec."""
    schema = committed_patched_schema()
    found: dict[str, dict[str, dict]] = {}
    for path, item in _custom_fields(spec):
        parent_path, _sep, name = path.rpartition("/")
        parent = ocds_paths.resolve(parent_path, schema=schema)
        # A property OCDS already has is not the form's to declare (the checks refuse it).
        if parent is not None and parent.definition and name not in _properties(parent):
            found.setdefault(parent.definition, {})[name] = extension_property(item)
    return found


def _properties(node) -> dict:
    return node.node.get("properties", {})


def extension_source(definition_id: int) -> str:
    """The source under which a form definition declares its custom fields (ExtensionField)."""
    return f"form:{definition_id}"


@transaction.atomic
def extension_fields_sync() -> None:
    """Rewrite every declared field from the data: ours, and each form's latest published version.

    Publication keeps the rows current (:func:`form_version_publish`); this rebuilds them all,
    after ``migrate`` (existing installations get their rows) and when the forms are reinstalled.
    """
    extension_fields.register()
    latest_numbers = FormVersion.objects.values("definition").annotate(n=Max("number"))
    wanted = {row["definition"]: row["n"] for row in latest_numbers}
    sources = set()
    for version in FormVersion.objects.filter(definition__in=wanted):
        if wanted[version.definition_id] == version.number:
            source = extension_source(version.definition_id)
            extension_fields_register(source=source, fields=extension_fields_of(version.spec))
            sources.add(source)
    for source in extension_field_sources() - sources:
        if source.startswith("form:"):
            extension_fields_register(source=source, fields={})


# --- drafts ---


def stage_draft_context(*, draft: StageDraft, published=None) -> CaptureContext:
    """The draft's capture context; ``published`` is a function that gives the process's compiled
    record (:func:`published_reader`), so a page that needs it twice reads it once."""
    ocid = draft.ocid
    return CaptureContext(
        procedure_type=draft.procedure_type,
        ocid=ocid,
        published=published or (lambda: _published(ocid)),
    )


def published_reader(ocid: str):
    """A function that reads the compiled record of ``ocid`` when first called, then remembers
    it: for one request that needs it in several places (the review page)."""
    return functools.cache(lambda: _published(ocid))


def _published(ocid: str) -> dict | None:
    """The compiled release published so far for ``ocid`` (None before its first release)."""
    if not ocid:
        return None
    text = Record.objects.filter(ocid=ocid).values_list("compiled_release", flat=True).first()
    return orjson.loads(text) if text else None


def stage_draft_create(
    *, user, entity, stage: str, procedure_type: str, unit=None, ocid: str = ""
) -> StageDraft:
    """A new, empty draft filled with the version of the form in force now."""
    version = form_version_for(stage=stage, procedure_type=procedure_type, entity=entity)
    if version is None:
        raise FormVersion.DoesNotExist(stage)
    return StageDraft.objects.create(
        entity=entity,
        unit=unit,
        version=version,
        procedure_type=procedure_type,
        ocid=ocid,
        created_by=user,
    )


def stage_draft_form(
    *, draft: StageDraft, extra_rows: dict | None = None, initial=None, published=None
):
    """The draft's form: bound to what was saved (errors show), or unbound if still empty —
    starting from ``initial`` (draft values), if given: a form nobody saved shows no errors.
    ``published`` reads the process's compiled record (see :func:`stage_draft_context`)."""
    context = stage_draft_context(draft=draft, published=published)
    stored = _stored_files(draft)
    if not draft.values:
        return build_form(
            draft.version, context=context, stored=stored, extra_rows=extra_rows, initial=initial
        )
    data = data_from_values(draft.version, draft.values, context=context, extra_rows=extra_rows)
    return build_form(draft.version, data, context=context, stored=stored)


def _is_file(value) -> bool:
    return isinstance(value, dict) and "sha256" in value


def _stored_files(draft: StageDraft) -> dict:
    """Files kept from earlier saves: a field's by its key; a group's as one dict per row (the
    row's files by field key), in the order of the draft's rows."""
    values = draft.values or {}
    stored = {k: v for k, v in values.items() if _is_file(v)}
    for key in _row_file_keys(draft):
        rows = values.get(key) if isinstance(values.get(key), list) else []
        stored[key] = [
            {name: value for name, value in row.items() if _is_file(value)}
            if isinstance(row, dict)
            else {}
            for row in rows
        ]
    return stored


def _all_files(draft: StageDraft) -> list[dict]:
    files = []
    for value in _stored_files(draft).values():
        if isinstance(value, list):
            files += [file for row in value for file in row.values()]
        else:
            files.append(value)
    return files


def _store_upload(draft: StageDraft, upload) -> dict | None:
    """Store an accepted upload at once (so it is not lost); None when it is refused — the form's
    file field then shows why (workflows/base/uploads.py is the one check for every upload)."""
    try:
        checked = check_upload(upload)
    except UploadRefused:
        return None
    digest = file_sha256(file=upload)
    upload.seek(0)
    name = PurePosixPath(upload.name).name
    path = default_storage.save(f"borradores/{draft.entity.key}/{digest}/{name}", upload)
    # Private until its stage is approved (workflows/processes/media.py serves it).
    DraftFile.objects.create(
        entity=draft.entity,
        draft=draft,
        path=path,
        sha256=digest,
        content_type=checked.content_type,
    )
    return {
        "name": name,
        "sha256": digest,
        "url": f"{settings.SITE_URL}{default_storage.url(path)}",
        "format": checked.content_type,
        "datePublished": timezone.localtime().isoformat(timespec="seconds"),
    }


def draft_file_paths(draft: StageDraft) -> list[str]:
    """Storage names of the files the draft's values hold now (what its release publishes)."""
    prefix = settings.MEDIA_URL
    return [
        value["url"].split(prefix, 1)[-1]
        for value in _all_files(draft)
        if isinstance(value.get("url"), str) and prefix in value["url"]
    ]


def _file_keys(draft: StageDraft) -> list[str]:
    return [
        i["key"]
        for i in draft.version.spec["fields"]
        if i["kind"] == "field" and i["field_type"] == FieldType.FILE
    ]


def _row_file_keys(draft: StageDraft) -> dict[str, list[str]]:
    """Group key → the keys of its file fields (a milestone's acceptance certificate)."""
    found = {}
    for item in draft.version.spec["fields"]:
        if item["kind"] != "group":
            continue
        keys = [f["key"] for f in item["fields"] if f["field_type"] == FieldType.FILE]
        if keys:
            found[item["key"]] = keys
    return found


def _save_row_files(draft: StageDraft, data, files, values: dict, stored: dict) -> None:
    """Store the files uploaded in group rows and keep the ones saved before.

    A posted row ``n`` is the draft's row ``n`` (the form is drawn from the draft's rows in their
    order); rows marked for deletion are dropped from ``values`` as from the stored files.
    ``stored[group]`` ends aligned with the posted rows (for the form), ``values[group]`` with
    the kept ones (for the draft).
    """
    for group, keys in _row_file_keys(draft).items():
        before = stored.get(group) or []
        try:
            total = min(int(data.get(f"{group}-TOTAL_FORMS", 0)), 1000)
        except ValueError:
            total = 0
        posted, kept = [], []
        for index in range(total):
            row = dict(before[index]) if index < len(before) else {}
            for key in keys:
                upload = files.get(f"{group}-{index}-{key}") if files else None
                accepted = _store_upload(draft, upload) if upload else None
                if accepted:
                    row[key] = accepted
            posted.append(row)
            if not data.get(f"{group}-{index}-DELETE"):
                kept.append(row)
        stored[group] = posted
        for row, row_files in zip(values.get(group) or [], kept, strict=False):
            row.update(row_files)


@transaction.atomic
def stage_draft_save(*, draft: StageDraft, data, files=None, user=None):
    """Store what was submitted — always, valid or not — and return the validated form.

    Uploaded files are stored at once (with their SHA-256) so that they are not lost either.
    """
    context = stage_draft_context(draft=draft)
    values = values_from_post(draft.version, data, context=context)
    stored = _stored_files(draft)
    for key in _file_keys(draft):
        accepted = _store_upload(draft, files[key]) if files and files.get(key) else None
        if accepted:
            stored[key] = accepted
    values.update({key: value for key, value in stored.items() if isinstance(value, dict)})
    _save_row_files(draft, data, files, values, stored)
    form = build_form(draft.version, data, files, context=context, stored=stored)
    draft.values = values
    draft.is_valid = form.is_valid()
    draft.save(update_fields=["values", "is_valid", "updated_at"])
    return form


def stage_draft_fragment(*, draft: StageDraft, published=None) -> tuple[dict | None, object]:
    """The OCDS fragment of a valid draft (None while it has errors) and its form."""
    form = stage_draft_form(draft=draft, published=published)
    if not form.is_bound or not form.is_valid():
        return None, form
    return to_ocds(draft.version, form.values(), context=form.context), form


@transaction.atomic
def stage_draft_move_to_version(
    *, draft: StageDraft, version: FormVersion | None = None, user=None
):
    """Move a draft to another version of its form (the latest by default), keeping its values.

    Only done on purpose by staff; values whose field no longer exists stay stored but unused.
    """
    target = version or draft.version.definition.latest_version()
    if target.definition_id != draft.version.definition_id:
        raise ValueError("version of another form")
    draft.version = target
    draft.is_valid = False
    draft.save(update_fields=["version", "is_valid", "updated_at"])
    return draft


def extension_conflicts(*, spec: dict, exclude: int | None = None) -> list:
    """Custom fields declared by other published forms with the same name but another type."""
    others: dict[tuple[str, str], dict] = {}
    versions = FormVersion.objects.exclude(definition_id=exclude).order_by("definition", "number")
    for version in versions:  # the latest of each definition wins, as in extension_fields_sync
        for definition, fields in extension_fields_of(version.spec).items():
            others.update({(definition, name): schema for name, schema in fields.items()})
    issues = []
    for index, item in enumerate(spec["fields"]):
        if item["kind"] != "field" or not item.get("custom"):
            continue
        for definition, fields in extension_fields_of({"fields": [item]}).items():
            for name, schema in fields.items():
                other = others.get((definition, name))
                if other is not None and _shape(other) != _shape(schema):
                    issues.append(
                        DefinitionIssue(
                            index,
                            None,
                            "field_type",
                            _(
                                "Otro formulario ya declara %(definition)s.%(name)s en la "
                                "extensión con otro tipo; use el mismo tipo u otro nombre."
                            )
                            % {"definition": definition, "name": name},
                        )
                    )
    return issues


def _shape(schema: dict) -> tuple:
    return (str(schema.get("type")), schema.get("$ref"), schema.get("format"))
