"""The project's own OCDS extension (``compra_integra``) and the hook to contribute fields to it.

ocds_pages sits below the forms (workflows) in the layer order, so it cannot import them. Instead, a
higher app calls :func:`register_extension_fields` (typically from its ``AppConfig.ready``) to
declare the custom fields its forms write; they become part of the extension served at
``/ocds/extension/release-schema.json`` and of the schema releases are validated against.
"""

import threading

from ocds_pages import schema

_lock = threading.Lock()
_contributed: dict[str, dict[str, dict]] = {}
_version = 0


def register_extension_fields(*, definition: str, fields: dict[str, dict]) -> None:
    """Add JSON Schema ``fields`` to ``definition`` (e.g. "Tender") of the project extension.

    ``fields`` maps each new property name to its JSON Schema (draft 4, OCDS style: ``title``,
    ``description``, ``type`` allowing null). Registering the same field again replaces it.
    """
    global _version
    with _lock:
        _contributed.setdefault(definition, {}).update(fields)
        _version += 1


def unregister_extension_fields(*, definition: str, names: list[str]) -> None:
    """Remove contributed fields (a form field was retired, or a test cleans up)."""
    global _version
    with _lock:
        for name in names:
            _contributed.get(definition, {}).pop(name, None)
        _version += 1


def contributed_version() -> int:
    """Changes each time the contributed fields change, so caches know when to rebuild."""
    return _version


def _contributed_patch() -> dict:
    return {
        "definitions": {
            definition: {"properties": dict(fields)}
            for definition, fields in _contributed.items()
            if fields
        }
    }


def project_release_schema() -> dict:
    """The project extension's release-schema.json: the committed file plus contributed fields."""
    base = schema.read_json(schema.extension_dir(schema.PROJECT_EXTENSION) / "release-schema.json")
    return schema.json_merge_patch(base, _contributed_patch())


def project_extension_metadata() -> dict:
    """The extension.json served by the project, with the absolute URL of its schema."""
    metadata = schema.read_json(schema.extension_dir(schema.PROJECT_EXTENSION) / "extension.json")
    base_url = schema.project_extension_url().rsplit("/", 1)[0]
    metadata["schemas"] = [f"{base_url}/release-schema.json"]
    return metadata


_patched_cache: dict[int, dict] = {}


def patched_release_schema() -> dict:
    """The release schema every release is validated and merged with (do not mutate it)."""
    version = _version
    cached = _patched_cache.get(version)
    if cached is None:
        cached = schema.committed_patched_schema()
        if any(_contributed.values()):
            cached = schema.json_merge_patch(cached, _contributed_patch())
        _patched_cache.clear()
        _patched_cache[version] = cached
    return cached
