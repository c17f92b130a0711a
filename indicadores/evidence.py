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

from indicadores.indicators.registries import (
    INCORPORATION_SOURCE_LABELS,
    LINK_KIND_LABELS,
    MOMENTS,
    SYSTEM_NAMES,
)
from integraciones.matching import MATCH_KIND_LABELS
from integraciones.models import (
    DECLARATION_TYPE_LABELS,
    RELATION_LABELS,
    S2_ACT_LABELS,
    S2_AREA_LABELS,
    SANCTION_TYPE_LABELS,
    S3Sanction,
)
from ocds_pages.labels import label as code_label

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
    "names": _("Nombres"),
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
    "link": _("Vínculo con el proceso"),
    "amount": _("Monto"),
    "currency": _("Moneda"),
    "procedure_type": _("Tipo de procedimiento"),
    "procurement_method": _("Método de contratación"),
    "method": _("Método de contratación"),
    "minimum_days": _("Días mínimos"),
    "minimum": _("Mínimo"),
    "maximum": _("Máximo"),
    "days": _("Días"),
    "tenderers": _("Licitantes"),
    "counted_from": _("Contado desde"),
    "year": _("Ejercicio"),
    "category": _("Categoría"),
    "share": _("Proporción"),
    "shares": _("Proporciones"),
    "total": _("Total"),
    "legal_maximum": _("Máximo legal"),
    "estimate": _("Monto estimado"),
    "servant": _("Persona servidora pública"),
    "servants_in_procedure": _("Personas servidoras públicas en el procedimiento"),
    "s2_available": _("S2 sincronizado"),
    "job_title": _("Puesto"),
    "area": _("Área"),
    "file": _("Expediente"),
    "file_number": _("Expediente"),
    "resolution_date": _("Fecha de resolución"),
    "sanction_types": _("Tipos de sanción"),
    "authority": _("Autoridad"),
    "declarant": _("Declarante"),
    "declaration_type": _("Tipo de declaración"),
    "company": _("Empresa"),
    "participation": _("Participación"),
    "relation": _("Relación"),
    "incorporated": _("Fecha de constitución"),
    "incorporation_source": _("Fuente de la fecha de constitución"),
    "incorporation_note": _("Nota sobre la constitución"),
    "age_days": _("Días de antigüedad"),
    "award_date": _("Fecha de adjudicación"),
    "signature": _("Firma"),
    "signed": _("Firmado"),
    "date_signed": _("Fecha de firma"),
    "act": _("Acto"),
    "active_on": _("Vigente en"),
    "amendments": _("Modificaciones"),
    "min_amendments": _("Mínimo de modificaciones"),
    "changes": _("Cambios"),
    "award": _("Adjudicación"),
    "award_criteria": _("Criterio de adjudicación"),
    "awarded": _("Adjudicado"),
    "bid": _("Propuesta"),
    "bids": _("Propuestas"),
    "checked": _("Fechas revisadas"),
    "clarifications": _("Junta de aclaraciones"),
    "code": _("Clave"),
    "contract": _("Contrato"),
    "contract_amount": _("Monto del contrato"),
    "contract_start": _("Inicio del contrato"),
    "count": _("Cantidad"),
    "direct": _("Adjudicación directa"),
    "direct_awards": _("Adjudicaciones directas"),
    "disqualifications": _("Descalificaciones"),
    "disqualified": _("Descalificadas"),
    "min_disqualified": _("Mínimo de descalificadas"),
    "eligible": _("Elegibles"),
    "end": _("Fin"),
    "start": _("Inicio"),
    "entity_name": _("Ente"),
    "extra_holidays": _("Días inhábiles adicionales"),
    "first": _("Primero"),
    "first_published": _("Primera publicación"),
    "flagged": _("Con bandera"),
    "gap": _("Diferencia"),
    "goods": _("Bienes"),
    "services": _("Servicios"),
    "group": _("Grupo"),
    "holidays": _("Días inhábiles"),
    "identifiers": _("Identificadores"),
    "kind": _("Tipo"),
    "kind_label": _("Tipo"),
    "limit": _("Límite"),
    "lowest": _("Más baja"),
    "lowest_valid_amount": _("Propuesta válida más baja"),
    "lp_internacional": _("Licitación pública internacional"),
    "lp_nacional": _("Licitación pública nacional"),
    "lp_tratados": _("Licitación pública bajo tratados"),
    "min_awards": _("Mínimo de adjudicaciones"),
    "mine": _("Propio"),
    "missing": _("Faltan"),
    "present": _("Presentes"),
    "required": _("Requeridos"),
    "monday": _("Lunes"),
    "not_computable": _("No calculable"),
    "ocid": _("ocid"),
    "open": _("Licitación pública"),
    "selective": _("Invitación a cuando menos tres personas"),
    "original_amount": _("Monto original"),
    "original_from": _("Original desde"),
    "original_period": _("Periodo original"),
    "paid": _("Pagado"),
    "payment": _("Pago"),
    "payments": _("Pagos"),
    "path": _("Dato"),
    "percentage": _("Porcentaje"),
    "period": _("Periodo"),
    "period_increase": _("Aumento del plazo"),
    "procedures": _("Procedimientos"),
    "published": _("Publicado"),
    "rationale": _("Fundamento"),
    "reason": _("Motivo"),
    "review_thresholds": _("Revisar umbrales"),
    "serious": _("Grave"),
    "subject": _("Sujeto"),
    "sundays": _("Domingos"),
    "supplier_awards": _("Adjudicaciones al proveedor"),
    "supplier_total": _("Total del proveedor"),
    "suppliers": _("Proveedores"),
    "tender": _("Licitación"),
    "tolerance": _("Tolerancia"),
    "unit_awards": _("Adjudicaciones de la unidad"),
    "unit_total": _("Total de la unidad"),
    "value": _("Valor"),
    "value_increase": _("Aumento del monto"),
    "version": _("Versión"),
    "week": _("Semana"),
    "window": _("Ventana"),
    "window_days": _("Días de la ventana"),
    "winning_amount": _("Monto ganador"),
    "won": _("Ganadas"),
    "zeros": _("Ceros"),
}

