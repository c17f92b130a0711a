"""Integrity findings as people read them: Spanish labels, readable evidence, safe links.

A finding's evidence is JSON written by whichever source found it
(workflows/processes/integrity.py): values, thresholds and the registry row that matched
(integraciones/matching.py names its keys). Here it becomes a tree of labelled rows for the panel
template; keys without a known label are shown as they come, so nothing a source sends is hidden.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from workflows.processes.integrity import IntegrityFinding, value_label

SEVERITY = {"high": _("Alta"), "medium": _("Media"), "low": _("Baja")}

# Left out when the evidence also has the other key, which says the same: how a row matched is
# shown from its code (match_kind), a participation's kind from the registry's text (kind_label).
REDUNDANT = {"match_label": "match_kind", "kind": "kind_label"}

LABELS = {
    # What was measured and against what.
    "value": _("Valor"),
    "values": _("Valores"),
    "threshold": _("Umbral"),
    "thresholds": _("Umbrales"),
    "amount": _("Monto"),
    "currency": _("Moneda"),
    "date": _("Fecha"),
    "dates": _("Fechas"),
    "stage": _("Etapa"),
    "days": _("Días"),
    "share": _("Proporción"),
    "version": _("Versión del indicador"),
    "computed_at": _("Calculado"),
    "missing": _("Datos faltantes"),
    "not_computable": _("No calculable"),
    "eligible": _("Elegible"),
    "flagged": _("Señalado"),
    "moment": _("Momento"),
    "active_on": _("Vigente en"),
    "status_on": _("Situación en"),
    "age_days": _("Antigüedad (días)"),
    "award": _("Adjudicación"),
    "award_date": _("Fecha de adjudicación"),
    "bid": _("Propuesta"),
    "tender": _("Procedimiento"),
    "signature": _("Firma"),
    "payment": _("Pago"),
    "code": _("Clave"),
    "link": _("Vínculo con el proceso"),
    "url": _("Dirección"),
    "estimate": _("Monto estimado"),
    "awarded": _("Monto adjudicado"),
    "awarded_amount": _("Monto adjudicado"),
    "winning_amount": _("Monto ganador"),
    "lowest": _("Propuesta más baja"),
    "lowest_valid_amount": _("Propuesta solvente más baja"),
    "gap": _("Diferencia"),
    "legal_maximum": _("Máximo legal"),
    "maximum": _("Máximo"),
    "minimum": _("Mínimo"),
    "minimum_days": _("Días mínimos"),
    "counted_from": _("Contado desde"),
    "total": _("Total"),
    "count": _("Número"),
    "bids": _("Propuestas"),
    "tenderers": _("Licitantes"),
    "disqualified": _("Desechadas"),
    "min_disqualified": _("Mínimo de desechadas"),
    "min_awards": _("Mínimo de adjudicaciones"),
    "direct_awards": _("Adjudicaciones directas"),
    "supplier_awards": _("Adjudicaciones al proveedor"),
    "supplier_total": _("Total al proveedor"),
    "unit_awards": _("Adjudicaciones de la unidad"),
    "unit_total": _("Total de la unidad"),
    "suppliers": _("Proveedores"),
    "shares": _("Proporciones"),
    "won": _("Ganó"),
    "mine": _("Este proceso"),
    "method": _("Método"),
    "procurement_method": _("Método de contratación"),
    "procedure_type": _("Tipo de procedimiento"),
    "award_criteria": _("Criterio de adjudicación"),
    "rationale": _("Fundamento"),
    "category": _("Categoría"),
    "group": _("Grupo"),
    "week": _("Semana"),
    "window": _("Ventana"),
    "window_days": _("Ventana (días)"),
    "year": _("Año"),
    "ocid": _("ocid"),
    "record_id": _("Registro"),
    "registry": _("Registro"),
    "identifiers": _("Identificadores"),
    "matched": _("Coincidió"),
    # The party and the registry row that matched (integraciones/matching.py).
    "party": _("Parte"),
    "supplier": _("Proveedor"),
    "match": _("Coincidencia en el registro"),
    "matches": _("Coincidencias en los registros"),
    "match_kind": _("Coincidencia por"),
    "match_label": _("Coincidencia por"),
    "declarant_match_kind": _("Coincidencia del declarante por"),
    "party_id": _("id de la parte"),
    "identifier": _("Identificador"),
    "external_id": _("id en la fuente"),
    "registry_synced_at": _("Registro sincronizado"),
    "updated_at_source": _("Actualizado en la fuente"),
    "in_latest_list": _("En la lista más reciente"),
    "published": _("Publicado"),
    "dof_notice": _("Aviso en el DOF"),
    "sat_notice": _("Aviso del SAT"),
    "incorporated": _("Constitución"),
    "incorporation_source": _("Fuente de la fecha de constitución"),
    "incorporation_note": _("Nota sobre la constitución"),
    "participation": _("Participación"),
    "servants_in_procedure": _("Servidores que intervinieron"),
    "s2_available": _("S2 sincronizado"),
    "undated": _("Periodo sin fecha"),
    "file": _("Expediente"),
    "kind": _("Tipo"),
    "kind_label": _("Tipo"),
    "system": _("Sistema"),
    "source": _("Fuente"),
    "supplier_name": _("Proveedor de datos"),
    "fetched_at": _("Sincronizado"),
    "synced_at": _("Sincronizado"),
    "name": _("Nombre"),
    "rfc": _("RFC"),
    "curp": _("CURP"),
    "role": _("Papel"),
    "subject": _("Sujeto"),
    "serious": _("Falta grave"),
    "file_number": _("Expediente"),
    "file_numbers": _("Expedientes"),
    "authority": _("Autoridad"),
    "sanction_types": _("Tipos de sanción"),
    "resolution_date": _("Fecha de resolución"),
    "disqualifications": _("Inhabilitaciones"),
    "start": _("Inicio"),
    "end": _("Fin"),
    "term": _("Plazo"),
    "status": _("Situación"),
    "events": _("Publicaciones"),
    "entity_name": _("Ente"),
    "job_title": _("Cargo"),
    "procedure_types": _("Tipos de procedimiento"),
    "procedures": _("Procedimientos en que intervino"),
    "act": _("Acto"),
    "procedure_kind": _("Tipo de procedimiento"),
    "area": _("Área"),
    "start_date": _("Desde"),
    "end_date": _("Hasta"),
    "declaration_type": _("Tipo de declaración"),
    "participations": _("Participaciones"),
    "company": _("Empresa"),
    "percentage": _("Porcentaje"),
    "relation": _("Relación"),
    "declarant": _("Declarante"),
    "servant": _("Servidor público"),
}


@dataclass
class EvidenceRow:
    """One labelled value of the evidence: text (maybe a link) or nested rows."""

    label: str
    text: str = ""
    url: str = ""
    children: list["EvidenceRow"] = field(default_factory=list)


@dataclass
class FindingView:
    """A finding ready for the panel: its key, labels, evidence rows and the typed justification."""

    finding: IntegrityFinding
    key: str
    severity_label: str
    evidence: list[EvidenceRow]
    links: list[tuple[str, str]]
    justification: str = ""
    missing: bool = False


def finding_views(findings, *, key, justifications=None, missing=()) -> list[FindingView]:
    """``findings`` for the panel; ``key(finding)`` names its justification field."""
    justifications = justifications or {}
    missing_keys = {key(finding) for finding in missing}
    views = []
    for finding in findings:
        finding_key = key(finding)
        views.append(
            FindingView(
                finding=finding,
                key=finding_key,
                severity_label=str(SEVERITY.get(finding.severity, finding.severity)),
                evidence=evidence_rows(finding.evidence),
                links=[(label, url) for label, url in finding.links if safe_url(url)],
                justification=justifications.get(finding_key, ""),
                missing=finding_key in missing_keys,
            )
        )
    return views


def evidence_rows(evidence: dict) -> list[EvidenceRow]:
    # Codes are shown by the names their source registered (integrity.register_value_labels).
    return [
        _row(str(LABELS.get(key, key)), value, key)
        for key, value in evidence.items()
        if not (key in REDUNDANT and REDUNDANT[key] in evidence)
    ]


def _row(label: str, value, key: str = "") -> EvidenceRow:
    if value in ({}, []):
        return EvidenceRow(label, text="—")
    if isinstance(value, dict):
        return EvidenceRow(label, children=evidence_rows(value))
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        return EvidenceRow(label, children=evidence_rows(value[0]))
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        children = [_row(f"{label} {index}", item) for index, item in enumerate(value, start=1)]
        return EvidenceRow(label, children=children)
    if isinstance(value, list):
        return EvidenceRow(label, text=", ".join(_text(item, key) for item in value))
    text = _text(value, key)
    return EvidenceRow(label, text=text, url=text if safe_url(text) and "/" in text else "")


def _text(value, key: str = "") -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Sí") if value else _("No"))
    name = value_label(key, value)
    if name is not None:
        return name
    if isinstance(value, str):
        return _date_text(value) or value
    if isinstance(value, float) and abs(value) < 1:
        return f"{value:.4g}"  # shares and ratios: 0.0023, not 0.00
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _date_text(value: str) -> str:
    """An ISO date or date-time as dd/mm/aaaa [hh:mm] (local time); '' when it is not one."""
    if len(value) < 10 or value[4:5] != "-":
        return ""
    try:
        moment = parse_datetime(value) if "T" in value else None
        day = parse_date(value) if len(value) == 10 else None
    except ValueError:  # shaped like a date but not one (month 13): shown as it came
        return ""
    if isinstance(moment, datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "d/m/Y H:i")
    return formats.date_format(day, "d/m/Y") if isinstance(day, date) else ""


def safe_url(url) -> bool:
    """Only web addresses and paths of this site become links (never ``javascript:``)."""
    if not isinstance(url, str):
        return False
    return url.startswith(("https://", "http://")) or (url[:1] == "/" and url[:2] != "//")
