"""Integrity screening of candidate suppliers: the registry mirrors and the alert system.

The same matching as the indicators (``indicadores.engine.registries``: RFC, then CURP, then
normalised name, the kind of match kept), applied to suppliers that are not yet in any process:
a sanction in S3 with an inhabilitación in force today, the supplier's current stage on SAT's 69-B
list, an S1 participation declared by a servant of the buying entity, and the open or confirmed
alerts of the entities the person may see. Each finding carries its evidence.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.models import Entity
from indicadores.engine.process import Party, iso
from indicadores.engine.registries import (
    SAT69B,
    KeyIndex,
    RegistryData,
    key_filter,
    mirror_evidence,
)
from indicadores.models import Alert, AlertStatus
from indicadores.outcomes import Severity
from integraciones.models import Sat69bEvent
from ocds_pages.party_keys import normalise_name

LIVE_ALERTS = (AlertStatus.OPEN, AlertStatus.IN_REVIEW, AlertStatus.CONFIRMED, AlertStatus.REFERRED)
EFOS_SEVERITY = {
    Sat69bEvent.Stage.DEFINITIVE: Severity.HIGH,
    Sat69bEvent.Stage.PRESUMED: Severity.MEDIUM,
}


@dataclass(frozen=True)
class Finding:
    """One reason to look twice at a supplier."""

    code: str  # S3, 69B, S1, ALERTA
    severity: str
    explanation: str
    evidence: dict = field(default_factory=dict)
    link: str = ""

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "explanation": self.explanation,
            "evidence": self.evidence,
            "link": self.link,
        }


@dataclass
class Screening:
    """The findings of one supplier, and which registries could not be consulted."""

    findings: list[Finding] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.findings)

    @property
    def worst(self) -> str:
        ranks = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
        return min((f.severity for f in self.findings), key=lambda s: ranks.get(s, 3), default="")

    def as_dict(self) -> dict:
        return {
            "flagged": self.flagged,
            "findings": [finding.as_dict() for finding in self.findings],
            "registriesWithoutData": self.unavailable,
        }


def party_of(supplier_id: str, name: str, rfc: str) -> Party:
    return Party(
        party_id=supplier_id,
        name=name,
        rfc=rfc,
        curp="",
        name_normalised=normalise_name(name)[:500],
    )


def _in_force(sanction, today: datetime.date) -> bool:
    for item in sanction.disqualifications.all():
        start = item.start or sanction.resolution_date
        if start and start <= today and (item.end is None or today <= item.end):
            return True
    return False


def _s3(found, today) -> Finding:
    sanction = found.row
    active = _in_force(sanction, today)
    text = (
        _("Inhabilitación vigente en S3 (expediente %(file)s, coincidencia por %(kind)s).")
        if active
        else _("Sanción en S3 sin inhabilitación vigente (expediente %(file)s, por %(kind)s).")
    ) % {"file": sanction.file_number or "—", "kind": found.label}
    evidence = {
        "system": "s3",
        **mirror_evidence(sanction, found),
        "file_number": sanction.file_number,
        "authority": sanction.authority,
        "resolution_date": iso(sanction.resolution_date),
        "in_force": active,
    }
    return Finding("S3", Severity.HIGH if active else Severity.LOW, text, evidence)


def _efos(found) -> Finding | None:
    taxpayer = found.row
    events = sorted(taxpayer.events.all(), key=lambda e: (e.date is None, e.date))
    stage = events[-1].stage if events else ""
    severity = EFOS_SEVERITY.get(stage)
    if severity is None:
        return None  # desvirtuado, sentencia favorable, or no dated publication
    text = _("En la lista 69-B del SAT como «%(stage)s» (coincidencia por %(kind)s).") % {
        "stage": dict(Sat69bEvent.Stage.choices)[stage],
        "kind": found.label,
    }
    evidence = {
        "system": SAT69B,
        "source": taxpayer.source,
        "fetched_at": iso(taxpayer.fetched_at),
        "name": taxpayer.name,
        "rfc": taxpayer.rfc,
        "stage": stage,
        "published": iso(events[-1].date),
        "match_kind": found.kind,
        "match_label": found.label,
    }
    return Finding("69B", severity, text, evidence)


def _s1(found, entity_names: set[str] | None) -> Finding | None:
    participation, declaration = found.row, found.row.declaration
    if entity_names is not None and declaration.entity_name_normalised not in entity_names:
        return None
    text = _(
        "%(declarant)s, declarante de %(entity)s (S1), declaró una participación en este "
        "proveedor (coincidencia por %(kind)s)."
    ) % {"declarant": declaration.name, "entity": declaration.entity_name, "kind": found.label}
    evidence = {
        "system": "s1",
        **mirror_evidence(declaration, found),
        "entity_name": declaration.entity_name,
        "job_title": declaration.job_title,
        "participation": {
            "company": participation.company_name,
            "percentage": participation.percentage,
            "kind_label": participation.kind_label,
        },
    }
    return Finding("S1", Severity.HIGH, text, evidence)


@dataclass
class AlertGroup:
    """A supplier's live alerts of one indicator and status: how many, and the latest of them."""

    count: int
    latest: Alert


