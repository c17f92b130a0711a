"""The registry of indicators and the per-process entry point.

Every indicator is declared once (:class:`Indicator`: code, version, Spanish name and description,
stages, data it needs, thresholds as data, source, severity) with one definition — a function that
takes a process (:class:`~indicadores.engine.process.ProcessView`) and a :class:`Context` with the
registry look-ups and set statistics of its batch, and returns its ``Outcome`` values. The same
definition serves a candidate record at capture and review, a record on ``release_published`` and
the whole database in ``calcular_indicadores`` (docs/arquitectura.md, decision 11).

Not eligible (the process has nothing the indicator judges yet) is an empty list; missing data is
an explicit ``not_computable`` outcome naming what is missing, never a silent «no flag».
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import Promise

from indicadores.engine import conf
from indicadores.engine.process import ProcessView
from indicadores.engine.text import pinned_language
from indicadores.outcomes import Outcome, OutcomeStatus, Severity

REGISTRIES = "registries"
COMPETITION = "competition"
TRANSPARENCY = "transparency"


class Context:
    """What the indicators of a batch of processes share: registry rows and set statistics.

    Built once per batch (one process for a candidate, a chunk for the set-based run) so that the
    queries do not grow with the number of processes. Parts are built on first use: a batch that
    only needs the registries never computes the statistics of the competition indicators.
    """

    def __init__(self, processes: list[ProcessView], run_cache: dict | None = None):
        self.processes = processes
        self._parts: dict[str, Any] = {}
        # A set-based run over published records passes a cache that outlives the batch (see
        # indicadores.engine.peers.RunPeers); a candidate or a single record has none.
        self.run_cache = run_cache
        refresh_threshold_rows()

    def part(self, name: str, build: Callable[[list[ProcessView]], Any]) -> Any:
        if name not in self._parts:
            self._parts[name] = build(self.processes)
        return self._parts[name]

    @property
    def registries(self):
        from indicadores.engine.registries import RegistryData  # its queries import models

        return self.part("registries", RegistryData)


Definition = Callable[[ProcessView, Context, "Indicator"], list[Outcome]]


@dataclass(frozen=True)
class Indicator:
    """One red flag: what it is, where it comes from, its thresholds, and its definition."""

    code: str
    version: int
    name: str | Promise
    description: str | Promise
    family: str
    stages: frozenset[str]  # workflows.base.procedures.Stage values at which a candidate is judged
    data: tuple[str, ...]  # OCDS paths and registries it reads
    source: str
    severity: str
    definition: Definition
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def thresholds(self) -> dict[str, Any]:
        """The defaults with the installation's overrides (settings.INDICADORES_UMBRALES).

        Read for every outcome, so merged once and kept until the setting changes."""
        merged = _thresholds.get(self.code)
        if merged is None:
            row = _threshold_rows.get(self.code, ({}, 0))[0]
            merged = self.defaults | conf.threshold_overrides(self.code) | row
            _thresholds[self.code] = merged
        return dict(merged)

    @property
    def current_version(self) -> int:
        """The declared version plus one for every threshold change the administrator made."""
        return self.version + _threshold_rows.get(self.code, ({}, 0))[1]

    def evaluate(self, view: ProcessView, context: Context) -> list[Outcome]:
        return self.definition(view, context, self)

    # -- outcome builders -----------------------------------------------------------------------

    def _outcome(self, status: str, severity: str, **kwargs) -> Outcome:
        evidence = {"thresholds": self.thresholds, **kwargs.pop("evidence", {})}
        return Outcome(
            code=self.code,
            version=self.current_version,
            status=status,
            severity=severity,
            evidence=evidence,
            **kwargs,
        )

    def flag(self, explanation: str, *, subject="", evidence=None, severity=None, links=()):
        return self._outcome(
            OutcomeStatus.FLAGGED,
            severity or self.severity,
            explanation=str(explanation),
            subject=subject,
            evidence=evidence or {},
            links=tuple(links),
        )

    def clear(self, *, subject="", evidence=None) -> Outcome:
        return self._outcome(
            OutcomeStatus.NOT_FLAGGED, self.severity, subject=subject, evidence=evidence or {}
        )

    def unknown(self, missing: Iterable[str], *, subject="", evidence=None) -> Outcome:
        return self._outcome(
            OutcomeStatus.NOT_COMPUTABLE,
            self.severity,
            subject=subject,
            evidence=evidence or {},
            missing=tuple(str(item) for item in missing),
        )


_registry: dict[str, Indicator] = {}
_thresholds: dict[str, dict[str, Any]] = {}
_threshold_rows: dict[str, tuple[dict, int]] = {}  # code → (newest values, number of rows)
_threshold_stamp: list = [None]


def refresh_threshold_rows() -> None:
    """Reload the administrator's threshold rows when they changed (one query per batch on a
    table of a few rows, so a change made in any process is seen by the next batch)."""
    from indicadores.engine.stats_model import IndicatorThreshold

    rows = list(
        IndicatorThreshold.objects.order_by("recorded_at", "pk").values_list("pk", "code", "values")
    )
    if rows == _threshold_stamp[0]:
        return
    loaded: dict[str, tuple[dict, int]] = {}
    for _pk, code, values in rows:
        loaded[code] = (values, loaded.get(code, ({}, 0))[1] + 1)
    _threshold_rows.clear()
    _threshold_rows.update(loaded)
    _thresholds.clear()
    _threshold_stamp[0] = rows


@receiver(setting_changed)
def _forget_thresholds(*, setting, **kwargs):
    if setting == "INDICADORES_UMBRALES":
        _thresholds.clear()


def register(indicator: Indicator) -> Indicator:
    """Add ``indicator`` to the registry (its code is its identity; a new version replaces it)."""
    _registry[indicator.code] = indicator
    _thresholds.pop(indicator.code, None)
    return indicator


def indicators() -> list[Indicator]:
    """Every registered indicator, in registration order (families as declared)."""
    _load_families()
    return list(_registry.values())


def indicator(code: str) -> Indicator:
    _load_families()
    return _registry[code]


def _load_families() -> None:
    # Each family module registers its indicators when imported.
    from indicadores.indicators import load_all

    load_all()


def evaluate(
    view: ProcessView, context: Context, selected: Iterable[Indicator] | None = None
) -> list[Outcome]:
    """Every outcome of the selected indicators (all by default) for one process.

    A candidate (``view.stage`` set) is judged only by the indicators of its stage.
    """
    outcomes = []
    for item in indicators() if selected is None else selected:
        if view.stage and view.stage not in item.stages:
            continue
        outcomes += item.evaluate(view, context)
    return outcomes


def evaluate_batch(
    views: list[ProcessView],
    selected: Iterable[Indicator] | None = None,
    run_cache: dict | None = None,
    context: Context | None = None,
) -> list[tuple[ProcessView, list[Outcome]]]:
    """Outcomes of many processes, sharing one context (one set of registry queries)."""
    context = context or Context(views, run_cache)
    chosen = None if selected is None else list(selected)
    with pinned_language():
        return [(view, evaluate(view, context, chosen)) for view in views]


SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def worst(severities: Iterable[str]) -> str:
    return min(severities, key=lambda s: SEVERITY_RANK.get(s, 3), default=Severity.LOW)


# Keys of the evidence that change with every registry sync or statistics run though the process
# does not (when the mirror fetched the row; the dataset's quartiles): shown to people, but not a
# reason to call a finding «different».
VOLATILE_EVIDENCE_KEYS = frozenset(
    {"fetched_at", "registry_synced_at", "statistics", "statistics_computed_at"}
)


def comparable(evidence):
    """``evidence`` without its volatile keys (at any depth), for deciding whether a recomputed
    finding says something new — a dismissed alert should not reopen because a registry was
    synced again with the same rows."""
    if isinstance(evidence, dict):
        return {
            key: comparable(value)
            for key, value in evidence.items()
            if key not in VOLATILE_EVIDENCE_KEYS
        }
    if isinstance(evidence, list):
        return [comparable(value) for value in evidence]
    return evidence
