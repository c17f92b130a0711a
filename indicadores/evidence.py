"""The evidence of an alert as a person reads it: titled sections of labelled values.

Outcomes carry self-contained JSON evidence (indicadores/outcomes.py): the values compared, the
thresholds, and for registry matches the mirrored rows (system, source, date of sync, match kind
and identifiers; indicadores/engine/registries.py). A dict becomes a section, a list of dicts one
section per item, and a list of dicts inside a section a small table. Known keys get Spanish labels;
any other key is shown under its own name made readable, so no evidence is ever hidden.
"""

from dataclasses import dataclass, field

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

SECTION_ORDER = ["values", "thresholds", "party", "supplier", "registry", "matches", "dates"]

LABELS = {
    "values": _("Valores comparados"),
    "thresholds": _("Umbrales"),
    "registry": _("Registro que coincidió"),
    "matches": _("Coincidencia en el registro"),
    "party": _("Parte del proceso"),
    "supplier": _("Proveedor"),
    "dates": _("Fechas consideradas"),
    "system": _("Sistema"),
    "source": _("Fuente"),
    "synced_at": _("Fecha de sincronización"),
    "fetched_at": _("Fecha de sincronización"),
    "registry_synced_at": _("Última sincronización del registro"),
    "updated_at_source": _("Actualizado en la fuente"),
    "match_kind": _("Tipo de coincidencia"),
    "match_label": _("Coincidió por"),
    "declarant_match_kind": _("Coincidencia del declarante"),
    "matched": _("Dato que coincidió"),
    "record_id": _("Identificador en el registro"),
    "external_id": _("Identificador en el registro"),
    "supplier_name": _("Proveedor del registro"),
    "party_id": _("id de la parte"),
    "name": _("Nombre"),
    "rfc": _("RFC"),
    "curp": _("CURP"),
    "status": _("Situación"),
    "status_on": _("Situación en cada fecha"),
    "in_latest_list": _("En la lista más reciente"),
    "events": _("Historial en el registro"),
    "stage": _("Situación"),
    "sat_notice": _("Oficio del SAT"),
    "dof_notice": _("Publicación en el DOF"),
    "moment": _("Momento"),
    "date": _("Fecha"),
    "undated": _("Sin fechas"),
    "url": _("Dirección"),
    "amount": _("Monto"),
    "currency": _("Moneda"),
    "procedure_type": _("Tipo de procedimiento"),
    "procurement_method": _("Método de contratación"),
    "minimum_days": _("Días mínimos"),
    "days": _("Días"),
    "tenderers": _("Licitantes"),
    "counted_from": _("Contado desde"),
    "year": _("Ejercicio"),
    "category": _("Categoría"),
    "share": _("Proporción"),
    "total": _("Total"),
    "legal_maximum": _("Máximo legal"),
    "maximum": _("Máximo"),
    "estimate": _("Monto estimado"),
    "servant": _("Persona servidora pública"),
    "job_title": _("Puesto"),
    "file_number": _("Expediente"),
    "resolution_date": _("Fecha de resolución"),
    "sanction_types": _("Tipos de sanción"),
    "authority": _("Autoridad"),
    "declarant": _("Declarante"),
    "company": _("Empresa"),
    "participation": _("Participación"),
    "relation": _("Relación"),
    "incorporated": _("Fecha de constitución"),
    "incorporation_source": _("Fuente de la fecha de constitución"),
    "incorporation_note": _("Nota sobre la constitución"),
    "age_days": _("Días de antigüedad"),
    "award_date": _("Fecha de adjudicación"),
    "signature": _("Firma"),
}

MATCH_KINDS = {"rfc": _("RFC"), "curp": _("CURP"), "name": _("nombre normalizado")}


@dataclass(frozen=True)
class Table:
    headers: list
    rows: list


@dataclass(frozen=True)
class Row:
    label: str
    value: str = ""
    is_url: bool = False
    table: Table | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rows: list = field(default_factory=list)


def readable(evidence: dict | None) -> list[Section]:
    """Sections in a stable order: the known ones first, then the rest of the evidence."""
    evidence = evidence or {}
    keys = [key for key in SECTION_ORDER if key in evidence]
    keys += sorted(key for key in evidence if key not in SECTION_ORDER)
    sections, loose = [], []
    for key in keys:
        value = evidence[key]
        if isinstance(value, dict):
            sections.append(Section(key, label(key), _rows(value)))
        elif _is_records(value) and value:
            sections += [
                Section(f"{key}-{n}", _numbered(key, n, len(value)), _rows(item))
                for n, item in enumerate(value, start=1)
            ]
        else:
            loose.append(_row(key, value))
    if loose:
        sections.append(Section("otros", str(_("Otros datos")), loose))
    return sections


def label(key) -> str:
    """The Spanish label of a known key; any other key made readable ("fecha_firma" → "Fecha
    firma"), never hidden."""
    if key in LABELS:
        return str(LABELS[key])
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _numbered(key, n, total) -> str:
    return label(key) if total == 1 else f"{label(key)} {n}"


def _is_records(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _rows(mapping: dict) -> list[Row]:
    return [_row(key, value) for key, value in mapping.items()]


def _row(key, value) -> Row:
    if key in ("match_kind", "declarant_match_kind"):
        return Row(label(key), str(MATCH_KINDS.get(value, value)))
    if _is_records(value) and value:
        return Row(label(key), table=_table(value))
    url = isinstance(value, str) and value.startswith(("http://", "https://"))
    return Row(label(key), text(value), is_url=url)


def _table(records: list[dict]) -> Table:
    keys = list(dict.fromkeys(key for record in records for key in record))
    return Table(
        headers=[label(key) for key in keys],
        rows=[[_cell(key, record.get(key)) for key in keys] for record in records],
    )


def _cell(key, value) -> str:
    if key in ("match_kind", "declarant_match_kind"):
        return str(MATCH_KINDS.get(value, value or ""))
    return text(value)


def text(value) -> str:
    """A JSON value as one line of Spanish text."""
    if isinstance(value, bool):
        return str(_("sí") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{label(k)}: {text(v)}" for k, v in value.items())
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
