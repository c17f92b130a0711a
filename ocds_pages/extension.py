"""The project's own OCDS extension (``compra_integra``) and the release schema, built from data.

ocds_pages sits below the forms (workflows) in the layer order, so it cannot import them. A higher
app declares the fields it adds to the extension with :func:`extension_fields_register`, inside the
transaction that makes them necessary (publishing a form version): they are ``ExtensionField``
rows. The release schema is the bundled patched schema plus those rows, read from the database by
whoever validates, so every process (web worker, command, importer) sees the same schema as soon as
the transaction commits (docs/ocds.md, «Extensiones de formularios: filas, no memoria»).
"""

import json
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import transaction

from ocds_pages import schema
from ocds_pages.models import ExtensionField

# (definition, property name, its JSON Schema as canonical JSON text), in the order written.
FieldsKey = tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class ReleaseSchema:
    """The patched release schema for one state of the extension fields (do not mutate ``data``).

    Equal (and hashed) by ``key`` alone — the rows it was built from, or for an imported
    publication the extensions it declares (``ocds_pages.declared_extensions``) — so validators
    and mergers can be cached per state of the data.
    """

    key: Hashable
    data: dict = field(compare=False, repr=False)


def _fields_patch(key: FieldsKey) -> dict:
    """The JSON Merge Patch the rows make; a later row of the same property wins."""
    definitions: dict[str, dict] = {}
    for definition, name, text in key:
        properties = definitions.setdefault(definition, {"properties": {}})["properties"]
        properties[name] = json.loads(text)
    return {"definitions": definitions}


# A pure function of its argument: the cache only remembers what each state of the rows builds
# (building takes ~20 ms), it never decides which state is current.
@lru_cache(maxsize=8)
def _built(key: FieldsKey) -> ReleaseSchema:
    data = schema.committed_patched_schema()
    if key:
        data = schema.json_merge_patch(data, _fields_patch(key))
    return ReleaseSchema(key=key, data=data)


def _rows_key() -> FieldsKey:
    rows = ExtensionField.objects.order_by("pk").values_list("definition", "name", "schema")
    return tuple(
        (definition, name, json.dumps(field_schema, sort_keys=True, ensure_ascii=False))
        for definition, name, field_schema in rows
    )


def release_schema() -> ReleaseSchema:
    """The release schema now: bundled OCDS + extensions + the ``ExtensionField`` rows.

    One query each call (the rows are few); the schema itself is built once per state of the rows.
    Pass the result to ``validate_release(schema=...)`` and ``compile_releases(schema=...)`` so one
    publication validates and merges with the same schema.
    """
    return _built(_rows_key())


def bundled_release_schema() -> ReleaseSchema:
    """The release schema without any declared field (what the committed file holds)."""
    return _built(())


def patched_release_schema() -> dict:
    """The current release schema as a dict (``release_schema().data``); do not mutate it."""
    return release_schema().data


def _check_fields(fields: dict[str, dict[str, dict]]) -> None:
    """Rows only add properties: OCDS (and the declared extensions) are never redefined."""
    definitions = schema.committed_patched_schema()["definitions"]
    for definition, properties in fields.items():
        if definition not in definitions:
            raise ValueError(f"unknown definition {definition!r}")
        redefined = set(properties) & set(definitions[definition].get("properties", {}))
        if redefined:
            raise ValueError(f"{definition} already has {sorted(redefined)}")


@transaction.atomic
def extension_fields_register(*, source: str, fields: dict[str, dict[str, dict]]) -> bool:
    """Make ``fields`` the properties ``source`` adds to the project extension.

    ``fields`` maps a definition (e.g. "Tender") to ``{property: JSON Schema}`` (draft 4, OCDS
    style: ``title``, ``description``, ``type`` allowing null). The source's rows that ``fields``
    no longer names are deleted (``fields={}`` withdraws them all); a changed property is written
    again, so it becomes the latest declaration of its name. Returns whether any row changed.
    """
    _check_fields(fields)
    wanted = {
        (definition, name): field_schema
        for definition, properties in fields.items()
        for name, field_schema in properties.items()
    }
    rows = list(ExtensionField.objects.select_for_update().filter(source=source))
    stale = [row.pk for row in rows if wanted.get((row.definition, row.name)) != row.schema]
    kept = {(row.definition, row.name) for row in rows if row.pk not in stale}
    ExtensionField.objects.filter(pk__in=stale).delete()
    ExtensionField.objects.bulk_create(
        ExtensionField(source=source, definition=definition, name=name, schema=field_schema)
        for (definition, name), field_schema in wanted.items()
        if (definition, name) not in kept
    )
    return bool(stale) or len(kept) != len(wanted)


def extension_field_sources() -> set[str]:
    """Every source that declares at least one field."""
    return set(ExtensionField.objects.values_list("source", flat=True).distinct())


def project_release_schema() -> dict:
    """The project extension's release-schema.json: the committed file plus the declared fields."""
    base = schema.read_json(schema.extension_dir(schema.PROJECT_EXTENSION) / "release-schema.json")
    return schema.json_merge_patch(base, _fields_patch(_rows_key()))


def project_extension_metadata() -> dict:
    """The extension.json served by the project. ``schemas`` and ``codelists`` are file names
    relative to it, as the extension metadata schema requires."""
    return schema.read_json(schema.extension_dir(schema.PROJECT_EXTENSION) / "extension.json")
