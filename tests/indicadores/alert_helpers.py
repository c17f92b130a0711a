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
        "system": "S3",
        "source": "PDN S3 servidores sancionados (particulares)",
        "synced_at": "2025-03-01T06:00:00-06:00",
        "match_kind": "rfc",
        "record_id": "S3P-0001",
        "matched": "MME920427EM3",
    },
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
