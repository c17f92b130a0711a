"""The two entry points of every indicator, and the eligible / flagged / share summary.

* Per process: :func:`evaluate_candidate` (the capture and review screens, through
  ``workflows.processes.integrity``) and :func:`evaluate_record` (on ``release_published``).
* Set-based: :func:`run` walks the published records by primary key in batches (one set of
  registry queries per batch), sends ``outcomes_computed`` for each process and tallies, per
  indicator, how many processes were eligible, flagged or not computable. ``manage.py
  calcular_indicadores`` is its command; the web never waits on it.

An indicator that flags more than ``INDICADORES_REVISAR_UMBRALES`` of its eligible processes is
marked «revise los umbrales»: red-flag tools are criticised for false positives, and a threshold
that flags most processes says little about any of them.
"""

import gc
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import orjson
from django.db.models import Q, QuerySet
from django.utils import timezone

from indicadores.engine import conf
from indicadores.engine.core import Context, Indicator, evaluate_batch, indicators
from indicadores.engine.process import ProcessView
from indicadores.outcomes import Outcome, OutcomeStatus, indicator_statuses
from indicadores.signals import outcomes_computed
from ocds_pages.models import Record


def view_of_record(record: Record) -> ProcessView:
    return ProcessView(
        ocid=record.ocid,
        entity_id=record.entity_id,
        unit_id=record.unit_id,
        release=orjson.loads(record.compiled_release),
    )


def evaluate_candidate(candidate) -> list[Outcome]:
    """Outcomes for a ``workflows.processes.integrity.Candidate`` (the pending stage on the
    record)."""
    view = ProcessView(
        ocid=candidate.ocid,
        entity_id=candidate.entity_id,
        unit_id=candidate.unit_id,
        release=candidate.compiled_release,
        stage=candidate.stage,
    )
    return evaluate_batch([view])[0][1]


def evaluate_record(record: Record) -> list[Outcome]:
    return evaluate_batch([view_of_record(record)])[0][1]


def send_outcomes(
    view: ProcessView,
    outcomes: list[Outcome],
    *,
    complete: bool = True,
    statuses: dict[str, str] | None = None,
) -> None:
    """``complete``: every indicator was evaluated (the risk index only counts such runs).
    ``statuses``: ``indicator_statuses(outcomes)``, when the caller worked it out already."""
    outcomes_computed.send(
        sender=Record,
        ocid=view.ocid,
        entity_id=view.entity_id,
        unit_id=view.unit_id,
        outcomes=outcomes,
        computed_at=timezone.now(),
        release=view.release,
        complete=complete,
        view=view,  # the parsed process, so a receiver need not parse it again
        statuses=indicator_statuses(outcomes) if statuses is None else statuses,
    )


# --- summary ------------------------------------------------------------------------------------


@dataclass
class IndicatorSummary:
    """One indicator over a set of processes."""

    code: str
    version: int
    name: str
    eligible: int = 0  # processes it could judge (flagged or not)
    flagged: int = 0
    not_computable: int = 0  # processes it applies to but lacked data for

    @property
    def share(self) -> float | None:
        return self.flagged / self.eligible if self.eligible else None

    @property
    def review_thresholds(self) -> bool:
        """«Revise los umbrales»: it flags more than the configured share of eligible ones."""
        share = self.share
        return share is not None and share > conf.review_share()

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "version": self.version,
            "name": self.name,
            "eligible": self.eligible,
            "flagged": self.flagged,
            "not_computable": self.not_computable,
            "share": self.share,
            "review_thresholds": self.review_thresholds,
        }


@dataclass
class Summary:
    """What a set-based run found, indicator by indicator."""

    processes: int = 0
    seconds: float = 0.0
    by_code: dict[str, IndicatorSummary] = field(default_factory=dict)

    @classmethod
    def for_indicators(cls, selected: Iterable[Indicator]) -> "Summary":
        rows = {i.code: IndicatorSummary(i.code, i.current_version, str(i.name)) for i in selected}
        return cls(by_code=rows)

    def add(self, outcomes: Iterable[Outcome], statuses: dict[str, str] | None = None) -> None:
        """Count one process: per indicator, flagged if any outcome is, eligible if any could be
        computed, not computable if all it said was «not computable» (``indicator_statuses``,
        given when the caller has it)."""
        self.processes += 1
        statuses = indicator_statuses(outcomes) if statuses is None else statuses
        for code, status in statuses.items():
            row = self.by_code.get(code)
            if row is None:
                continue
            if status == OutcomeStatus.NOT_COMPUTABLE:
                row.not_computable += 1
                continue
            row.eligible += 1
            row.flagged += status == OutcomeStatus.FLAGGED

    def merge(self, other: "Summary") -> None:
        """Add the counts of a run over other processes (a worker's part of a parallel run)."""
        self.processes += other.processes
        for code, theirs in other.by_code.items():
            row = self.by_code.get(code)
            if row is None:
                continue
            row.eligible += theirs.eligible
            row.flagged += theirs.flagged
            row.not_computable += theirs.not_computable

    @property
    def rows(self) -> list[IndicatorSummary]:
        return list(self.by_code.values())


def summarise(outcome_lists: Iterable[Iterable[Outcome]]) -> list[IndicatorSummary]:
    """Eligible / flagged / share per indicator from outcomes already computed (one list per
    process), e.g. those received through ``outcomes_computed``."""
    summary = Summary.for_indicators(indicators())
    for outcomes in outcome_lists:
        summary.add(outcomes)
    return summary.rows


# --- set-based run ------------------------------------------------------------------------------

