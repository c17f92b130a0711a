"""The full recompute of ``calcular_indicadores`` (command and job), in one process or several.

A run refreshes the dataset statistics (unless told not to), evaluates the selected indicators
over the published records and, when it tells the receivers, writes the alerts and the risk
index. With ``workers`` > 1 the records are split into ranges of primary keys that worker
processes (forked, as ``generar_datos`` builds its rows) evaluate and write on their own: each
range's alerts and risk rows belong to its processes alone, so no two workers write the same row.
What must see the whole run is done once, by the process that started it: merging the
statistics before they are stored, adding up the summary, rebuilding the risk aggregates and
sending one notice per entity for the alerts opened or reopened. The findings do not depend on
the number of workers (tests/indicadores/test_recompute.py compares them).

Forking needs a process that may have children, its main thread and no open transaction (the
workers would not see what it wrote): a Celery worker (its processes are daemons), the thread a
job runs in without a queue, a run inside a transaction or over a single part evaluate in one
process.
"""

import gc
import multiprocessing
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import connection, connections

from indicadores import alerts
from indicadores.engine import bulk, conf
from indicadores.engine.core import indicator, indicators
from indicadores.engine.runner import (
    STATISTIC_CODES,
    Summary,
    collect_statistics,
    run,
    statistics_records,
    store_statistics,
)
from indicadores.models import Alert, AlertEvent
from indicadores.monitoring.models import MonitoredContract, MonitoredEvent
from indicadores.risk import services as risk
from indicadores.risk.models import ProcessRisk
from ocds_pages.models import Record

# The tables whose rows a run writes, one row or more per process (``analyze_written``).
WRITTEN = (Alert, AlertEvent, ProcessRisk, MonitoredContract, MonitoredEvent)

# Records per part: small enough that the progress moves and the workers finish together, large
# enough that a part's batches are full.
PART_SIZE = 5000


def default_workers() -> int:
    return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this process may start workers: not a daemon, from its main thread (not the
    thread of a job run without a queue), and no transaction open (the workers would not see
    what it wrote)."""
    return (
        not connection.in_atomic_block
        and not multiprocessing.current_process().daemon
        and threading.current_thread() is threading.main_thread()
    )


@dataclass
class Options:
    """What a run evaluates, and how (the command's options)."""

    codes: list[str]  # the selected indicators, in registry order
    entity_ids: list[int] | None = None  # None: every entity
    send: bool = True  # tell the receivers (alerts, risk index); False for a dry run
    batch: int | None = None
    workers: int = 1
    part_size: int = PART_SIZE  # records per part a worker takes
    # Compare every stored row whole instead of by its digest (engine/bulk.py, ``verifying``)
    # and rebuild every risk aggregate at the end, not only those of the entities whose
    # process rows changed (risk.services.rebuild_touched).
    rebuild_aggregates: bool = False

    def queryset(self):
        records = Record.objects.all()
        if self.entity_ids is not None:
            records = records.filter(entity_id__in=self.entity_ids)
        return records

    @property
    def selected(self):
        return [indicator(code) for code in self.codes]


@dataclass
class _Part:
    """What a worker hands back for one range of records."""

    summary: Summary
    raised: dict[int, list[tuple[str, int, str]]] = field(default_factory=dict)
    touched: set[int] = field(default_factory=set)


# --- the run ------------------------------------------------------------------------------------


def recompute(
    options: Options,
    *,
    statistics: bool = True,
    progress: Callable[[str, int], None] | None = None,
    advance: Callable[[int], None] | None = None,
) -> Summary:
    """Statistics (when ``statistics`` and a selected indicator uses them), then the
    evaluation. ``progress(stage, total)`` announces each stage («statistics», «indicators»)
    and its total; ``advance(n)`` counts the records done."""
    with bulk.verifying(options.rebuild_aggregates):
        summary = _recompute(options, statistics=statistics, progress=progress, advance=advance)
    if options.send:
        analyze_written()
    return summary


def analyze_written() -> None:
    """Refresh PostgreSQL's planner statistics of the tables a run wrote that grew.

    A first run fills them from nothing, and until autovacuum analyzes them (late, or never
    where it is off) the planner still sees empty tables: the next night looked up each batch's
    alerts by ocid with a scan of the whole table (154 ms instead of 5 ms per batch of 500 at
    100,000 processes; docs/benchmarks.md, «Motor de indicadores»). ANALYZE reads a sample of
    each table; a night, whose tables hardly grow, leaves them to autovacuum (analyzing the
    five was 1.8 s of a 58 s night at that size)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in WRITTEN:
            table = model._meta.db_table
            if grown(cursor, table):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def grown(cursor, table: str) -> bool:
    """Whether PostgreSQL never counted ``table``, or it has grown by more than a fifth (and
    eight pages) since it was last counted: its pages now against those ANALYZE or VACUUM saw
    (``pg_class.relpages``), read from the catalog and the file's size, not from the
    statistics the workers' connections report late."""
    cursor.execute(
        "SELECT relpages, reltuples, pg_relation_size(oid) / current_setting('block_size')::int"
        " FROM pg_class WHERE oid = %s::regclass",
        [table],
    )
    counted_pages, counted_rows, pages = cursor.fetchone()
    return counted_rows < 0 or pages > counted_pages * 1.2 + 8


def _recompute(options: Options, *, statistics: bool, progress, advance) -> Summary:
    workers = options.workers if options.workers > 1 and can_fork() else 1
    if workers > 1 and Record.objects.count() <= options.part_size:
        workers = 1  # one part: nothing to share
    if statistics and STATISTIC_CODES & set(options.codes):
        records = statistics_records()
        if progress:
            progress("statistics", records.count())
        if workers > 1:
            collector = _parallel_statistics(records, options, workers, advance)
        else:
            collector = collect_statistics(records, batch=options.batch, progress=advance)
        store_statistics(collector)
    queryset = options.queryset()
    if progress:
        progress("indicators", queryset.count())
    if workers > 1:
        return _parallel_run(options, workers, advance)
    selected = options.selected
    with (
        # The risk index (indicadores/risk/) is rebuilt from the same evaluations.
        risk.during_run(
            selected=selected,
            send=options.send,
            rebuild_all=options.rebuild_aggregates,
            entity_ids=options.entity_ids,
        ),
        # Alerts are written a batch at a time, one notice per entity (indicadores/alerts.py).
        alerts.collecting(send=options.send),
    ):
        return run(
            queryset=queryset,
            selected=selected,
            send=options.send,
            batch=options.batch,
            progress=advance,
        )


def _parts(queryset, size: int) -> list[tuple[int, int]]:
    """(first, last) primary keys of consecutive ranges of ``size`` records."""
    keys = list(queryset.order_by("pk").values_list("pk", flat=True))
    return [
        (keys[start], keys[min(start + size, len(keys)) - 1]) for start in range(0, len(keys), size)
    ]


def _pool(workers: int):
    """Worker processes forked from this one. The parent's database connections are closed first
    (a child must never use its parent's socket); each child opens its own."""
    connections.close_all()
    gc.freeze()  # what is loaded stays shared with the children instead of copied on collection
    return multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker)


