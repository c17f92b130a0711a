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

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cms.models import Entity
from indicadores.engine import bulk
from indicadores.engine.process import ProcessView
from indicadores.outcomes import Outcome, indicator_statuses
from indicadores.risk import counts
from indicadores.risk.models import (
    ALL,
    ALL_YEARS,
    ProcessRisk,
    RiskCut,
    RiskScore,
    SupplierRisk,
)
from indicadores.risk.public import bump_generation
from indicadores.risk.tally import (
    Tally,
    add,
    bidders_counted,
    first_release_date,
    process_amount,
    reference_year,
    subtract,
    tally_of,
)
from integraciones.models import S2Procedure

BATCH = 500


@dataclass
class Evaluated:
    """What the engine computed for one process (the ``outcomes_computed`` arguments)."""

    view: ProcessView
    outcomes: list[Outcome]
    statuses: dict[str, str] | None = None  # indicator_statuses(outcomes), when the sender had it


def _s2_files(views: list[ProcessView]) -> set[str] | None:
    """The procedure identifiers S2 files servants under, among these processes' (upper case,
    no spaces, as the engine compares them); None when the S2 mirror is empty."""
    identifiers = set()
    for view in views:
        identifiers |= view.procedure_identifiers | view.raw_procedure_identifiers
    if not S2Procedure.objects.exists():
        return None
    numbers = S2Procedure.objects.filter(file_number__among=identifiers).values_list(
        "file_number", flat=True
    )
    return {"".join(number.split()).upper() for number in numbers}


# The version of how a process's row is computed from its inputs (``_row``, ``tally.py``,
# ``measures.py``, and what they read of engine/process.py and ``indicator_statuses``): part of
# the inputs' digest, so raising it after changing that computation has the next recompute
# compute every row again instead of keeping those whose inputs it knows.
# tests/indicadores/risk/test_rows.py keeps the digest of sample rows and fails when they change.
ROW_VERSION = 1


def _recorded(view: ProcessView, s2_files: set[str] | None) -> bool | None:
    return None if s2_files is None else bool(view.procedure_identifiers & s2_files)


def _inputs(item: Evaluated, recorded: bool | None) -> str:
    """A digest of everything the process's row is computed from: the stored text of its
    release, its entity and unit, what each indicator said of it, the tenderers R018 counted,
    whether S2 lists its servants, the date that stands for a release without one, and
    ``ROW_VERSION``. "" when the release's text is unknown (a publication, which computes its
    row every time)."""
    view = item.view
    if not view.source_digest:
        return ""
    statuses = indicator_statuses(item.outcomes) if item.statuses is None else item.statuses
    return bulk.fingerprint(
        ROW_VERSION,
        view.source_digest,
        view.entity_id,
        view.unit_id,
        statuses,
        bidders_counted(item.outcomes),
        recorded,
        first_release_date(view),
    )


def _row(item: Evaluated, recorded: bool | None, now, inputs: str) -> ProcessRisk:
    view = item.view
    tally, flagged = tally_of(view, item.outcomes, s2_recorded=recorded, statuses=item.statuses)
    row = ProcessRisk(
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
        inputs=inputs,
    )
    row.digest = bulk.row_fingerprint(row, COMPARED)
    return row


def _changed_rows(items: list[Evaluated], s2_files, now) -> tuple[dict, list]:
    """The rows to write, by ocid (with the key of the row each replaces, if any), and the rows
    whose columns are the same but whose digests are not stored yet (only those are written).

    A night repeats most processes: a stored row whose inputs' digest is the one computed now is
    kept without computing the row (its tally was a tenth of the nightly run); one whose inputs
    changed is computed and compared by its digest. Neither reads a row whole. A repeated row is
    not «touched»: its entity's aggregates already count this very row (they move in the same
    transaction as it)."""
    trusted = bulk.trusting()
    recorded = {item.view.ocid: _recorded(item.view, s2_files) for item in items}
    inputs = {item.view.ocid: _inputs(item, recorded[item.view.ocid]) for item in items}
    stored = ProcessRisk.objects.filter(ocid__among=list(inputs)).values_list(
        "ocid", "pk", "digest", "inputs"
    )
    known = {ocid: rest for ocid, *rest in stored}
    rows, rewritten = {}, []
    for item in items:
        ocid = item.view.ocid
        pk, digest, stored_inputs = known.get(ocid, (None, "", ""))
        if trusted and stored_inputs and stored_inputs == inputs[ocid]:
            continue
        row = _row(item, recorded[ocid], now, inputs[ocid])
        row.pk = pk
        if not (trusted and pk is not None and digest == row.digest):
            rows[ocid] = row
        elif inputs[ocid] and inputs[ocid] != stored_inputs:
            rewritten.append(row)  # the same row, whose inputs' digest is new
    return rows, rewritten


