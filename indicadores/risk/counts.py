"""The alerts table of the risk dashboard, precomputed (``AlertCount``): how many alerts each cut
has per status and first-flagged day, so the dashboard sums a few rows instead of counting the
alerts (docs/benchmarks.md, «Tablero de riesgo»).

The rebuilds insert their rows in the order of the table's unique key: the index then grows at
its right edge instead of splitting pages all over it (4.2 million supplier flag rows at 100,000
processes: 50 s unordered, 33 s ordered; docs/benchmarks.md, «Motor de indicadores»).

Three ways the counts move, one rule (a cell is a cut × status × day, ``cells``):

* the rebuild (``rebuild``, inside ``services.rebuild``) writes them with one
  ``INSERT … SELECT … GROUP BY`` over the alerts and their processes' index rows;
* an alert opened, reopened or moved by a person (``indicadores.signals.alert_statuses_changed``)
  takes one from its old cell and adds one to its new (``move_alerts``);
* a publication that moves a process to another year, procedure type or category (its
  ``ProcessRisk`` row) moves its alerts with it (``ProcessMove``).
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection

from indicadores.models import Alert
from indicadores.risk.models import (
    ALL,
    ALL_YEARS,
    ANY_FLAG,
    EVERY,
    AlertCount,
    ProcessRisk,
    SupplierCut,
    SupplierFlagCount,
)

CELL = ["entity_ref", "unit_ref", "year", "procurement_method", "category", "status", "day"]

# Which cuts a row counts in: level (0 every entity, 1 its entity, 2 its unit) × its year or
# all × its procedure type or all × its category or all (1: its own, 0: all).
_FLAGS = " UNION ALL ".join(
    f"SELECT {level} AS lvl, {y} AS y, {m} AS m, {c} AS c"
    for level in (0, 1, 2)
    for y in (0, 1)
    for m in (0, 1)
    for c in (0, 1)
)
_ALL_SQL = ("0", "0", "0", "'*'", "'*'")  # a cut column's value for «all» (EVERY, ALL_YEARS, ALL)


def _spread(
    columns: tuple[str, ...],
    keys: list[str],
    entity_ids: list[int] | None,
    *,
    indexed: str = "",
    after: str = "WHERE",
    grouping_sets: bool | None = None,
) -> dict[str, str]:
    """The parts of a rebuild query that put each row into every cut it counts in: ``{cut}``
    (the five cut columns), ``{spread}`` (a join), ``{where}`` (a condition, after ``after``:
    «WHERE», or «AND» after another), ``{group}`` and ``{having}``. ``columns``: the row's
    entity, unit, year, procedure type and category; ``keys``: what else a cell is grouped by;
    ``indexed``: a condition without which the row counts only in the cuts of all years, types
    and categories (an alert whose process has no index row); ``entity_ids``: only these
    entities' cuts (not those of every entity).

    PostgreSQL groups the rows once per cut with ``GROUPING SETS`` (4.2 million supplier flag
    rows at 100,000 processes: ≈ 6 s of grouping instead of ≈ 14 s); other databases join each
    row to the 24 cuts (``_FLAGS``) and group the copies."""
    if grouping_sets is None:
        grouping_sets = connection.vendor == "postgresql"
    build = _grouping_sets if grouping_sets else _joined
    parts = build(columns, keys, entity_ids is not None, indexed)
    if entity_ids is not None:
        marks = ", ".join(["%s"] * len(entity_ids))
        condition = " AND ".join(filter(None, [parts["where"], f"{columns[0]} IN ({marks})"]))
        parts["where"] = f"{after} {condition}"
    return parts


def _joined(columns, keys, some_entities: bool, indexed: str) -> dict[str, str]:
    """``_spread`` as a join of each row to the 24 cuts."""
    entity, unit, *dimensions = columns
    cut = [
        f"CASE WHEN f.lvl > 0 THEN {entity} ELSE 0 END",
        f"CASE WHEN f.lvl = 2 THEN {unit} ELSE 0 END",
    ]
    cut += [
        f"CASE WHEN f.{flag} = 1 THEN {column} ELSE {every} END"
        for flag, column, every in zip("ymc", dimensions, _ALL_SQL[2:], strict=True)
    ]
    spread = f"JOIN ({_FLAGS}) f ON (f.lvl < 2 OR {unit} IS NOT NULL)"
    if indexed:
        spread += f" AND ({indexed} OR f.y + f.m + f.c = 0)"
    numbers = ", ".join(str(n) for n in range(1, 6 + len(keys)))
    return {
        "cut": ",\n    ".join(cut),
        "spread": spread,
        "where": "f.lvl > 0" if some_entities else "",  # not every entity's cuts
        "group": f"GROUP BY {numbers}",
        "having": "",
    }


def _grouping_sets(columns, keys, some_entities: bool, indexed: str) -> dict[str, str]:
    """``_spread`` as one grouping set per cut (PostgreSQL)."""
    entity, unit, year, method, category = columns
    cut = [
        f"CASE WHEN GROUPING({column}) = 0 THEN {column} ELSE {every} END"
        for column, every in zip(columns, _ALL_SQL, strict=True)
    ]
    levels = ([] if some_entities else [()]) + [(entity,), (entity, unit)]
    sets = [
        level + kept_year + kept_method + kept_category
        for level in levels
        for kept_year in ((year,), ())
        for kept_method in ((method,), ())
        for kept_category in ((category,), ())
    ]
    grouped = ", ".join(f"({', '.join(names)})" for names in sets)
    # A unit's cut only of rows with a unit; the cuts of one year, type or category only of
    # rows that have them (``indexed``: their columns come from an outer join).
    kept = [unit, *((year, method, category) if indexed else ())]
    having = " AND ".join(f"(GROUPING({column}) = 1 OR {column} IS NOT NULL)" for column in kept)
    return {
        "cut": ",\n    ".join(cut),
        "spread": "",
        "where": "",
        "group": f"GROUP BY {', '.join(keys)}, GROUPING SETS ({grouped})",
        "having": f"HAVING {having}",
    }


_REBUILD = """
INSERT INTO indicadores_alertcount (entity_ref, unit_ref, year, procurement_method, category,
    status, day, alerts)