# What else a set-based run keeps up to date, batch by batch, with the batch's views and shared
# context (contract monitoring stores its rows: indicadores.monitoring.store.refresh).
BATCH_LISTENERS: list[Callable[[list[ProcessView], Context], object]] = []


def _batches(queryset: QuerySet, size: int) -> Iterator[list[ProcessView]]:
    """Records in primary-key order, ``size`` at a time, by key (no OFFSET, docs/arquitectura.md
    decision 13)."""
    last = 0
    columns = ("pk", "ocid", "entity_id", "unit_id", "compiled_release")
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list(*columns)[:size])
        if not rows:
            return
        last = rows[-1][0]
        yield [
            ProcessView(
                ocid=ocid,
                entity_id=entity,
                unit_id=unit,
                release=orjson.loads(text),
                source_digest=text_digest(text),
            )
            for _pk, ocid, entity, unit, text in rows
        ]


def text_digest(text: str) -> str:
    """A digest of a record's stored text (≈ 5 µs for a release of 6 kB)."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


STATISTIC_CODES = frozenset({"R024", "R058", "R038", "R038-LIC", "MX-ROTA"})


def statistics_records() -> QuerySet:
    """The records the dataset statistics can learn from: every measure is of a competitive
    procedure (``open`` or ``selective``, statistics.COMPETITIVE), so the others are skipped by
    their projection's column instead of parsed; a record without a projection is read anyway."""
    from indicadores.engine.statistics import COMPETITIVE

    return Record.objects.filter(
        Q(projection__isnull=True) | Q(projection__procurement_method__in=sorted(COMPETITIVE))
    )


def collect_statistics(queryset: QuerySet, *, batch: int | None = None, progress=None):
    """The statistics ``Collector`` of the records of ``queryset``."""
    from indicadores.engine.statistics import Collector

    collector = Collector()

    def add(views: list[ProcessView]) -> None:
        for view in views:
            collector.add(view)

    _each_batch(queryset, batch or conf.batch_size(), add, progress)
    return collector


def store_statistics(collector) -> int:
    from indicadores.engine.core import indicator

    return collector.store(
        min_bids=indicator("R038").thresholds["min_bids"],
        min_processes=indicator("MX-ROTA").thresholds["min_processes"],
        min_bidder_bids=indicator("R038-LIC").thresholds["min_bids"],
    )


def compute_statistics(*, batch: int | None = None, progress=None) -> int:
    """Recompute the dataset statistics of the relative indicators over every published record
    (whatever subset is being evaluated: the fences describe the whole dataset); the rows
    stored."""
    return store_statistics(
        collect_statistics(statistics_records(), batch=batch, progress=progress)
    )


def run(
    *,
    queryset: QuerySet | None = None,
    selected: Iterable[Indicator] | None = None,
    send: bool = True,
    batch: int | None = None,
    progress: Callable[[int], None] | None = None,
    run_cache: dict | None = None,
) -> Summary:
    """Evaluate the selected indicators (all by default) over the published records of
    ``queryset`` (all by default), sending ``outcomes_computed`` per process when ``send``.

    ``progress`` is called with the number of processes of each finished batch. ``run_cache``
    is what batches share (each unit's peers, read once: engine/peers.py); a worker of a
    parallel run passes the one it keeps for all its parts.
    """
    chosen = list(selected) if selected is not None else indicators()
    queryset = queryset if queryset is not None else Record.objects.all()
    summary = Summary.for_indicators(chosen)
    started = time.monotonic()
    run_cache = {} if run_cache is None else run_cache
    complete = {item.code for item in chosen} >= {item.code for item in indicators()}

    def evaluate(views: list[ProcessView]) -> None:
        _run_batch(views, chosen, run_cache, summary, send=send, complete=complete)

    _each_batch(queryset, batch or conf.batch_size(), evaluate, progress)
    summary.seconds = time.monotonic() - started
    return summary


def _run_batch(views, chosen, run_cache, summary: Summary, *, send: bool, complete: bool):
    """Evaluate one batch, send its outcomes and tell the batch listeners."""
    context = Context(views, run_cache)
    for view, outcomes in evaluate_batch(views, chosen, context=context):
        statuses = indicator_statuses(outcomes)
        summary.add(outcomes, statuses)
        if send:
            send_outcomes(view, outcomes, complete=complete, statuses=statuses)
    for listener in BATCH_LISTENERS:
        listener(views, context)


def _each_batch(queryset, size: int, handle, progress=None) -> None:
    """``handle`` each batch of ``size`` records (``_batches``) with the cycle collector paused
    (``_collecting_per_batch``): the batch is released before its young generations are
    collected, so that its cycles are found; what lives on is not looked at again."""
    with _collecting_per_batch():
        for views in _batches(queryset, size):
            count = len(views)
            handle(views)
            del views
            gc.collect(1)
            if progress:
                progress(count)


@contextmanager
def _collecting_per_batch():
    """Python's cycle collector paused while a run lasts: the young generations are collected
    after each batch instead, and never the whole heap.

    A batch parses 500 releases into some millions of dicts and lists, so the automatic
    collector ran all the time, and its full collections walked the whole heap each time,
    the peers a run keeps (engine/peers.py) included: ≈ 30 % of the nightly run, for no
    garbage (reference counting frees nearly everything a batch makes; the few cycles, such as
    the registry rows Django's ``prefetch_related`` links both ways, are young when their batch
    ends and go with it). docs/benchmarks.md, «Motor de indicadores». The collector is per
    process, so a run in a thread of the web process pauses it for the other threads as well:
    their young objects are collected with each batch, and a cycle of theirs that outlives a
    batch waits for the first full collection after the run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