def _cells(row: ProcessRisk) -> list[tuple]:
    """The aggregate rows a process counts in: its entity's year and its unit's year
    (``RiskScore``: entity, unit, year), and the 24 cuts that contain it (``RiskCut``: every
    entity, its entity or its unit × its year or all × its procedure type or all × its category
    or all)."""
    units = [None, row.unit_id] if row.unit_id else [None]
    scores = [(row.entity_id, unit, row.year) for unit in units]
    levels = [(None, None)] + [(row.entity_id, unit) for unit in units]
    cuts = [
        (entity, unit, year, method, category)
        for entity, unit in levels
        for year in (row.year, ALL_YEARS)
        for method in (row.procurement_method, ALL)
        for category in (row.category, ALL)
    ]
    return scores + cuts


# Where each cut's sums come from: a cut with one more «all» is the sum of the cut with one less
# that it rolls up (year, procedure type, category: positions 2–4 of a cell). Each sum is built
# from that finer cut instead of adding every finest cell into its 26 rows (17 without a unit):
# at 100,000 processes 14,409 finest cells gave up to 375,000 additions of ≈ 50-key tallies, the
# rollups ≈ 150,000. Amounts are floats added in another order than before: above ≈ 10^11 pesos
# a sum may differ in its last places (as a rebuilt sum and one moved process by process always
# could).
_ROLLUPS = [
    ((1, 1, 0), (1, 1, 1), 4, ALL),
    ((1, 0, 1), (1, 1, 1), 3, ALL),
    ((0, 1, 1), (1, 1, 1), 2, ALL_YEARS),
    ((1, 0, 0), (1, 1, 0), 3, ALL),
    ((0, 1, 0), (1, 1, 0), 2, ALL_YEARS),
    ((0, 0, 1), (1, 0, 1), 2, ALL_YEARS),
    ((0, 0, 0), (1, 0, 0), 2, ALL_YEARS),
]


def _rollup(cells: dict[tuple, Tally], position: int, value) -> dict[tuple, Tally]:
    """The sums of ``cells`` with their key's ``position`` set to ``value``."""
    rolled: dict[tuple, Tally] = defaultdict(dict)
    for key, tally in cells.items():
        add(rolled[(*key[:position], value, *key[position + 1 :])], tally)
    return rolled


def rolled_up(finest: dict[tuple, Tally]) -> dict[tuple, Tally]:
    """Every aggregate cell (``_cells``: 24 cuts and 2 scores per process) with its sum, from
    the sums of the finest cells (entity, unit or None, year, procedure type, category)."""
    by_unit = {(1, 1, 1): finest}  # each kept (1) or rolled-up (0) year, type and category
    for kept, source, position, value in _ROLLUPS:
        by_unit[kept] = _rollup(by_unit[source], position, value)
    cells: dict[tuple, Tally] = {}
    for unit_cells in by_unit.values():
        by_entity = _rollup(unit_cells, 1, None)  # an entity's cut: all its units, and none
        cells.update(_rollup(by_entity, 0, None))  # every entity's cut
        cells.update(by_entity)
        cells.update((key, tally) for key, tally in unit_cells.items() if key[1] is not None)
    # The scores: an entity's or a unit's year, i.e. its cut of every procedure and category.
    for (entity_id, unit_id, year, method, category), tally in list(cells.items()):
        if entity_id is not None and year != ALL_YEARS and (method, category) == (ALL, ALL):
            cells[(entity_id, unit_id, year)] = {key: list(v) for key, v in tally.items()}
    return cells


FIELDS = ["entity", "unit", "year", "procurement_method", "category", "amount"]
FIELDS += ["flagged_codes", "tally", "computed_at", "digest", "inputs"]
# A row is new if one of these differs (the date and the digests are about the row).
COMPARED = [name for name in FIELDS if name not in ("computed_at", "digest", "inputs")]
SCORE_CELL = 3  # (entity, unit, year); a cut's cell adds (procedure type, category)


