"""Find a person or company in the local mirrors: what the alert system calls.

Rules (docs/arquitectura.md, decision 10): RFC first, CURP second, normalised name last; every match
says which of the three it was. Only local tables are read, so a match never waits on the network
and keeps working while the PDN is down. A row found by several keys is returned once, with the
strongest kind.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from integraciones.models import (
    S1Declaration,
    S1Participation,
    S2Beneficiary,
    S2PublicServant,
    S3Sanction,
    Sat69bTaxpayer,
)
from ocds_pages.party_keys import normalise_curp, normalise_name, normalise_rfc

RFC_EXACT = "rfc_exact"
CURP_EXACT = "curp_exact"
NORMALISED_NAME = "normalised_name"
STRENGTH = {RFC_EXACT: 0, CURP_EXACT: 1, NORMALISED_NAME: 2}
# How a row matched, as people read it: the screens show these, the evidence and the APIs keep
# the codes.
MATCH_KIND_LABELS = {
    RFC_EXACT: _("RFC idéntico"),
    CURP_EXACT: _("CURP idéntica"),
    NORMALISED_NAME: _("nombre normalizado"),
}
MIN_NAME_LENGTH = 3  # a shorter normalised name matches too much to mean anything


@dataclass(frozen=True)
class Match:
    """One mirrored row that matches the party, how it matched, and why it matters."""

    kind: str  # rfc_exact | curp_exact | normalised_name
    system: str  # s1 | s2 | s3 | 69b
    record: models.Model
    evidence: dict[str, Any] = field(default_factory=dict)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _mirror_evidence(row) -> dict[str, Any]:
    return {
        "source": row.provider.name,
        "supplier_name": row.provider.supplier_name,
        "fetched_at": _iso(row.fetched_at),
        "name": row.name,
        "rfc": row.rfc,
        "curp": row.curp,
    }


def _s3_evidence(row: S3Sanction) -> dict[str, Any]:
    return {
        **_mirror_evidence(row),
        "role": "sancionado",
        "subject": row.subject,
        "serious": row.serious,
        "file_number": row.file_number,
        "authority": row.authority,
        "sanction_types": row.sanction_types,
        "resolution_date": _iso(row.resolution_date),
        "disqualifications": [
            {"start": _iso(d.start), "end": _iso(d.end), "term": d.term}
            for d in row.disqualifications.all()
        ],
    }


def _s2_evidence(row: S2PublicServant) -> dict[str, Any]:
    return {
        **_mirror_evidence(row),
        "role": "servidor_publico",
        "entity_name": row.entity_name,
        "job_title": row.job_title,
        "procedure_types": row.procedure_types,
        "procedures": [
            {
                "file_number": p.file_number,
                "act": p.act,
                "procedure_kind": p.procedure_kind,
                "area": p.area,
                "start_date": _iso(p.start_date),
                "end_date": _iso(p.end_date),
            }
            for p in row.procedures.all()
        ],
    }


def _s2_beneficiary_evidence(row: S2Beneficiary) -> dict[str, Any]:
    servant = row.servant
    return {
        **_mirror_evidence(servant),
        "role": "persona_beneficiaria",
        "name": row.name,
        "file_numbers": row.file_numbers,
        "servant": {"name": servant.name, "rfc": servant.rfc, "curp": servant.curp},
        "entity_name": servant.entity_name,
    }


def _s1_evidence(row: S1Declaration) -> dict[str, Any]:
    return {
        **_mirror_evidence(row),
        "role": "declarante",
        "entity_name": row.entity_name,
        "job_title": row.job_title,
        "declaration_type": row.declaration_type,
        "participations": [
            {"company": p.company_name, "rfc": p.rfc, "percentage": p.percentage, "kind": p.kind}
            for p in row.participations.all()
        ],
    }


def _s1_participation_evidence(row: S1Participation) -> dict[str, Any]:
    declaration = row.declaration
    return {
        **_mirror_evidence(declaration),
        "role": "empresa_con_participacion",
        "name": row.company_name,
        "rfc": row.rfc,
        "percentage": row.percentage,
        "kind": row.kind,
        "kind_label": row.kind_label,
        "relation": row.relation,
        "declarant": {
            "name": declaration.name,
            "rfc": declaration.rfc,
            "curp": declaration.curp,
            "entity_name": declaration.entity_name,
            "job_title": declaration.job_title,
        },
    }


def _sat69b_evidence(row: Sat69bTaxpayer) -> dict[str, Any]:
    return {
        "source": "SAT 69-B",
        "fetched_at": _iso(row.fetched_at),
        "name": row.name,
        "rfc": row.rfc,
        "status": row.status,
        "in_latest_list": row.in_latest_list,
        "events": [
            {
                "stage": e.stage,
                "date": _iso(e.date),
                "sat_notice": e.sat_notice,
                "dof_notice": e.dof_notice,
            }
            for e in row.events.order_by("date")
        ],
    }


@dataclass(frozen=True)
class Source:
    """A table the service searches and which of its columns hold each key."""

    system: str
    queryset: Callable[[], models.QuerySet]
    evidence: Callable[[Any], dict[str, Any]]
    rfc: str | None = "rfc"
    curp: str | None = "curp"
    name: str | None = "name_normalised"


SOURCES = (
    Source(
        "s3",
        lambda: S3Sanction.objects.select_related("provider").prefetch_related("disqualifications"),
        _s3_evidence,
    ),
    Source(
        "s2",
        lambda: S2PublicServant.objects.select_related("provider").prefetch_related("procedures"),
        _s2_evidence,
    ),
    Source(
        "s2",
        lambda: S2Beneficiary.objects.select_related("servant__provider"),
        _s2_beneficiary_evidence,
        rfc=None,
        curp=None,
    ),
    Source(
        "s1",
        lambda: S1Declaration.objects.select_related("provider").prefetch_related("participations"),
        _s1_evidence,
    ),
    Source(
        "s1",
        lambda: S1Participation.objects.select_related("declaration__provider"),
        _s1_participation_evidence,
        curp=None,
    ),
    Source("69b", lambda: Sat69bTaxpayer.objects.all(), _sat69b_evidence, curp=None),
)


def _lookups(*, rfc: str, curp: str, name: str) -> Iterable[tuple[str, str, str]]:
    """(kind, column attribute on Source, value) for every key given."""
    if rfc:
        yield RFC_EXACT, "rfc", rfc
    if curp:
        yield CURP_EXACT, "curp", curp
    if len(name) >= MIN_NAME_LENGTH:
        yield NORMALISED_NAME, "name", name


def match_party(
    *, rfc: str | None = None, curp: str | None = None, name: str | None = None
) -> list[Match]:
    """Every mirrored row of S1, S2, S3 and SAT 69-B that matches the party, strongest first.

    ``rfc`` and ``curp`` match exactly (after removing spaces and hyphens, upper case); ``name``
    matches when its normalised form (see ``normalise_name``) equals the row's.
    """
    keys = {"rfc": normalise_rfc(rfc), "curp": normalise_curp(curp), "name": normalise_name(name)}
    best: dict[tuple[str, int], Match] = {}
    for source in SOURCES:
        for kind, column_attr, value in _lookups(**keys):
            column = getattr(source, column_attr)
            if column is None:
                continue
            for row in source.queryset().filter(**{column: value}):
                key = (row._meta.label, row.pk)
                if key in best and STRENGTH[best[key].kind] <= STRENGTH[kind]:
                    continue
                evidence = {"matched_on": column_attr, "value": value, **source.evidence(row)}
                best[key] = Match(kind=kind, system=source.system, record=row, evidence=evidence)
    return sorted(best.values(), key=lambda m: (STRENGTH[m.kind], m.system, m.record.pk))
