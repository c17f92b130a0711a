"""What a stage's form starts with: what the process already has (issue 16, item 7).

A main stage's form starts from the process's compiled record (its approved stages, as published)
and from what was typed when the process was created (title, description, category, budget lines),
for the fields it shares with earlier stages: the award's items start from the tender's, the
contract's amount from the award's, the planning's budget lines from the process's rows. Nobody
types them again; the capturista corrects what changed and the approver sees those changes
(:func:`changes`).

``SOURCES`` says, for the OCDS path a form field writes, where earlier stages keep that data. Only
the main stages are prefilled: an amendment, a payment or a meeting is new by nature (copying the
contract's amount into a convenio would «change» the contract without changing anything).

The values are a draft's own (what ``workflows.forms.forms_engine.values_from_post`` stores:
strings, money as ``{"amount", "currency"}``, groups as lists of rows), so the form shows them as
if typed.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from workflows.base import currencies
from workflows.base.procedures import Stage
from workflows.forms import ocds_paths
from workflows.forms.choices import FieldType
from workflows.forms.spec import is_visible
from workflows.processes.audit import MISSING

# Target path (what a field or group writes) → where earlier stages keep it, first found wins.
SOURCES = {
    "planning/budget/amount": ("planning/budget/amount",),
    "planning/budgetBreakdown/0/budgetLines": ("planning/budgetBreakdown/0/budgetLines",),
    "tender/title": ("tender/title",),
    "tender/description": ("tender/description",),
    "tender/mainProcurementCategory": ("tender/mainProcurementCategory",),
    "tender/value": ("tender/value", "planning/budget/amount"),
    "tender/items": ("tender/items",),
    "awards/0/title": ("awards/0/title", "tender/title"),
    "awards/0/value": ("awards/0/value", "tender/value"),
    "awards/0/items": ("awards/0/items", "tender/items"),
    "contracts/0/title": ("contracts/0/title", "tender/title"),
    "contracts/0/description": ("contracts/0/description", "tender/description"),
    "contracts/0/value": ("contracts/0/value", "awards/0/value"),
    "contracts/0/items": ("contracts/0/items", "awards/0/items", "tender/items"),
}
# A legal ground is published as its citation and a document type as its OCDS code: neither maps
# back to one option of its catalogue, so they are not prefilled.
# The stages whose form creates what earlier stages prepared; events (amendments, payments,
# meetings, cancellations) start empty.
PREFILLED_STAGES = frozenset({Stage.PLANNING, Stage.TENDER, Stage.AWARD, Stage.CONTRACT})
NOT_REVERSIBLE = ("catalogue:justifications", "catalogue:document_types")
SKIPPED_TYPES = (FieldType.FILE, FieldType.FIXED)


# --- what the process already has -----------------------------------------------------------


def process_facts(process) -> dict:
    """What was typed when ``process`` was created, shaped as the releases publish it."""
    tender = {
        "title": process.title,
        "description": process.description,
        "mainProcurementCategory": process.main_procurement_category,
    }
    known = {"tender": {key: value for key, value in tender.items() if value}}
    lines = [line for line in process.budget_lines or [] if isinstance(line, dict)]
    if lines:
        known["planning"] = _planning_facts(lines)
    return known


def _planning_facts(lines: list[dict]) -> dict:
    currency = currencies.default_currency()
    total = sum(Decimal(str(line.get("amount") or 0)) for line in lines)
    # EDCA-MX budgetLines: the partida is the component, the approved amount the measure.
    budget_lines = [
        {
            "components": [
                {"name": "partida", "code": line.get("id"), "description": line.get("description")}
            ],
            "measures": [
                {"id": "aprobado", "value": {"amount": line.get("amount"), "currency": currency}}
            ],
        }
        for line in lines
    ]
    return {
        "budget": {"amount": {"amount": total, "currency": currency}},
        "budgetBreakdown": [{"budgetLines": budget_lines}],
    }


def known(facts: dict, record: dict | None) -> dict:
    """The process's facts under its compiled record: what was published wins."""
    return _layered(facts, record or {})


def _layered(under, over):
    if isinstance(under, dict) and isinstance(over, dict):
        merged = dict(under)
        for key, value in over.items():
            merged[key] = _layered(under.get(key), value)
        return merged
    return under if over is None else over


# --- the values a stage starts with ----------------------------------------------------------


def stage_values(spec: dict, *, stage: str, procedure_type: str, known: dict) -> dict:
    """The draft values (by field key) that ``spec``'s form of ``stage`` starts with."""
    if stage not in PREFILLED_STAGES:
        return {}
    values = {}
    for item in spec["fields"]:
        if not is_visible(item, procedure_type):
            continue
        found = _source_value(item, known)
        if found is None:
            continue
        value = _group_rows(item, found, known) if item["kind"] == "group" else _raw(item, found)
        if value not in (None, "", []):
            values[item["key"]] = value
    return values


