"""The extensions a third-party publication declares, resolved offline, and the schema they make.

An imported package keeps the ``extensions`` its publisher declared: its releases and its record
store the URLs (``Release.extensions``, ``Record.extensions``), the releases are validated and the
record is compiled with OCDS 1.1.5 patched with those extensions (their merge rules —
``wholeListMerge``, ``omitWhenMerged`` — change the compiled and versioned release), and every
package that serves them declares them again (``ocds_pages.packages.package_extensions``), so a
consumer finds each field declared where its publisher declared it (docs/ocds.md §8).

Nothing is downloaded (docs/arquitectura.md, decision 14). A URL is resolved from:

* the extensions this project bundles — the URLs this installation serves them at, and the GitHub
  repository of each EDCA-MX extension (its ``documentationUrl``);
* the local registry folder ``OCDS_EXTENSIONS_DIR`` that the administrator fills, laid out like
  the URL (``<folder>/<host>/<path>/extension.json``: what ``wget --force-directories`` writes),
  with the schema files the ``extension.json`` lists beside it.

An extension found in neither is *unknown*: the import reports it, keeps its URL and its fields
(stored verbatim, compiled with the core merge rules) and validates the rest.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from ocds_pages import schema
from ocds_pages.extension import ReleaseSchema, project_release_schema, release_schema


@dataclass(frozen=True)
class DeclaredSchema:
    """The release schema of some declared extensions, and those that could not be resolved."""

    schema: ReleaseSchema
    unknown: tuple[str, ...]


def ordered_union(*lists: Iterable[str] | None) -> tuple[str, ...]:
    """The URLs of every list, each once, in the order first seen (empty and None lists add
    nothing; non-text entries are ignored)."""
    seen: dict[str, None] = {}
    for urls in lists:
        for url in urls or ():
            if isinstance(url, str) and url.strip():
                seen.setdefault(url.strip(), None)
    return tuple(seen)


def _bundled_name(url: str) -> str | None:
    """The bundled extension ``url`` names: served by this installation, or the GitHub
    repository (raw or not) of an EDCA-MX extension."""
    if url == schema.project_extension_url():
        return schema.PROJECT_EXTENSION
    for name in schema.EDCA_MX_EXTENSIONS:
        if url == schema.served_extension_url(name):
            return name
    parts = urlsplit(url)
    repository = "/".join(parts.path.strip("/").split("/")[:2]).lower()
    if parts.netloc in ("raw.githubusercontent.com", "github.com") and repository:
        for name in schema.EDCA_MX_EXTENSIONS:
            metadata = schema.read_json(schema.extension_dir(name) / "extension.json")
            documentation = urlsplit(metadata.get("documentationUrl", {}).get("en", ""))
            if documentation.path.strip("/").lower() == repository:
                return name
    return None


def local_extension_dir(url: str) -> Path | None:
    """The folder of ``url`` in OCDS_EXTENSIONS_DIR (``<host>/<path>``), if it holds its
    ``extension.json``. The URL may name the ``extension.json`` or its folder."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    segments = [part for part in parts.path.split("/") if part]
    if segments and segments[-1] == "extension.json":
        segments.pop()
    if any(part in (".", "..") for part in (parts.netloc, *segments)):
        return None  # a URL never leads out of the folder
    folder = Path(settings.OCDS_EXTENSIONS_DIR, parts.netloc, *segments)
    return folder if (folder / "extension.json").is_file() else None


def _release_patch_files(folder: Path) -> list[Path]:
    metadata = schema.read_json(folder / "extension.json")
    listed = metadata.get("schemas") or []
    return [folder / "release-schema.json"] if "release-schema.json" in listed else []


def resolve(url: str) -> tuple[str, Path | None] | None:
    """How ``url`` is resolved: ("bundled", folder), ("project", None) or ("local", folder);
    None when it is unknown."""
    name = _bundled_name(url)
    if name == schema.PROJECT_EXTENSION:
        return ("project", None)
    if name is not None:
        return ("bundled", schema.extension_dir(name))
    folder = local_extension_dir(url)
    return ("local", folder) if folder is not None else None


def _fingerprint(url: str) -> tuple:
    """What the schema of ``url`` is built from; a file changed in the folder changes it."""
    found = resolve(url)
    if found is None:
        return (url, None)
    kind, folder = found
    if kind == "project":
        # The project extension also carries the form fields (the ExtensionField rows).
        return (url, kind, release_schema().key)
    files = _release_patch_files(folder)
    return (url, kind, tuple((str(path), path.stat().st_mtime_ns) for path in files))


@lru_cache(maxsize=16)
def _built(key: tuple) -> ReleaseSchema:
    data = schema.core_schema("release-schema.json")
    for url, kind, *_rest in key:
        if kind == "project":
            data = schema.json_merge_patch(data, project_release_schema())
        elif kind is not None:
            folder = resolve(url)[1]
            for path in _release_patch_files(folder):
                data = schema.json_merge_patch(data, schema.read_json(path))
    return ReleaseSchema(key=("declared", key), data=data)


def declared_release_schema(urls: Iterable[str]) -> DeclaredSchema:
    """OCDS 1.1.5 patched with each resolvable extension of ``urls``, in order (as OCP's tools
    merge them), and the URLs that could not be resolved."""
    key = tuple(_fingerprint(url) for url in ordered_union(urls))
    unknown = tuple(entry[0] for entry in key if entry[1] is None)
    return DeclaredSchema(schema=_built(key), unknown=unknown)