@transaction.atomic
def apply(items: list[Evaluated], *, touched: set | None = None) -> int:
    """Store the processes' rows and move their year's aggregates by the difference.

    With ``touched`` (a set) the aggregates are left alone and the entities whose aggregates
    would have moved (the process's, and its former one's) are added to it: the caller rebuilds
    them at the end (a worker of a parallel recompute, whose workers must not lock the same
    aggregate rows)."""
    # One item per process (a later evaluation replaces an earlier one).
    items = list({item.view.ocid: item for item in items if item.view.entity_id}.values())
    if not items:
        return 0
    now = timezone.now()
    s2_files = _s2_files([item.view for item in items])
    evaluated = [item.view.ocid for item in items]
    rows, rewritten = _changed_rows(items, s2_files, now)
    old = {}
    if rows:
        # Only the rows that change are read whole, and locked: their old tallies are moved out.
        previous_rows = ProcessRisk.objects.select_for_update().filter(
            ocid__among=[ocid for ocid, row in rows.items() if row.pk]
        )
        old = {row.ocid: row for row in previous_rows}
    deltas: dict[tuple, Tally] = defaultdict(dict)
    for ocid, row in list(rows.items()):
        previous = old.get(ocid)
        if previous is not None:
            if bulk.same_row(previous, row, COMPARED):
                # Stored before rows kept their digests: given them once, then left alone.
                if (previous.digest, previous.inputs) != (row.digest, row.inputs):
                    rewritten.append(row)
                del rows[ocid]
                continue
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
    # The processes' alerts follow them if their year, procedure type or category changes.
    alerts_move = counts.ProcessMove(old) if touched is None else None
    # One UPDATE … FROM VALUES: Django's bulk_update was half of calcular_indicadores.
    bulk.bulk_update(ProcessRisk, [r for r in rows.values() if r.pk], FIELDS)
    bulk.bulk_update(ProcessRisk, rewritten, ["digest", "inputs"])
    bulk.bulk_insert(ProcessRisk, [r for r in rows.values() if not r.pk], with_keys=True)
    if touched is None:  # otherwise rebuild() writes them with the aggregates
        # Every evaluated process: its suppliers come from the projection, which a publication
        # may have changed though its risk row did not.
        refresh_suppliers(ocids=evaluated)
        alerts_move.done(rows)  # a kept row did not move: same year, procedure and category
    moved = {cell: delta for cell, delta in deltas.items() if delta}
    _move(RiskScore, {cell: d for cell, d in moved.items() if len(cell) == SCORE_CELL})
    _move(RiskCut, {cell: d for cell, d in moved.items() if len(cell) > SCORE_CELL})
    transaction.on_commit(bump_generation)
    return len(evaluated)


def _key(row) -> tuple:
    """The cell of an aggregate row (as ``_cells`` names them)."""
    key = (row.entity_id, row.unit_id, row.year)
    return (*key, row.procurement_method, row.category) if isinstance(row, RiskCut) else key


def _new(model, cell: tuple, tally: Tally | None = None):
    names = ["entity_id", "unit_id", "year", "procurement_method", "category"]
    row = model(tally=tally or {}, **dict(zip(names, cell, strict=False)))
    row.refresh_columns()
    return row


def _move(model, deltas: dict[tuple, Tally]) -> None:
    """Add each delta to its aggregate row (created at zero if new); rows left without
    processes are deleted."""
    if not deltas:
        return
    entities = {cell[0] for cell in deltas} - {None}
    years = {cell[2] for cell in deltas}
    rows = model.objects.select_for_update().filter(year__in=years)
    if None in {cell[0] for cell in deltas}:
        rows = rows.filter(Q(entity__in=entities) | Q(entity__isnull=True))
    else:
        rows = rows.filter(entity__in=entities)
    existing = {_key(row): row for row in rows}
    changed, created = [], []
    now = timezone.now()
    for cell, delta in deltas.items():
        row = existing.get(cell)
        if row is None:
            row = _new(model, cell)
            created.append(row)
        else:
            changed.append(row)
        add(row.tally, delta)
        row.refresh_columns()
        if model is RiskScore:
            row.updated_at = now
    columns = ["tally", "processes", "index", "competition", "transparency", "legality"]
    columns += ["integrity", "quality"]
    if model is RiskScore:
        columns.append("updated_at")
    bulk.bulk_update(model, changed, columns)
    model.objects.bulk_create(created)
    empty = [row.pk for row in changed if not row.tally.get("n")]
    model.objects.filter(pk__in=empty).delete()


