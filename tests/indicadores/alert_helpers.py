"""Helpers of the alert tests: real Outcome values sent through the real outcomes_computed."""

import itertools

from django.conf import settings

from indicadores.outcomes import Outcome, OutcomeStatus, Severity
from indicadores.signals import outcomes_computed

_serials = itertools.count(1)

SANCTION_EVIDENCE = {
    "supplier": {"name": "Medicamentos Mexicanos, S.A. de C.V.", "rfc": "MME920427EM3"},
    "values": {"fecha_adjudicacion": "2025-03-05"},
    "thresholds": {"sancion_vigente_en": "fecha de adjudicación"},
    "registry": {
        "system": "s3",
        "source": "PDN S3 servidores sancionados (particulares)",
        "synced_at": "2025-03-01T06:00:00-06:00",
        "match_kind": "rfc_exact",
        "record_id": "S3P-0001",
        "matched": "MME920427EM3",
    },
}

# MX-CONFLICT's evidence as the engine writes it (indicadores/indicators/registries.py): codes for
# the system, how each row matched and why the declarant matters to the process.
CONFLICT_EVIDENCE = {
    "party": {"party_id": "MX-RFC-CSA150101AB1", "name": "Consultores del Sur, S.A. de C.V."},
    "registry_synced_at": "2026-11-30T18:00:00+00:00",
    "s2_available": True,
    "servants_in_procedure": 1,
    "matches": [
        {
            "system": "s1",
            "source": "S1 declaraciones (prueba)",
            "name": "Ana Torres Díaz",
            "rfc": "CSA150101AB1",
            "match_kind": "rfc_exact",
            "match_label": "RFC idéntico",
            "declaration_type": "MODIFICACION",
            "participation": {
                "company": "Consultores del Sur, S.A. de C.V.",
                "percentage": 60,
                "kind": "ACCI",
                "kind_label": "Accionista",
                "relation": "DECLARANTE",
            },
            "link": {
                "kind": "s2_intervened",
                "servant": {"system": "s2", "name": "Ana Torres Díaz", "rfc": "TODA800101AB1"},
                "declarant_match_kind": "normalised_name",
                "procedures": [{"file_number": "ocds-x-1", "area": "Compras", "act": "FALLO"}],
            },
        }
    ],
}


def new_ocid(entity) -> str:
    return f"{settings.OCID_PREFIX}-{entity.key}-{900000 + next(_serials):06d}"


def sanction(subject="MX-RFC-MME920427EM3", *, status=OutcomeStatus.FLAGGED, **changes):
    """An MX-SANC outcome as the engine reports it (issue 15)."""
    fields = {
        "code": "MX-SANC",
        "version": 1,
        "status": status,
        "severity": Severity.HIGH,
        "explanation": "El proveedor tiene una sanción vigente en el S3 a la fecha del fallo.",
        "subject": subject,
        "evidence": SANCTION_EVIDENCE if status == OutcomeStatus.FLAGGED else {},
        "links": (("Registro del S3", "https://plataformadigitalnacional.org/sancionados"),),
    }
    if status == OutcomeStatus.NOT_COMPUTABLE:
        fields["missing"] = ("awards/suppliers",)
    fields.update(changes)
    return Outcome(**fields)


def single_bid(status=OutcomeStatus.FLAGGED, **changes):
    fields = {
        "code": "MX-SINGLE-BID",
        "version": 2,
        "status": status,
        "severity": Severity.MEDIUM,
        "explanation": "Se recibió una sola propuesta en un procedimiento competitivo.",
        "evidence": {"values": {"numberOfTenderers": 1}, "thresholds": {"minimo": 2}},
    }
    fields.update(changes)
    return Outcome(**fields)


def compute(ocid, entity, unit=None, *outcomes, computed_at=None):
    """Send outcomes_computed exactly as the engine does (indicadores/signals.py)."""
    kwargs = {"computed_at": computed_at} if computed_at else {}
    outcomes_computed.send(
        sender=Outcome,
        ocid=ocid,
        entity_id=entity.pk,
        unit_id=unit.pk if unit else None,
        outcomes=list(outcomes),
        **kwargs,
    )