def _source_value(item: dict, known: dict):
    if item["kind"] == "field" and item["field_type"] in SKIPPED_TYPES:
        return None
    target = "/".join(ocds_paths.split(item["ocds_path"]))
    for source in SOURCES.get(target, ()):
        value = get_path(known, source)
        if value not in (None, "", [], {}):
            return value
    return None


def get_path(tree, path: str):
    """The value at ``path`` ("awards/0/items") inside a JSON tree, or None."""
    node = tree
    for part in ocds_paths.split(path):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def _group_rows(group: dict, objects, known: dict) -> list[dict]:
    if not isinstance(objects, list):
        return []
    parties = {p.get("id"): p for p in known.get("parties") or [] if isinstance(p, dict)}
    rows = []
    for obj in objects:
        if not isinstance(obj, dict):
            continue
        if group.get("party_role") and obj.get("id") in parties:
            obj = {**parties[obj["id"]], **obj}  # a reference names the party; its RFC is there
        row = {
            field["key"]: _raw(field, get_path(obj, field["ocds_path"]))
            for field in group["fields"]
            if field["field_type"] not in SKIPPED_TYPES
        }
        row = {key: value for key, value in row.items() if value not in (None, "")}
        if row:
            rows.append(row)
    return rows


def _raw(item: dict, value):
    """A published value as the form's input holds it (what a person would have typed)."""
    if value in (None, "", [], {}):
        return None
    kind = item["field_type"]
    if kind == FieldType.MONEY:
        if not isinstance(value, dict) or value.get("amount") is None:
            return None
        currency = value.get("currency") or currencies.default_currency()
        return {"amount": number_text(value["amount"]), "currency": currency}
    if kind in (FieldType.DATE, FieldType.DATETIME):
        return _local(value, kind)
    if kind in (FieldType.INTEGER, FieldType.DECIMAL):
        return number_text(value)
    if kind == FieldType.BOOLEAN:
        return "true" if value is True else "false" if value is False else None
    if kind == FieldType.CHOICE and item.get("choices") in NOT_REVERSIBLE:
        return None
    return value if isinstance(value, str) else str(value)


def number_text(value) -> str:
    """A number as typed: 222000, 18.5 (never 222000.00 nor 1.85E+1)."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def _local(value, kind) -> str | None:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    if kind == FieldType.DATE:
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M")


# --- what the capture changed since the previous stage ---------------------------------------


def changes(spec: dict, prefilled: dict, values: dict) -> list[dict]:
    """What ``values`` (the draft) changed of what the stage started with (``prefilled``).

    ``[{"path", "label", "before", "after"}]``, one per field (per row field in groups), in the
    order of the form; a side without a value shows ∅.
    """
    found = []
    for item in spec["fields"]:
        if item["key"] not in prefilled:
            continue
        if item["kind"] == "group":
            found += _row_changes(item, prefilled[item["key"]], values.get(item["key"]))
        else:
            found += _change(item, item["key"], str(item["label"]), prefilled[item["key"]], values)
    return found


def _change(item, path, label, before, values) -> list[dict]:
    old, new = comparable(item, before), comparable(item, values.get(item["key"]))
    if old == new:
        return []
    return [{"path": path, "label": label, "before": old or MISSING, "after": new or MISSING}]


def _row_changes(group: dict, before, after) -> list[dict]:
    before = [row for row in before or [] if isinstance(row, dict)]
    after = [row for row in after or [] if isinstance(row, dict)]
    found = []
    for index in range(max(len(before), len(after))):
        old = before[index] if index < len(before) else {}
        new = after[index] if index < len(after) else {}
        for field in group["fields"]:
            if field["field_type"] in SKIPPED_TYPES:
                continue
            label = _("%(group)s, fila %(number)s: %(field)s") % {
                "group": group["label"],
                "number": index + 1,
                "field": field["label"],
            }
            path = f"{group['key']}/{index}/{field['key']}"
            found += _change(field, path, label, old.get(field["key"]), new)
    return found


def comparable(item: dict, raw) -> str:
    """A draft value as a comparable, readable text ("" for no value): 222000 MXN, 18.5, 25301."""
    if isinstance(raw, dict):
        if item["field_type"] != FieldType.MONEY or raw.get("amount") in (None, ""):
            return ""
        currency = raw.get("currency") or currencies.default_currency()
        return f"{number_text(raw['amount'])} {currency}"
    if raw in (None, ""):
        return ""
    if item["field_type"] in (FieldType.INTEGER, FieldType.DECIMAL):
        return number_text(raw)
    return str(raw).strip()