def _start_worker() -> None:
    _worker.clear()
    _worker["cache"] = {}


_worker: dict = {}  # per worker process: the run cache its parts share (each unit's peers)


def _finish(pool) -> None:
    pool.close()
    pool.join()
    gc.unfreeze()


# --- statistics ---------------------------------------------------------------------------------


def _parallel_statistics(records, options: Options, workers: int, advance):
    from indicadores.engine.statistics import Collector

    collector = Collector()
    tasks = [(first, last, options.batch) for first, last in _parts(records, options.part_size)]
    pool = _pool(workers)
    try:
        # In order: merged in primary-key order, the stored rows equal one collector's.
        for count, state in pool.imap(_statistics_part, tasks):
            collector.merge(state)
            if advance:
                advance(count)
        _finish(pool)
    finally:
        pool.terminate()
    return collector


def _statistics_part(task) -> tuple[int, tuple]:
    first, last, batch = task
    records = statistics_records().filter(pk__gte=first, pk__lte=last)
    counted = []
    collector = collect_statistics(records, batch=batch, progress=counted.append)
    return sum(counted), collector.state()


# --- evaluation ---------------------------------------------------------------------------------


def _parallel_run(options: Options, workers: int, advance) -> Summary:
    started = time.monotonic()
    summary = Summary.for_indicators(options.selected)
    raised: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    touched: set[int] = set()
    parts = _parts(options.queryset(), options.part_size)
    tasks = [(first, last, options) for first, last in parts]
    pool = _pool(workers)
    try:
        for part in pool.imap_unordered(_evaluate_part, tasks):
            summary.merge(part.summary)
            for entity_id, pairs in part.raised.items():
                raised[entity_id] += pairs
            touched |= part.touched
            if advance:
                advance(part.summary.processes)
        _finish(pool)
    finally:
        pool.terminate()
    complete = set(options.codes) >= {item.code for item in indicators()}
    if options.send and complete:
        risk.rebuild_touched(
            touched, everything=options.rebuild_aggregates, entity_ids=options.entity_ids
        )
    if options.send:
        alerts.notify_recompute(dict(raised))
    summary.seconds = time.monotonic() - started
    return summary


def _evaluate_part(task) -> _Part:
    first, last, options = task
    selected = options.selected
    queryset = options.queryset().filter(pk__gte=first, pk__lte=last)
    complete = set(options.codes) >= {item.code for item in indicators()}
    collect_risk = options.send and complete
    with (
        bulk.verifying(options.rebuild_aggregates),
        risk.collecting(rebuild_here=False) if collect_risk else nullcontext() as touched,
        alerts.collecting(send=options.send, notify=False) as collector,
    ):
        summary = run(
            queryset=queryset,
            selected=selected,
            send=options.send,
            batch=options.batch or conf.batch_size(),
            run_cache=_worker.setdefault("cache", {}),
        )
    return _Part(
        summary=summary,
        raised=collector.raised_keys() if collector else {},
        touched=set(touched or ()),
    )
