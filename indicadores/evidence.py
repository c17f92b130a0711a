"""The evidence of an alert as a person reads it: titled sections of labelled values.

Outcomes carry JSON evidence (indicadores/outcomes.py). By convention it has ``values`` (what was
compared), ``thresholds`` (against what) and, for registry matches, ``registry`` (the mirrored
row: system, source, date of sync, match kind and identifiers). Known keys get Spanish labels;
anything else is shown under its own name, so no evidence is ever hidden.
"""

from dataclasses import dataclass

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

SECTION_TITLES = {
    "values": _("Valores comparados"),
    "thresholds": _("Umbrales"),
    "registry": _("Registro que coincidió"),
    "supplier": _("Proveedor"),
}

LABELS = {
    "system": _("Sistema"),
    "source": _("Fuente"),
    "synced_at": _("Fecha de sincronización"),
    "match_kind": _("Tipo de coincidencia"),
    "matched": _("Dato que coincidió"),
    "record_id": _("Identificador en el registro"),
    "name": _("Nombre"),
    "rfc": _("RFC"),
    "curp": _("CURP"),
    "status": _("Situación"),
    "url": _("Dirección"),
}

MATCH_KINDS = {"rfc": _("RFC"), "curp": _("CURP"), "name": _("nombre normalizado")}


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    is_url: bool = False


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: list


def readable(evidence: dict) -> list[Section]:
    """Sections in a stable order: the known ones first, then the rest of the evidence."""
    evidence = evidence or {}
    sections, loose = [], []
    ordered = [key for key in SECTION_TITLES if key in evidence]
    ordered += sorted(key for key in evidence if key not in SECTION_TITLES)
    for key in ordered:
        value = evidence[key]
        if isinstance(value, dict):
            title = SECTION_TITLES.get(key, key)
            sections.append(Section(key, str(title), [_row(k, v) for k, v in value.items()]))
        else:
            loose.append(_row(key, value))
    if loose:
        sections.append(Section("otros", str(_("Otros datos")), loose))
    return sections


def _row(key, value) -> Row:
    label = str(LABELS.get(key, key))
    if key == "match_kind":
        return Row(label, str(MATCH_KINDS.get(value, value)))
    text = _text(value)
    return Row(
        label, text, is_url=isinstance(value, str) and value.startswith(("http://", "https://"))
    )


def _text(value) -> str:
    if isinstance(value, bool):
        return str(_("sí") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{LABELS.get(k, k)}: {_text(v)}" for k, v in value.items())
    if isinstance(value, str):
        return _date_text(value)
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "" if value is None else str(value)


def _date_text(value: str) -> str:
    """ISO dates and date-times in the Mexican reading (d/m/Y); any other text unchanged."""
    try:
        moment = parse_datetime(value) if "T" in value else None
        day = None if moment else parse_date(value)
    except ValueError:
        return value
    if moment is not None and moment.tzinfo is not None:
        return date_format(localtime(moment), "d/m/Y H:i")
    if day is not None:
        return date_format(day, "d/m/Y")
    return value
