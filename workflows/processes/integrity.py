"""Integrity findings on the data being captured or approved: a hook registry, filled from above.

``workflows`` (layer 2) cannot import the alert system (``indicadores``, layer 3;
docs/arquitectura.md §3–4). A higher app registers a *source* from its ``AppConfig.ready()``; the
capture and review screens ask :func:`findings_for` for the findings on the candidate record (the
pending stage applied to what is already published) and render them. ``blocking`` findings stop an
approval until the approver writes a justification.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class IntegrityFinding:
    """One finding as the capture and review screens show it (Spanish text, JSON evidence)."""

    code: str  # indicator code, e.g. "MX-SANC"
    name: str  # the indicator's Spanish name
    severity: str  # "high" | "medium" | "low"
    explanation: str  # one Spanish line
    subject: str = ""  # which party/award the finding is about ("" when only one)
    evidence: dict[str, Any] = field(default_factory=dict)
    links: tuple[tuple[str, str], ...] = ()  # (label, url)
    blocking: bool = False  # approval needs a written justification


@dataclass(frozen=True)
class Candidate:
    """What a source judges: the compiled release the process would have after this stage."""

    ocid: str
    entity_id: int
    unit_id: int | None
    stage: str  # a ``workflows.base.procedures.Stage`` value
    compiled_release: dict


Source = Callable[[Candidate], list[IntegrityFinding]]

_sources: dict[str, Source] = {}
_value_labels: dict[str, Mapping[str, str]] = {}


def register_source(name: str, source: Source) -> None:
    """Register (or replace) the source called ``name``; idempotent, for ``ready()``."""
    _sources[name] = source


def register_value_labels(labels: Mapping[str, Mapping[str, str]]) -> None:
    """The Spanish names of the codes the sources write in their evidence, by evidence key (e.g.
    ``{"match_kind": {"rfc_exact": "RFC idéntico"}}``): the screens show the name, the evidence
    keeps the code. Idempotent, for ``ready()``."""
    _value_labels.update(labels)


def value_label(key: str, value) -> str | None:
    """The registered name of ``value`` under ``key``, or None."""
    names = _value_labels.get(key, {})
    return str(names[value]) if isinstance(value, str) and value in names else None


def findings_for(candidate: Candidate) -> list[IntegrityFinding]:
    """Every registered source's findings for ``candidate``, blocking and high severity first."""
    order = {"high": 0, "medium": 1, "low": 2}
    findings = [finding for source in _sources.values() for finding in source(candidate)]
    return sorted(findings, key=lambda f: (not f.blocking, order.get(f.severity, 3), f.code))
