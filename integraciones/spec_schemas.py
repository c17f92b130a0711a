"""JSON Schema validators built from the PDN OpenAPI files shipped in integraciones/specs/.

The fake servers validate the requests they receive with them and the tests validate the answers
of the fakes, so both sides are held to the specification rather than to our reading of it.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPECS_DIR = Path(__file__).resolve().parent / "specs"


def _nullable_to_null_type(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable: true`` means ``type: [t, "null"]`` in JSON Schema."""
    if isinstance(node, list):
        return [_nullable_to_null_type(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_to_null_type(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


@cache
def load_spec(filename: str) -> dict:
    text = (SPECS_DIR / filename).read_text(encoding="utf-8")
    document = yaml.safe_load(text) if filename.endswith(".yaml") else json.loads(text)
    return _nullable_to_null_type(document)


@cache
def validator_for(filename: str, pointer: str) -> jsonschema.Draft4Validator:
    """A validator for the schema at ``pointer`` (e.g. ``#/components/schemas/reqSpic``)."""
    uri = f"urn:pdn-spec:{filename}"
    resource = Resource(contents=load_spec(filename), specification=DRAFT4)
    registry = Registry().with_resource(uri, resource)
    return jsonschema.Draft4Validator({"$ref": f"{uri}{pointer}"}, registry=registry)


def errors_for(filename: str, pointer: str, instance: Any) -> list[str]:
    """Human-readable validation errors (path: message), empty when the instance conforms."""
    validator = validator_for(filename, pointer)
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(raíz)'}: {error.message}"
        for error in validator.iter_errors(instance)
    ]