SELECT {cut},
    a.status, {day}, COUNT(*)
FROM indicadores_alert a
LEFT JOIN indicadores_processrisk r ON r.ocid = a.ocid
{spread}
{where}
{group}
{having}
ORDER BY 1, 2, 3, 4, 5, 6, 7
"""


def _day_sql() -> str:
    """The alert's first-flagged day in UTC, as ``day_of`` computes it in Python."""
    if connection.vendor == "postgresql":
        return "CAST(a.first_computed_at AT TIME ZONE 'UTC' AS date)"
    return "date(a.first_computed_at)"  # SQLite keeps the UTC time as text


def day_of(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(datetime.UTC).date()


def rebuild(entity_ids: list[int] | None = None) -> int:
    """Rewrite the counts of these entities (or all) from the alerts, set-based; for some
    entities, the counts of every entity move by the difference. The rows written."""
    if entity_ids == []:
        return 0
    if entity_ids is not None:
        national = Counter()
        national.subtract(_entity_totals(entity_ids))
        AlertCount.objects.filter(entity_ref__in=entity_ids).delete()
    else:
        AlertCount.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(alert_counts_sql(entity_ids), list(entity_ids or []))
        written = cursor.rowcount
    if entity_ids is not None:
        national.update(_entity_totals(entity_ids))
        bump(national)
    return written


def alert_counts_sql(entity_ids: list[int] | None, *, grouping_sets: bool | None = None) -> str:
    """The INSERT … SELECT of ``rebuild`` (its parameters: ``entity_ids``)."""
    columns = ("a.entity_id", "a.unit_id", "r.year", "r.procurement_method", "r.category")
    day = _day_sql()
    parts = _spread(
        columns,
        ["a.status", day],
        entity_ids,
        indexed="r.id IS NOT NULL",
        grouping_sets=grouping_sets,
    )
    return _REBUILD.format(day=day, **parts)


def _entity_totals(entity_ids: list[int]) -> Counter:
    """The counts of these entities, summed into the cells of every entity."""
    rows = AlertCount.objects.filter(entity_ref__in=entity_ids, unit_ref=EVERY)
    totals = Counter()
    for *cell, alerts in rows.values_list(*CELL[2:], "alerts"):
        totals[(EVERY, EVERY, *cell)] += alerts
    return totals


def bump(deltas: Counter) -> None:
    """Add each delta to its cell's row, creating it if new: one statement per 500 cells, in key
    order (two writers lock shared rows in the same order). Rows may fall to zero; they add
    nothing and the next rebuild drops them."""
    cells = sorted((cell, n) for cell, n in deltas.items() if n)
    table = AlertCount._meta.db_table
    columns = ", ".join([*CELL, "alerts"])
    conflict = ", ".join(CELL)
    for start in range(0, len(cells), 500):
        chunk = cells[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        params = [value for cell, n in chunk for value in (*cell, n)]
        # Only our own table and column names are formatted in; the values are parameters.
        sql = (
            f"INSERT INTO {table} ({columns}) VALUES {values} ON CONFLICT ({conflict}) "  # noqa: S608
            f"DO UPDATE SET alerts = {table}.alerts + EXCLUDED.alerts"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def cells(alert: tuple, process: tuple | None) -> list[tuple]:
    """The cells one alert (entity id, unit id, status, first flagged) counts in, given its
    process's (year, procedure type, category), or None if the process has no index."""
    entity_id, unit_id, status, first = alert
    levels = [(EVERY, EVERY), (entity_id, EVERY)] + ([(entity_id, unit_id)] if unit_id else [])
    if process is None:
        cuts = [(ALL_YEARS, ALL, ALL)]
    else:
        year, method, category = process
        years, methods, categories = (year, ALL_YEARS), (method, ALL), (category, ALL)
        cuts = [(y, m, c) for y in years for m in methods for c in categories]
    day = day_of(first)
    return [(*level, *cut, status, day) for level in levels for cut in cuts]


def move_alerts(changes: Iterable[tuple[Alert, str]]) -> None:
    """Alerts opened (previous status empty), reopened or moved by a person: one less in the old
    status's cells, one more in the new."""
    changes = [(alert, previous) for alert, previous in changes if alert.status != previous]
    if not changes:
        return
    processes = _processes({alert.ocid for alert, _previous in changes})
    deltas = Counter()
    for alert, previous in changes:
        process = processes.get(alert.ocid)
        key = (alert.entity_id, alert.unit_id)
        for cell in cells((*key, alert.status, alert.first_computed_at), process):
            deltas[cell] += 1
        if previous:
            for cell in cells((*key, previous, alert.first_computed_at), process):
                deltas[cell] -= 1
    bump(deltas)


def _processes(ocids) -> dict[str, tuple]:
    rows = ProcessRisk.objects.filter(ocid__in=list(ocids))
    return {
        ocid: (year, method, category)
        for ocid, year, method, category in rows.values_list(
            "ocid", "year", "procurement_method", "category"
        )
    }


class ProcessMove:
    """The alerts of some processes, read before their index rows are rewritten: ``done(new)``
    moves them from the old rows' cells to the new ones' (a publication that changes a process's
    year, procedure type or category, or indexes it for the first time)."""

    def __init__(self, old: dict[str, ProcessRisk]):
        self.old = old

    def done(self, new: dict[str, ProcessRisk]) -> None:
        def key(row):
            return None if row is None else (row.year, row.procurement_method, row.category)

        moved = {ocid for ocid, row in new.items() if key(row) != key(self.old.get(ocid))}
        if not moved:
            return
        alerts = Alert.objects.filter(ocid__in=list(moved)).values_list(
            "ocid", "entity_id", "unit_id", "status", "first_computed_at"
        )
        deltas = Counter()
        for ocid, *alert in alerts:
            for cell in cells(tuple(alert), key(new[ocid])):
                deltas[cell] += 1
            for cell in cells(tuple(alert), key(self.old.get(ocid))):
                deltas[cell] -= 1
        bump(deltas)


# --- the suppliers of each cut ------------------------------------------------------------------

SUPPLIER_CELL = CELL[:5] + ["party_id"]

_SUPPLIERS = """
INSERT INTO indicadores_suppliercut (entity_ref, unit_ref, year, procurement_method, category,
    party_id, name, identifier, processes, priced, amount)
SELECT {cut},
    s.party_id, MAX(s.name), MAX(s.identifier), COUNT(*), COUNT(s.amount),
    COALESCE(SUM(s.amount), 0)
FROM indicadores_supplierrisk s
{spread}
{where}
{group}
{having}
ORDER BY 1, 2, 3, 4, 5, 6
"""
_SUPPLIER_COLUMNS = ("s.entity_id", "s.unit_id", "s.year", "s.procurement_method", "s.category")


def rebuild_suppliers(entity_ids: list[int] | None = None) -> int:
    """Rewrite the supplier sums of these entities' cuts (or all) from ``SupplierRisk``,
    set-based; for some entities, every entity's cuts move by the difference."""
    if entity_ids == []:
        return 0
    if entity_ids is not None:
        national = _supplier_totals(entity_ids, -1)
        SupplierCut.objects.filter(entity_ref__in=entity_ids).delete()
    else:
        SupplierCut.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(supplier_cuts_sql(entity_ids), list(entity_ids or []))
        written = cursor.rowcount
    if entity_ids is not None:
        for cell, delta in _supplier_totals(entity_ids, 1).items():
            national.setdefault(cell, SupplierDelta()).add(delta)
        bump_suppliers(national)
    return written


def supplier_cuts_sql(entity_ids: list[int] | None, *, grouping_sets: bool | None = None) -> str:
    """The INSERT … SELECT of ``rebuild_suppliers`` (its parameters: ``entity_ids``)."""
    parts = _spread(_SUPPLIER_COLUMNS, ["s.party_id"], entity_ids, grouping_sets=grouping_sets)
    return _SUPPLIERS.format(**parts)


class SupplierDelta:
    """What some supplier rows add to (or, negative, take from) one supplier cell."""

    __slots__ = ("name", "identifier", "processes", "priced", "amount")

    def __init__(self, name="", identifier="", processes=0, priced=0, amount=None):
        self.name, self.identifier = name, identifier
        self.processes, self.priced, self.amount = processes, priced, amount or Decimal(0)

    def add(self, other: "SupplierDelta") -> None:
        self.name, self.identifier = (
            max(self.name, other.name),
            max(self.identifier, other.identifier),
        )
        self.processes += other.processes
        self.priced += other.priced
        self.amount += other.amount


def _supplier_totals(entity_ids: list[int], sign: int) -> dict[tuple, SupplierDelta]:
    """These entities' supplier sums (× sign), in the cells of every entity."""
    rows = SupplierCut.objects.filter(entity_ref__in=entity_ids, unit_ref=EVERY)
    columns = [*SUPPLIER_CELL[2:], "name", "identifier", "processes", "priced", "amount"]
    totals: dict[tuple, SupplierDelta] = {}
    for *cell, name, identifier, processes, priced, amount in rows.values_list(*columns):
        delta = SupplierDelta(name, identifier, sign * processes, sign * priced, sign * amount)
        totals.setdefault((EVERY, EVERY, *cell), SupplierDelta()).add(delta)
    return totals


def supplier_deltas(rows: Iterable[tuple], sign: int) -> dict[tuple, SupplierDelta]:
    """The cells some ``SupplierRisk`` rows (entity id, unit id, year, procedure type, category,
    party id, name, identifier, amount) count in, × sign."""
    deltas: dict[tuple, SupplierDelta] = {}
    for entity_id, unit_id, year, method, category, party_id, name, identifier, amount in rows:
        levels = [(EVERY, EVERY), (entity_id, EVERY)] + ([(entity_id, unit_id)] if unit_id else [])
        priced = 0 if amount is None else sign
        delta = SupplierDelta(name, identifier, sign, priced, sign * (amount or Decimal(0)))
        for level in levels:
            for y in (year, ALL_YEARS):
                for m in (method, ALL):
                    for c in (category, ALL):
                        cell = (*level, y, m, c, party_id)
                        deltas.setdefault(cell, SupplierDelta()).add(delta)
    return deltas


def merge(first: dict, second: dict) -> dict:
    for cell, delta in second.items():
        first.setdefault(cell, SupplierDelta()).add(delta)
    return first


def bump_suppliers(deltas: dict[tuple, SupplierDelta]) -> None:
    """Add each delta to its supplier cell, creating it if new (as ``bump``)."""
    cells = sorted(
        (cell, delta) for cell, delta in deltas.items() if delta.processes or delta.priced
    )
    table = SupplierCut._meta.db_table
    columns = ", ".join([*SUPPLIER_CELL, "name", "identifier", "processes", "priced", "amount"])
    larger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    for start in range(0, len(cells), 500):
        chunk = cells[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        params = []
        for cell, delta in chunk:
            params += [*cell, delta.name, delta.identifier, delta.processes, delta.priced]
            params.append(delta.amount)
        # Only our own table and column names are formatted in; the values are parameters.
        sql = (
            f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608
            f"ON CONFLICT ({', '.join(SUPPLIER_CELL)}) DO UPDATE SET "
            f"name = {larger}({table}.name, EXCLUDED.name), "
            f"identifier = {larger}({table}.identifier, EXCLUDED.identifier), "
            f"processes = {table}.processes + EXCLUDED.processes, "
            f"priced = {table}.priced + EXCLUDED.priced, "
            f"amount = {table}.amount + EXCLUDED.amount"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


# --- the flags of each supplier of each cut ------------------------------------------------------

FLAG_CELL = [*SUPPLIER_CELL, "code"]

_FLAG_ROWS = """
INSERT INTO indicadores_supplierflagcount (entity_ref, unit_ref, year, procurement_method,
    category, party_id, code, processes)
SELECT {cut},
    s.party_id, {code}, COUNT(*)
FROM indicadores_supplierrisk s
{spread}
{codes}
WHERE s.flagged_codes <> '' {where}
{group}
{having}
ORDER BY 1, 2, 3, 4, 5, 6, 7
"""


def _codes_sql() -> tuple[str, str]:
    """(the code column, the join that gives one row per code of the process, plus «*»): the
    codes are stored « R018 MX-DOCS », one space apart."""
    if connection.vendor == "postgresql":
        return "k.code", (
            "CROSS JOIN LATERAL unnest(string_to_array('* ' || btrim(s.flagged_codes), ' ')) "
            "AS k(code)"
        )
    return "k.value", (
        "JOIN json_each('[\"*\",\"' || replace(trim(s.flagged_codes), ' ', '\",\"') || '\"]') k"
    )


def rebuild_flags(entity_ids: list[int] | None = None) -> int:
    """Rewrite the suppliers' flag counts of these entities' cuts (or all), set-based; for some
    entities, every entity's cuts move by the difference."""
    if entity_ids == []:
        return 0
    national = Counter()
    if entity_ids is not None:
        national.subtract(_flag_totals(entity_ids))
        SupplierFlagCount.objects.filter(entity_ref__in=entity_ids).delete()
    else:
        SupplierFlagCount.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(flag_counts_sql(entity_ids), list(entity_ids or []))
        written = cursor.rowcount
    if entity_ids is not None:
        national.update(_flag_totals(entity_ids))
        bump_flags(national)
    return written


def flag_counts_sql(entity_ids: list[int] | None, *, grouping_sets: bool | None = None) -> str:
    """The INSERT … SELECT of ``rebuild_flags`` (its parameters: ``entity_ids``)."""
    code, codes = _codes_sql()
    keys = ["s.party_id", code]
    parts = _spread(_SUPPLIER_COLUMNS, keys, entity_ids, after="AND", grouping_sets=grouping_sets)
    return _FLAG_ROWS.format(code=code, codes=codes, **parts)


def _flag_totals(entity_ids: list[int]) -> Counter:
    rows = SupplierFlagCount.objects.filter(entity_ref__in=entity_ids, unit_ref=EVERY)
    totals = Counter()
    for *cell, processes in rows.values_list(*FLAG_CELL[2:], "processes"):
        totals[(EVERY, EVERY, *cell)] += processes
    return totals


def flag_deltas(rows: Iterable[tuple], sign: int) -> Counter:
    """The flag cells some ``SupplierRisk`` rows (entity id, unit id, year, procedure type,
    category, party id, flagged codes) count in, × sign."""
    deltas = Counter()
    for entity_id, unit_id, year, method, category, party_id, flagged_codes in rows:
        found = flagged_codes.split()
        if not found:
            continue
        levels = [(EVERY, EVERY), (entity_id, EVERY)] + ([(entity_id, unit_id)] if unit_id else [])
        for level in levels:
            for y in (year, ALL_YEARS):
                for m in (method, ALL):
                    for c in (category, ALL):
                        for code in [ANY_FLAG, *found]:
                            deltas[(*level, y, m, c, party_id, code)] += sign
    return deltas


def bump_flags(deltas: Counter) -> None:
    """Add each delta to its flag cell, creating it if new (as ``bump``)."""
    cells = sorted((cell, n) for cell, n in deltas.items() if n)
    table = SupplierFlagCount._meta.db_table
    columns = ", ".join([*FLAG_CELL, "processes"])
    for start in range(0, len(cells), 500):
        chunk = cells[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
        params = [value for cell, n in chunk for value in (*cell, n)]
        # Only our own table and column names are formatted in; the values are parameters.
        sql = (
            f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608
            f"ON CONFLICT ({', '.join(FLAG_CELL)}) "
            f"DO UPDATE SET processes = {table}.processes + EXCLUDED.processes"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