# Each supplier of the published process (its projection) beside the process's cut and flags.
SUPPLIER_ROWS = """
INSERT INTO indicadores_supplierrisk (process_id, entity_id, unit_id, year, procurement_method,
    category, party_id, name, identifier, amount, flagged_codes)
SELECT r.id, r.entity_id, r.unit_id, r.year, r.procurement_method, r.category, s.party_id,
    s.name, s.identifier, COALESCE(p.contracted_amount, p.awarded_amount), r.flagged_codes
FROM indicadores_processrisk r
JOIN ocds_pages_processprojection p ON p.ocid = r.ocid
JOIN ocds_pages_supplierprojection s ON s.process_id = p.id
"""


SUPPLIER_FIELDS = ["entity_id", "unit_id", "year", "procurement_method", "category", "party_id"]
SUPPLIER_FIELDS += ["name", "identifier", "amount"]


def refresh_suppliers(*, ocids: list[str] | None = None, entity_ids: list[int] | None = None):
    """Rewrite the ``SupplierRisk`` rows of these processes (or entities; None: all) from the
    published projections: one DELETE and one INSERT … SELECT, whatever the number of rows."""
    rows = SupplierRisk.objects.all()
    where, params = "", []
    if ocids is not None:
        rows = rows.filter(process__ocid__in=ocids)
        where, params = f"WHERE r.ocid IN ({', '.join(['%s'] * len(ocids))})", ocids
    elif entity_ids is not None:
        rows = rows.filter(entity_id__in=entity_ids)
        where = f"WHERE r.entity_id IN ({', '.join(['%s'] * len(entity_ids))})"
        params = entity_ids
    if ocids == [] or entity_ids == []:
        return
    # A publication moves the suppliers' cut sums by the difference (few rows); a rebuild
    # rewrites them from all the rows, set-based.
    before = list(rows.values_list(*SUPPLIER_FIELDS, "flagged_codes")) if ocids else None
    rows.delete()
    with connection.cursor() as cursor:
        cursor.execute(SUPPLIER_ROWS + where, params)
    if before is None:
        counts.rebuild_suppliers(entity_ids)
        counts.rebuild_flags(entity_ids)
        return
    after = list(
        SupplierRisk.objects.filter(process__ocid__in=ocids).values_list(
            *SUPPLIER_FIELDS, "flagged_codes"
        )
    )
    sums = counts.supplier_deltas([row[:-1] for row in before], -1)
    counts.bump_suppliers(counts.merge(sums, counts.supplier_deltas([r[:-1] for r in after], 1)))
    flags = counts.flag_deltas([(*row[:6], row[-1]) for row in before], -1)
    flags.update(counts.flag_deltas([(*row[:6], row[-1]) for row in after], 1))
    counts.bump_flags(flags)


@transaction.atomic
def rebuild(entity_ids: Iterable[int] | None = None) -> int:
    """Recompute the aggregates (of these entities, or all) as exact sums of ``ProcessRisk``;
    the number of aggregate rows written (``RiskScore`` and ``RiskCut``). For some entities,
    the national cuts move by the difference between their old and new sums."""
    processes = ProcessRisk.objects.all()
    scores, cuts = RiskScore.objects.all(), RiskCut.objects.all()
    national: dict[tuple, Tally] = defaultdict(dict)
    if entity_ids is not None:
        entity_ids = list(entity_ids)
        processes = processes.filter(entity_id__in=entity_ids)
        scores = scores.filter(entity_id__in=entity_ids)
        cuts = cuts.filter(entity_id__in=entity_ids)
        columns = ("year", "procurement_method", "category", "tally")
        for *cell, tally in cuts.filter(unit__isnull=True).values_list(*columns):
            subtract(national[(None, None, *cell)], tally)
    # Each process is added once, to its finest cell (unit, year, procedure type, category);
    # the coarser rows are sums of those few cells.
    finest: dict[tuple, Tally] = defaultdict(dict)
    columns = ("entity_id", "unit_id", "year", "procurement_method", "category", "tally")
    # In ocid order: the sums of floats are the same whatever order the rows were written in.
    for *cell, tally in processes.order_by("ocid").values_list(*columns).iterator(2000):
        add(finest[tuple(cell)], tally)
    sums: dict[tuple, Tally] = {}
    for key, tally in rolled_up(finest).items():
        if key[0] is None:
            add(national[key], tally)
        else:
            sums[key] = tally
    scores.delete()
    cuts.delete()
    if entity_ids is None:
        sums.update(national)
    else:
        _move(RiskCut, {cell: delta for cell, delta in national.items() if delta})
    created_scores, created_cuts = [], []
    for cell, tally in sums.items():
        if not tally:
            continue
        if len(cell) == SCORE_CELL:
            created_scores.append(_new(RiskScore, cell, tally))
        else:
            created_cuts.append(_new(RiskCut, cell, tally))
    bulk.bulk_insert(RiskScore, created_scores)
    bulk.bulk_insert(RiskCut, created_cuts)
    refresh_suppliers(entity_ids=entity_ids)
    counts.rebuild(entity_ids)
    transaction.on_commit(bump_generation)
    return len(created_scores) + len(created_cuts)


