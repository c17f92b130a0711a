"""Writes of the risk index: a process's row and the sums of its unit's and entity's year.

Two ways in, one code path (``apply``):

* on every publication the ``outcomes_computed`` receiver applies one process: its new tally
  replaces the old in ``ProcessRisk`` and the difference is added to the ``RiskScore`` rows of
  its year (the entity's and its unit's; both years when the process moved);
* inside ``calcular_indicadores`` (``collecting()``) the receiver only buffers, and every
  ``BATCH`` processes' rows are written together (a few queries per batch, not per process); at
  the end the touched entities' aggregates are rebuilt from ``ProcessRisk`` so they are exact
  sums whatever happened before.
"""

import threading
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from indicadores.engine import bulk
from indicadores.engine.process import ProcessView
from indicadores.outcomes import Outcome
from indicadores.risk.models import ProcessRisk, RiskScore
from indicadores.risk.public import bump_generation
from indicadores.risk.tally import (
    Tally,
    add,
    first_release_date,
    process_amount,
    reference_year,
    subtract,
    summed,
    tally_of,
)
from integraciones.models import S2Procedure

BATCH = 500


@dataclass
class Evaluated:
    """What the engine computed for one process (the ``outcomes_computed`` arguments)."""

    view: ProcessView
    outcomes: list[Outcome]


def _s2_files(views: list[ProcessView]) -> set[str] | None:
    """The procedure identifiers S2 files servants under, among these processes' (upper case,
    no spaces, as the engine compares them); None when the S2 mirror is empty."""
    identifiers = set()
    for view in views:
        identifiers |= view.procedure_identifiers | view.raw_procedure_identifiers
    if not S2Procedure.objects.exists():
        return None
    numbers = S2Procedure.objects.filter(file_number__in=identifiers).values_list(
        "file_number", flat=True
    )
    return {"".join(number.split()).upper() for number in numbers}


def _row(item: Evaluated, s2_files: set[str] | None, now) -> ProcessRisk:
    view = item.view
    recorded = None if s2_files is None else bool(view.procedure_identifiers & s2_files)
    tally, flagged = tally_of(view, item.outcomes, s2_recorded=recorded)
    return ProcessRisk(
        ocid=view.ocid,
        entity_id=view.entity_id,
        unit_id=view.unit_id,
        year=reference_year(view, first_release_date(view)),
        procurement_method=str(view.tender.get("procurementMethod") or "")[:20],
        category=str(view.tender.get("mainProcurementCategory") or "")[:20],
        amount=process_amount(view),
        flagged_codes=f" {' '.join(flagged)} " if flagged else "",
        tally=tally,
        computed_at=now,
    )


def _cells(row: ProcessRisk) -> list[tuple[int, int | None, int]]:
    """The aggregate rows a process counts in: its entity's year and its unit's year."""
    cells = [(row.entity_id, None, row.year)]
    if row.unit_id:
        cells.append((row.entity_id, row.unit_id, row.year))
    return cells


FIELDS = ["entity", "unit", "year", "procurement_method", "category", "amount"]
FIELDS += ["flagged_codes", "tally", "computed_at"]


@transaction.atomic
def apply(items: list[Evaluated], *, touched: set | None = None) -> int:
    """Store the processes' rows and move their year's aggregates by the difference.

    With ``touched`` (a set) the aggregates are left alone and the entities whose aggregates
    would have moved (the process's, and its former one's) are added to it: the caller rebuilds
    them at the end (a worker of a parallel recompute, whose workers must not lock the same
    aggregate rows)."""
    items = [item for item in items if item.view.entity_id]
    if not items:
        return 0
    now = timezone.now()
    s2_files = _s2_files([item.view for item in items])
    rows = {item.view.ocid: _row(item, s2_files, now) for item in items}
    previous_rows = ProcessRisk.objects.select_for_update().filter(ocid__in=list(rows))
    if touched is not None:  # only their keys and entities: no delta to compute
        previous_rows = previous_rows.only("pk", "ocid", "entity_id")
    old = {row.ocid: row for row in previous_rows}
    deltas: dict[tuple, Tally] = defaultdict(dict)
    for ocid, row in rows.items():
        previous = old.get(ocid)
        if previous is not None:
            row.pk = previous.pk
            if touched is not None:
                touched.add(previous.entity_id)
            else:
                for cell in _cells(previous):
                    subtract(deltas[cell], previous.tally)
        if touched is not None:
            touched.add(row.entity_id)
        else:
            for cell in _cells(row):
                add(deltas[cell], row.tally)
    # One UPDATE … FROM VALUES: Django's bulk_update was half of calcular_indicadores.
    bulk.bulk_update(ProcessRisk, [r for r in rows.values() if r.pk], FIELDS)
    ProcessRisk.objects.bulk_create([r for r in rows.values() if not r.pk])
    _move(deltas)
    transaction.on_commit(bump_generation)
    return len(rows)


