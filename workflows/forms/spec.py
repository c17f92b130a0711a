"""The frozen field spec a FormVersion holds: plain JSON the engine reads, independent of blocks.

``{"fields": [{"kind": "field", "key": ..., "field_type": ..., "ocds_path": ...},
{"kind": "group", "key": ..., "ocds_path": ..., "fields": [<field>, ...]}]}``
"""

import uuid
from decimal import Decimal

FIELD_DEFAULTS = {
    "help_text": "",
    "visible_for": [],
    "custom": False,
    "required": False,
    "choices": "",
    "document_type": "",
    "min_value": None,
    "max_value": None,
    "min_length": None,
    "max_length": None,
    "pattern": "",
    "default": "",
}
GROUP_DEFAULTS = {
    "help_text": "",
    "visible_for": [],
    "party_role": "",
    "min_rows": None,
    "max_rows": None,
}


def _plain(value):
    """Decimals from DecimalBlock become numbers JSON can hold."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def normalise_field(raw: dict) -> dict:
    field = {**FIELD_DEFAULTS, **{k: _plain(v) for k, v in raw.items()}}
    field["kind"] = "field"
    field["visible_for"] = list(field.get("visible_for") or [])
    return field


def normalise_group(raw: dict) -> dict:
    group = {**GROUP_DEFAULTS, **{k: v for k, v in raw.items() if k != "fields"}}
    group["kind"] = "group"
    group["visible_for"] = list(group.get("visible_for") or [])
    rows = raw.get("fields") or []
    # ListBlock values are stored as {"type": "item", "value": {...}} since Wagtail 2.16.
    group["fields"] = [normalise_field(r.get("value", r) if "type" in r else r) for r in rows]
    return group


def spec_from_stream(stream_data: list[dict]) -> dict:
    """The spec of a StreamField's JSON (``definition.fields.get_prep_value()``)."""
    items = []
    for block in stream_data:
        value = block["value"]
        items.append(normalise_group(value) if block["type"] == "group" else normalise_field(value))
    return {"fields": items}


def stream_from_spec(spec: dict) -> list[dict]:
    """The StreamField JSON of a spec (to seed a definition from the shipped defaults).

    Every block and list item carries an ``id``: Wagtail reads list items without one as the
    pre-2.16 format, and the admin would show their sub-fields empty.
    """
    stream = []
    for item in spec["fields"]:
        value = {k: v for k, v in item.items() if k != "kind"}
        if item["kind"] == "group":
            value["fields"] = [
                {"type": "item", "value": {k: v for k, v in f.items() if k != "kind"}, "id": _id()}
                for f in item["fields"]
            ]
        stream.append({"type": item["kind"], "value": value, "id": _id()})
    return stream


def _id() -> str:
    return str(uuid.uuid4())


def is_visible(item: dict, procedure_type: str) -> bool:
    """Whether ``item`` is shown in ``procedure_type`` (empty: all procedures, show everything)."""
    visible_for = item.get("visible_for") or []
    return not visible_for or not procedure_type or procedure_type in visible_for