# --- buffering during calcular_indicadores ----------------------------------------------------

_local = threading.local()


def note_entities(entity_ids: set[int]) -> bool:
    """While a recompute collects, remember these entities for its final rebuild (True);
    otherwise False: the caller updates what it changed now."""
    if getattr(_local, "buffer", None) is None:
        return False
    _local.touched |= set(entity_ids)
    return True


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


def during_run(*, selected, send: bool, rebuild_all: bool = False, entity_ids=None):
    """What ``calcular_indicadores`` (command and job) wraps its run in: collecting when the run
    evaluates every indicator and tells the receivers; nothing otherwise."""
    from contextlib import nullcontext

    from indicadores.engine.core import indicators

    complete = {i.code for i in selected} >= {i.code for i in indicators()}
    if not (send and complete):
        return nullcontext()
    return collecting(rebuild_all=rebuild_all, entity_ids=entity_ids)


@contextmanager
def collecting(*, rebuild_all: bool = False, rebuild_here: bool = True, entity_ids=None):
    """Buffer the processes evaluated inside the block and apply them in batches; on leaving,
    rebuild the aggregates of the entities whose rows changed (``rebuild_touched``; of every
    entity of the run with ``rebuild_all``: those of ``entity_ids``, None for all).

    The batches only write the processes' rows: the aggregates are rebuilt at the end anyway,
    so moving them batch by batch would be work thrown away. ``rebuild_here=False`` (a worker
    of a parallel recompute, indicadores/recompute.py) skips the rebuild: the block receives
    the set of entities to rebuild, which the run rebuilds once every worker is done."""
    _local.buffer, _local.touched = [], set()
    try:
        yield _local.touched
        apply(_local.buffer, touched=_local.touched)
        if rebuild_here:
            rebuild_touched(_local.touched, everything=rebuild_all, entity_ids=entity_ids)
    finally:
        _local.buffer = None


# Above this share of the entities, one rebuild of everything is cheaper than entity by entity
# (each entity's rebuild also moves the national cuts by its difference).
WHOLE_REBUILD_SHARE = 0.25


def rebuild_touched(touched: set[int], *, everything: bool = False, entity_ids=None) -> int:
    """The end of a recompute: rebuild the aggregates of the entities whose processes' rows
    changed (``touched``); also those of every entity of the run (``entity_ids``; None: all)
    when ``everything`` is asked for (``calcular_indicadores --rehacer-agregados``); all of
    them when none exist yet or when more than ``WHOLE_REBUILD_SHARE`` of the entities changed.

    A nightly run that finds every process as it was rewrites nothing here: rebuilding millions
    of supplier cuts that come out equal was a third of the run (docs/benchmarks.md, «Motor de
    indicadores»). The aggregates stay exact sums of ``ProcessRisk`` because every write of a
    process row moves them in the same transaction (``apply``), and a row found different is
    rebuilt with its entity."""
    if everything and entity_ids is not None:
        touched = set(touched) | set(entity_ids)
    whole = (
        (everything and entity_ids is None)
        or not RiskScore.objects.exists()
        or len(touched) > WHOLE_REBUILD_SHARE * max(Entity.objects.count(), 1)
    )
    if whole:
        return rebuild(None)
    return rebuild(touched) if touched else 0