def _move(deltas: dict[tuple, Tally]) -> None:
    """Add each delta to its aggregate row (created at zero if new)."""
    existing = _existing({cell for cell, delta in deltas.items() if delta})
    changed, created = [], []
    for cell, delta in deltas.items():
        if not delta:
            continue
        score = existing.get(cell)
        if score is None:
            entity_id, unit_id, year = cell
            score = RiskScore(entity_id=entity_id, unit_id=unit_id, year=year, tally={})
            created.append(score)
        else:
            changed.append(score)
        add(score.tally, delta)
        score.refresh_columns()
    columns = ["processes", "index", "competition", "transparency", "legality", "integrity"]
    columns += ["quality", "tally", "updated_at"]
    now = timezone.now()
    for score in changed:
        score.updated_at = now
    RiskScore.objects.bulk_update(changed, columns)
    RiskScore.objects.bulk_create(created)
    empty = [score.pk for score in changed if not score.processes]
    RiskScore.objects.filter(pk__in=empty).delete()


def _existing(cells: set[tuple]) -> dict[tuple, RiskScore]:
    if not cells:
        return {}
    entities = {entity for entity, _unit, _year in cells}
    years = {year for _entity, _unit, year in cells}
    scores = RiskScore.objects.select_for_update().filter(entity__in=entities, year__in=years)
    found = {(s.entity_id, s.unit_id, s.year): s for s in scores}
    return {cell: found[cell] for cell in cells if cell in found}


@transaction.atomic
def rebuild(entity_ids: Iterable[int] | None = None) -> int:
    """Recompute the aggregates (of these entities, or all) as exact sums of ``ProcessRisk``;
    the number of aggregate rows written."""
    processes = ProcessRisk.objects.all()
    scores = RiskScore.objects.all()
    if entity_ids is not None:
        entity_ids = list(entity_ids)
        processes = processes.filter(entity_id__in=entity_ids)
        scores = scores.filter(entity_id__in=entity_ids)
    sums: dict[tuple, list[Tally]] = defaultdict(list)
    columns = ("entity_id", "unit_id", "year", "tally")
    # In ocid order: the sums of floats are the same whatever order the rows were written in.
    rows = processes.order_by("ocid").values_list(*columns)
    for entity_id, unit_id, year, tally in rows.iterator(2000):
        sums[(entity_id, None, year)].append(tally)
        if unit_id:
            sums[(entity_id, unit_id, year)].append(tally)
    scores.delete()
    created = []
    for (entity_id, unit_id, year), tallies in sums.items():
        score = RiskScore(entity_id=entity_id, unit_id=unit_id, year=year, tally=summed(tallies))
        score.refresh_columns()
        created.append(score)
    RiskScore.objects.bulk_create(created, batch_size=500)
    transaction.on_commit(bump_generation)
    return len(created)


# --- buffering during calcular_indicadores ----------------------------------------------------

_local = threading.local()


def receive(item: Evaluated) -> None:
    """Apply one evaluated process now, or buffer it while a recompute is collecting."""
    buffer = getattr(_local, "buffer", None)
    if buffer is None:
        apply([item])
        return
    buffer.append(item)
    if len(buffer) >= BATCH:
        apply(buffer, touched=_local.touched)
        buffer.clear()


def during_run(*, selected, send: bool, whole: bool):
    """What ``calcular_indicadores`` (command and job) wraps its run in: collecting when the run
    evaluates every indicator and tells the receivers; nothing otherwise."""
    from contextlib import nullcontext

    from indicadores.engine.core import indicators

    complete = {i.code for i in selected} >= {i.code for i in indicators()}
    return collecting(rebuild_all=whole) if send and complete else nullcontext()


@contextmanager
def collecting(*, rebuild_all: bool = True, rebuild_here: bool = True):
    """Buffer the processes evaluated inside the block and apply them in batches; on leaving,
    rebuild the aggregates (of every entity, or only of the entities evaluated).

    The batches only write the processes' rows: the aggregates are rebuilt at the end anyway,
    so moving them batch by batch would be work thrown away. ``rebuild_here=False`` (a worker
    of a parallel recompute, indicadores/recompute.py) skips the rebuild: the block receives
    the set of entities to rebuild, which the run rebuilds once every worker is done."""
    _local.buffer, _local.touched = [], set()
    try:
        yield _local.touched
        apply(_local.buffer, touched=_local.touched)
        if rebuild_here:
            rebuild(None if rebuild_all else _local.touched)
    finally:
        _local.buffer = None