def _alert_finding(group: AlertGroup) -> Finding:
    alert = group.latest
    values = {
        "count": group.count,
        "code": alert.code,
        "status": alert.get_status_display().lower(),
        "ocid": alert.ocid,
        "explanation": alert.explanation,
    }
    if group.count == 1:
        text = _("Alerta %(code)s %(status)s en %(ocid)s: %(explanation)s") % values
    else:
        text = (
            _(
                "%(count)s alertas %(code)s en estado «%(status)s»; la más reciente en "
                "%(ocid)s: %(explanation)s"
            )
            % values
        )
    evidence = {
        "alert": alert.pk,
        "ocid": alert.ocid,
        "code": alert.code,
        "status": alert.status,
        "alerts": group.count,
    }
    link = reverse("indicadores:alert-detail", args=[alert.pk])
    return Finding("ALERTA", alert.severity, text, evidence, link)


def _alerts(parties: list[Party], entity_ids: set[int] | None) -> dict[str, list[AlertGroup]]:
    """Per subject, its live alerts grouped by indicator and status (a supplier may have
    thousands: one finding per group, with its count and its latest alert). Two queries."""
    subjects = {p.party_id for p in parties} | {f"MX-RFC-{p.rfc}" for p in parties if p.rfc}
    alerts = Alert.objects.filter(subject__in=subjects - {""}, status__in=LIVE_ALERTS)
    if entity_ids is not None:
        alerts = alerts.filter(entity_id__in=entity_ids)
    groups = list(
        alerts.values("subject", "code", "status")
        .annotate(count=Count("id"), latest=Max("id"))
        .order_by("subject", "code", "status")
    )
    latest = Alert.objects.in_bulk([group["latest"] for group in groups])
    found = defaultdict(list)
    for group in groups:
        found[group["subject"]].append(AlertGroup(group["count"], latest[group["latest"]]))
    return found


def screen(
    parties: dict[str, Party], *, entity_ids: set[int] | None, today: datetime.date | None = None
) -> dict[str, Screening]:
    """Screening per supplier key; ``entity_ids`` are the buying entities (None: all of them)."""
    today = today or timezone.localdate()
    if not parties:
        return {}
    values = list(parties.values())
    available = RegistryData._available_systems()
    s3 = KeyIndex(RegistryData._s3(key_filter(values), servants=False))
    sat = KeyIndex(RegistryData._sat69b(values), curp=None)
    s1 = KeyIndex(RegistryData._s1(values), curp=None)
    names = None
    if entity_ids is not None:
        rows = Entity.objects.filter(pk__in=entity_ids).values_list("name", flat=True)
        names = {normalise_name(name) for name in rows}
    alerts = _alerts(values, entity_ids)
    unavailable = [label for system, label in _SYSTEM_LABELS.items() if system not in available]
    result = {}
    for key, party in parties.items():
        findings = [_s3(found, today) for found in s3.find(party)]
        findings += filter(None, (_efos(found) for found in sat.find(party)))
        findings += filter(None, (_s1(found, names) for found in s1.find(party)))
        for subject in {party.party_id, f"MX-RFC-{party.rfc}" if party.rfc else ""}:
            findings += [_alert_finding(group) for group in alerts.get(subject, [])]
        result[key] = Screening(findings=findings, unavailable=unavailable)
    return result


_SYSTEM_LABELS = {"s1": "S1", "s3": "S3", SAT69B: "69-B"}
