"""OCDS paths ("tender/items/0/unit/value") looked up in the patched release schema.

A form field writes its value to a path. The path is checked against the schema the releases are
validated with (``ocds_pages.extension.release_schema``), so a definition can only write where OCDS
(or a declared extension) says a value of that type belongs.
"""

from dataclasses import dataclass
from functools import lru_cache

from ocds_pages.extension import ReleaseSchema, release_schema
from ocds_pages.schema import committed_patched_schema

REF_PREFIX = "#/definitions/"


@dataclass(frozen=True)
class SchemaNode:
    """A schema node after following ``$ref``; ``definition`` names the object type, if any."""

    node: dict
    definition: str | None

    @property
    def types(self) -> set[str]:
        declared = self.node.get("type")
        if declared is None:
            return {"object"} if "properties" in self.node else set()
        return set(declared if isinstance(declared, list) else [declared]) - {"null"}

    @property
    def codelist(self) -> str | None:
        name = self.node.get("codelist") or self.node.get("items", {}).get("codelist")
        return name.removesuffix(".csv") if name else None


def split(path: str) -> list[str]:
    return list(_split(path))


@lru_cache(maxsize=4096)
def _split(path: str) -> tuple[str, ...]:
    # Forms write to a few hundred distinct paths, thousands of times (the data generator).
    return tuple(part for part in path.strip().strip("/").split("/") if part)


def _deref(node: dict, schema: dict, definition: str | None = None) -> SchemaNode:
    ref = node.get("$ref")
    if ref and ref.startswith(REF_PREFIX):
        name = ref.removeprefix(REF_PREFIX)
        return _deref(schema["definitions"][name], schema, name)
    return SchemaNode(node, definition)


def _step(current: SchemaNode, part: str, schema: dict) -> SchemaNode | None:
    if "array" in current.types:
        if not part.isdigit():
            return None
        return _deref(current.node.get("items", {}), schema)
    child = current.node.get("properties", {}).get(part)
    return None if child is None else _deref(child, schema)


def resolve(path: str, *, schema: dict | None = None) -> SchemaNode | None:
    """The schema node at ``path`` (numeric parts index arrays); None if OCDS lacks the path.

    Without ``schema``, the release schema now. The declared extension fields only add properties
    (ocds_pages refuses rows that redefine one), so a path the committed schema has leads to the
    same place in it (an object's node there lacks the added properties, which no caller lists);
    only a path through a declared field reads the rows.
    """
    if schema is not None:
        return _resolve(path, schema)
    found = _resolve_committed(path)
    return found if found is not None else _resolve_declared(release_schema(), path)


# Forms write to a few hundred distinct paths, thousands of times (the data generator); the
# lookups are pure functions of their arguments, so they are cached by them.
@lru_cache(maxsize=4096)
def _resolve_committed(path: str) -> SchemaNode | None:
    return _resolve(path, committed_patched_schema())


@lru_cache(maxsize=1024)
def _resolve_declared(schema: ReleaseSchema, path: str) -> SchemaNode | None:
    return _resolve(path, schema.data)


def _resolve(path: str, schema: dict) -> SchemaNode | None:
    current = SchemaNode(schema, None)
    for part in _split(path):
        current = _step(current, part, schema)
        if current is None:
            return None
    return current


def join(*paths: str) -> str:
    return "/".join(part for path in paths for part in _split(path))


def item_requires_id(path: str) -> bool:
    """Whether the objects of the array at ``path`` carry a merge ``id`` (Item, Milestone…)."""
    node = resolve(f"{path}/0")
    return node is not None and "id" in node.node.get("properties", {})
