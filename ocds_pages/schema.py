"""The OCDS schema the system publishes against, read from the project, never from the network.

``ocds_pages/data/`` holds OCDS 1.1.5 (core schemas and codelists), the EDCA-MX extensions the
project uses and the project's own extension (``compra_integra``). The patched release schema is the
core with every extension applied as a JSON Merge Patch (RFC 7396), the way OCDS defines extension
merging. ``manage.py construir_esquema`` writes it to ``data/release-schema-patched.json`` and the
file is committed, so at run time the system reads one JSON file.

Higher layers (the stage forms) add fields to the project extension as ``ExtensionField`` rows
(``ocds_pages.extension.extension_fields_register``); ``ocds_pages.extension.release_schema``
merges them on top of the committed file.
"""

import copy
import json
from functools import cache
from pathlib import Path

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent / "data"
CORE_DIR = DATA_DIR / "schema-1.1.5"
EXTENSIONS_DIR = DATA_DIR / "extensions"
PATCHED_SCHEMA_PATH = DATA_DIR / "release-schema-patched.json"
CORE_SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/"

# EDCA-MX extensions the project uses, in the order they are applied. The folder names are ours;
# the published URL of each is derived from its documentationUrl (its GitHub repository).
EDCA_MX_EXTENSIONS = (
    "budgetLines",
    "requestForQuotes",
    "clarificationMeetings",
    "guarantees",
    "nameBreakdown",
    "surveillanceMechanisms",
    "taxes",
)
PROJECT_EXTENSION = "compra_integra"


def read_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def json_merge_patch(target, patch):
    """RFC 7396: objects merge key by key, ``null`` removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge_patch(result.get(key), value)
    return result


def core_schema(name: str) -> dict:
    """One of the bundled OCDS 1.1.5 core schemas, e.g. ``release-package-schema.json``."""
    return read_json(CORE_DIR / name)


def extension_dir(name: str) -> Path:
    return EXTENSIONS_DIR / name


def build_patched_schema() -> dict:
    """Core release schema + EDCA-MX extensions + the project extension file (as committed)."""
    schema = core_schema("release-schema.json")
    for name in (*EDCA_MX_EXTENSIONS, PROJECT_EXTENSION):
        schema = json_merge_patch(schema, read_json(extension_dir(name) / "release-schema.json"))
    return schema


def write_patched_schema(path: Path = PATCHED_SCHEMA_PATH) -> None:
    text = json.dumps(build_patched_schema(), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")


@cache
def committed_patched_schema() -> dict:
    return read_json(PATCHED_SCHEMA_PATH)


def project_extension_url() -> str:
    return f"{settings.SITE_URL}/ocds/extension/extension.json"


def served_extension_url(name: str) -> str:
    """Where this installation serves the bundled copy of an EDCA-MX extension (its
    ``extension.json``; the schema and codelists are beside it)."""
    return f"{settings.SITE_URL}/ocds/extensiones/{name}/extension.json"


def extension_urls() -> list[str]:
    """The ``extensions`` list of every package the system publishes: the copies this
    installation serves (the files it validates with), so OCP's tools resolve every declared
    extension, schema and codelist from the publisher alone, with the configured site URL."""
    return [*(served_extension_url(name) for name in EDCA_MX_EXTENSIONS), project_extension_url()]


def extension_file(name: str, path: str) -> Path | None:
    """A file of a bundled extension that its ``extension.json`` declares (or that file itself),
    None otherwise: only declared files are served."""
    if name not in (*EDCA_MX_EXTENSIONS, PROJECT_EXTENSION):
        return None
    metadata = read_json(extension_dir(name) / "extension.json")
    declared = {"extension.json", *metadata.get("schemas", [])}
    declared |= {f"codelists/{codelist}" for codelist in metadata.get("codelists", [])}
    return extension_dir(name) / path if path in declared else None
