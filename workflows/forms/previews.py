"""Sample input for a definition: what the preview shows and what the tests of defaults fill in.

The sample respects each field's validation (limits, defaults, first option of a list), so the
fragment it produces is what a correct capture of the form publishes.
"""

import json
import re
from decimal import Decimal

from django.utils import timezone

from workflows.base.procedures import ProcedureType
from workflows.forms import catalogues
from workflows.forms.choices import FieldType
from workflows.forms.form_services import definition_spec
from workflows.forms.forms_engine import CaptureContext, build_form, data_from_values, to_ocds
from workflows.forms.spec import is_visible

SAMPLE_RFC = "MME920427EM3"
SAMPLE_CURP = "GODE561231HDFRRN09"
SAMPLE_FILE = {
    "name": "documento.pdf",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "url": "https://compra-integra.example/media/borradores/documento.pdf",
    "format": "application/pdf",
}


def _sample_number(item, fallback):
    low, high = item.get("min_value"), item.get("max_value")
    value = Decimal(str(low)) if low not in (None, "") and Decimal(str(low)) > 0 else fallback
    if high not in (None, "") and value > Decimal(str(high)):
        value = Decimal(str(high))
    return value


def _pattern_example(item) -> str | None:
    """A token of the help text that satisfies the field's pattern (help texts of patterned
    fields give an example, e.g. the CFDI folio's UUID), so the preview's sample validates."""
    pattern = re.compile(item["pattern"])
    for token in re.split(r"[\s,;()]+", item.get("help_text") or ""):
        token = token.rstrip(".:")
        if token and pattern.fullmatch(token):
            return token
    return None


def _sample_text(item):
    if item.get("default"):
        return item["default"]
    if item.get("pattern") and (example := _pattern_example(item)):
        return example
    text = f"Ejemplo: {item['label']}"
    if item.get("max_length"):
        text = text[: item["max_length"]]
    return text.ljust(item.get("min_length") or 0, "x")


def sample_value(item: dict):
    kind = item["field_type"]
    now = timezone.localtime()
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        return _sample_text(item)
    if kind == FieldType.INTEGER:
        return str(int(_sample_number(item, Decimal(1))))
    if kind == FieldType.DECIMAL:
        return str(_sample_number(item, Decimal(10)))
    if kind == FieldType.MONEY:
        return {"amount": str(_sample_number(item, Decimal("125000.00"))), "currency": "MXN"}
    if kind == FieldType.DATE:
        return now.date().isoformat()
    if kind == FieldType.DATETIME:
        return now.strftime("%Y-%m-%dT%H:%M")
    if kind == FieldType.BOOLEAN:
        return "true"
    if kind == FieldType.CHOICE:
        options = catalogues.options(item["choices"])
        return item.get("default") or (options[0][0] if options else "")
    return {FieldType.RFC: SAMPLE_RFC, FieldType.CURP: SAMPLE_CURP}.get(kind, "")


def sample_values(spec: dict, procedure_type: str) -> dict:
    """Raw values (as a draft stores them) filling every visible field; groups get one row."""
    values = {}
    for item in spec["fields"]:
        if not is_visible(item, procedure_type):
            continue
        if item["kind"] == "group":
            rows = max(item.get("min_rows") or 1, 1)
            values[item["key"]] = [
                {
                    f["key"]: dict(SAMPLE_FILE)
                    if f["field_type"] == FieldType.FILE
                    else sample_value(f)
                    for f in item["fields"]
                }
                for _n in range(rows)
            ]
        elif item["field_type"] == FieldType.FILE:
            values[item["key"]] = dict(SAMPLE_FILE)
        else:
            values[item["key"]] = sample_value(item)
    return values


def sample_rows_distinct(values: dict) -> dict:
    """Rows of organisation groups need distinct RFCs (parties are merged by id)."""
    rfcs = ["MME920427EM3", "SAT970701NN3", "CIN0101019Y5", "DIS850101AB1", "PRO990202CD2"]
    for rows in values.values():
        if isinstance(rows, list):
            for index, row in enumerate(rows):
                for key, value in row.items():
                    if value == SAMPLE_RFC:
                        row[key] = rfcs[index % len(rfcs)]
    return values


def sample_form_and_fragment(spec: dict, stage: str, procedure_type: str):
    """The bound form with sample input and the OCDS fragment it produces (None if invalid)."""
    context = CaptureContext(procedure_type=procedure_type, ocid="ocds-ejemplo-ENTE-000001")
    values = sample_rows_distinct(sample_values(spec, procedure_type))
    stored = {k: v for k, v in values.items() if isinstance(v, dict) and "sha256" in v}
    for key, rows in values.items():
        if isinstance(rows, list):  # a group's files, row by row
            stored[key] = [
                {name: v for name, v in row.items() if isinstance(v, dict) and "sha256" in v}
                for row in rows
            ]
    data = data_from_values(spec, values, context=context)
    form = build_form({**spec, "stage": stage}, data, context=context, stored=stored)
    if not form.is_valid():
        return form, None
    return form, to_ocds({**spec, "stage": stage}, form.values(), context=context)


def preview_context(definition) -> dict:
    """Template context of the Wagtail preview of a definition being edited."""
    spec = definition_spec(definition=definition)
    # A form for all procedures is previewed as the most common competitive one.
    procedure = definition.procedure_type or ProcedureType.LP_NATIONAL
    form, fragment = sample_form_and_fragment(spec, definition.stage, procedure)
    return {
        "definition": definition,
        "form": form,
        "fragment_json": json.dumps(fragment, ensure_ascii=False, indent=2) if fragment else "",
        "procedure_type": ProcedureType(procedure).label,
    }