# Keys whose values are codes of the engine and the registries, shown by their Spanish names: the
# stored evidence and the APIs keep the codes. The screens of the capture and the review read the
# same table (registered with workflows.processes.integrity in indicadores/apps.py).
VALUE_LABELS = {
    "match_kind": MATCH_KIND_LABELS,
    "declarant_match_kind": MATCH_KIND_LABELS,
    "kind": {**MATCH_KIND_LABELS, **LINK_KIND_LABELS},
    "system": {code: _(name) for code, name in SYSTEM_NAMES.items()},
    "moment": {code: _(name) for code, name in MOMENTS.items()},
    "declaration_type": DECLARATION_TYPE_LABELS,
    "relation": RELATION_LABELS,
    "incorporation_source": INCORPORATION_SOURCE_LABELS,
    "area": S2_AREA_LABELS,
    "act": S2_ACT_LABELS,
    "sanction_types": SANCTION_TYPE_LABELS,
    "subject": dict(S3Sanction.Subject.choices),
}
# Left out when the evidence also has the other key, which says the same: how a row matched is
# shown from its code (match_kind, by VALUE_LABELS), a participation's kind from the registry's
# text (kind_label).
REDUNDANT = {"match_label": "match_kind", "kind": "kind_label"}

# Keys whose values are OCDS codes: shown with the public pages' Spanish labels (ocds_pages.labels).
VALUE_CODELISTS = {
    "procurement_method": "procurementMethod",
    "method": "procurementMethod",
    "required": "documentType",
    "present": "documentType",
    "missing": "documentType",
    "category": "mainProcurementCategory",
}


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
            sections += _sections(key, label(key), value)
        elif _is_records(value) and value and not any(map(_is_nested, value)):
            sections.append(Section(key, label(key), [Row("", table=_table(value))]))
        elif _is_records(value) and value:
            sections += [
                section
                for n, item in enumerate(value, start=1)
                for section in _sections(f"{key}-{n}", _numbered(key, n, len(value)), item)
            ]
        else:
            loose.append(_row(key, value))
    if loose:
        sections.append(Section("otros", str(_("Otros datos")), loose))
    return sections


def _sections(key: str, title: str, mapping: dict) -> list[Section]:
    """A section of ``mapping``'s values, followed by one for each object inside it (e.g. a
    match's participation and its link to the process), so none is squeezed into one line. An
    empty object adds nothing."""
    mapping = _shown(mapping)
    inner = {k: v for k, v in mapping.items() if isinstance(v, dict) and v}
    rows = [_row(k, v) for k, v in mapping.items() if k not in inner and v != {}]
    sections = [Section(key, title, rows)] if rows else []
    for k, value in inner.items():
        sections += _sections(f"{key}-{k}", label(k), value)
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


def _is_nested(record: dict) -> bool:
    """Whether a record holds lists or objects (then it reads better as a section of its own)."""
    return any(isinstance(value, dict | list) for value in record.values())


def _shown(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if not (k in REDUNDANT and REDUNDANT[k] in mapping)}


def _rows(mapping: dict) -> list[Row]:
    return [_row(key, value) for key, value in _shown(mapping).items()]


def _row(key, value) -> Row:
    if _is_records(value) and value:
        return Row(label(key), table=_table(value))
    url = isinstance(value, str) and value.startswith(("http://", "https://"))
    return Row(label(key), _cell(key, value), is_url=url)


def _table(records: list[dict]) -> Table:
    keys = list(dict.fromkeys(key for record in records for key in record))
    return Table(
        headers=[label(key) for key in keys],
        rows=[[_cell(key, record.get(key)) for key in keys] for record in records],
    )


def _cell(key, value) -> str:
    if key in VALUE_LABELS and isinstance(value, str):
        return str(VALUE_LABELS[key].get(value, value))
    if key in VALUE_LABELS and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(str(VALUE_LABELS[key].get(v, v)) for v in value)
    if key in VALUE_CODELISTS and isinstance(value, str | list):
        codes = value if isinstance(value, list) else [value]
        return ", ".join(code_label(VALUE_CODELISTS[key], code) for code in codes)
    return text(value)


def text(value) -> str:
    """A JSON value as one line of Spanish text."""
    if isinstance(value, bool):
        return str(_("sí") if value else _("no"))
    if isinstance(value, list):
        return ", ".join(text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{label(k)}: {_cell(k, v)}" for k, v in _shown(value).items())
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
