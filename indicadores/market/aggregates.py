"""The statistics of a basket and its candidate suppliers, without reading whole rows.

* Statistics: only the six columns they need (price, date, unit, year, state, quantity) are read,
  and summarised in Python (indicadores/market/statistics.py), on both databases. Computing the
  exact quartiles in PostgreSQL was tried and measured slower: ``percentile_cont`` works in floating
  point, and picking the exact ``numeric`` neighbours with ``row_number`` over every grouping took
  700–880 ms where this takes 230–300 ms on the same 14 624 prices (docs/benchmarks.md,
  «Investigación de mercado»).
* Candidate suppliers: on PostgreSQL one ``GROUP BY`` query adds up each supplier (processes,
  buyers, amount, dates, sources and the two neighbours of its median price); on SQLite the rows
  are grouped in Python. Both give the same numbers (tests/indicadores/market/test_aggregates.py
  runs both on the same rows on PostgreSQL).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.db import connections
from django.db.models import F, QuerySet

from indicadores.market.inflation import Adjuster
from indicadores.market.statistics import (
    Summary,
    band,
    grouped,
    interpolate,
    position,
    summarise,
)

GROUPS = {"unit": 1, "year": 2, "state": 3, "band": 4}  # their place in a row of ``statistics``
HALF = Decimal("0.5")


@dataclass
class Statistics:
    """The summary of the valid prices and one list of (key, summary) per grouping."""

    summary: Summary
    groups: dict[str, list] = field(default_factory=dict)
    mixed_units: bool = False
    # The basket's SupplierTotals when they were stored with its statistics (summaries.py).
    suppliers: list | None = None


def is_postgres(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def statistics(valid: QuerySet, adjuster: Adjuster, *, groups: bool = True) -> Statistics:
    """The statistics of the prices of ``valid`` (a search without the excluded rows); with
    ``groups`` False only the overall summary (the candidate list needs no more)."""
    columns = ("unit_price", "date", "unit_key", "year", "state", "quantity")
    adjusting = adjuster.available
    rows = []
    for price, date, unit_key, year, state, quantity in valid.values_list(*columns):
        if adjusting:
            price = adjuster.adjust(price, date)[0]
        rows.append((price, unit_key, year, state, band(quantity)))
    return Statistics(
        summary=summarise(row[0] for row in rows),
        groups={
            name: grouped(rows, itemgetter(i), itemgetter(0)) if groups else []
            for name, i in GROUPS.items()
        },
        mixed_units=len({row[1] for row in rows}) > 1,
    )


# --- candidate suppliers -------------------------------------------------------------------------


PRICED_SQL = "SELECT s.*, s.p_unit_price AS price FROM ({rows}) AS s"


def _priced(queryset: QuerySet, **columns) -> tuple[str, list]:
    """SQL of the rows of ``queryset`` with their price as ``price``."""
    sql, params = queryset.values(
        p_unit_price=F("unit_price"), p_date=F("date"), **columns
    ).query.sql_with_params()
    # ``sql`` is Django's own compilation of the queryset; every value travels as a parameter.
    return PRICED_SQL.format(rows=sql), list(params)


@dataclass
class SupplierTotals:
    """What the rows of one supplier add up to (selectors.Candidate adds score and screening)."""

    key: str
    supplier_id: str
    name: str
    rfc: str
    contracts: int
    buyers: int
    amount: Decimal
    first_date: object
    last_date: object
    median_price: Decimal
    sources: list[str]


SUPPLIERS_SQL = """
WITH s AS ({priced}),
a AS (
  SELECT p_supplier_key AS key,
    (array_agg(p_supplier_id ORDER BY p_date DESC, p_pk))[1] AS supplier_id,
    (array_agg(p_supplier_name ORDER BY p_date DESC, p_pk))[1] AS name,
    (array_agg(p_supplier_rfc ORDER BY p_date DESC, p_pk))[1] AS rfc,
    count(DISTINCT p_ocid) AS contracts, count(DISTINCT p_buyer_name) AS buyers,
    sum(price * coalesce(p_quantity, 0)) AS amount, min(p_date) AS first_date,
    max(p_date) AS last_date, count(*) AS n, array_agg(price ORDER BY price) AS prices,
    array_agg(DISTINCT coalesce(nullif(p_dataset_name, ''), 'local')) AS sources
  FROM s WHERE p_supplier_key <> '' GROUP BY p_supplier_key
)
SELECT key, supplier_id, name, rfc, contracts, buyers, amount, first_date, last_date, n,
  prices[1 + floor(0.5 * (n - 1))::int] AS m_lo, prices[least(2 + floor(0.5 * (n - 1))::int, n)]
  AS m_hi, sources
FROM a
"""

SUPPLIER_COLUMNS = {
    "p_pk": F("pk"),
    "p_supplier_key": F("supplier_key"),
    "p_supplier_id": F("supplier_id"),
    "p_supplier_name": F("supplier_name"),
    "p_supplier_rfc": F("supplier_rfc"),
    "p_ocid": F("ocid"),
    "p_buyer_name": F("buyer_name"),
    "p_quantity": F("quantity"),
    "p_dataset_name": F("dataset__name"),
}


def _postgres_suppliers(rows: QuerySet) -> list[SupplierTotals]:
    priced, params = _priced(rows.order_by(), **SUPPLIER_COLUMNS)
    with connections[rows.db].cursor() as cursor:
        cursor.execute(SUPPLIERS_SQL.format(priced=priced), params)
        found = cursor.fetchall()
    return [
        SupplierTotals(
            key=key,
            supplier_id=supplier_id,
            name=name,
            rfc=rfc,
            contracts=contracts,
            buyers=buyers,
            amount=amount,
            first_date=first_date,
            last_date=last_date,
            median_price=interpolate(low, high, position(n, HALF)[1]),
            sources=sorted(sources),
        )
        for (
            key,
            supplier_id,
            name,
            rfc,
            contracts,
            buyers,
            amount,
            first_date,
            last_date,
            n,
            low,
            high,
            sources,
        ) in found
    ]


def _python_suppliers(rows: QuerySet, adjuster: Adjuster) -> list[SupplierTotals]:
    fields = ("supplier_key", "supplier_id", "supplier_name", "supplier_rfc", "ocid")
    values = rows.order_by("-date", "pk").values(
        *fields, "buyer_name", "quantity", "unit_price", "date", "dataset__name"
    )
    return totals_from_rows(
        row | {"price": adjuster.adjust(row["unit_price"], row["date"])[0]} for row in values
    )


def totals_from_rows(rows: Iterable[dict]) -> list[SupplierTotals]:
    """Per supplier key, from rows (dicts with their ``price``) the most recent first."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        if row["supplier_key"]:
            groups.setdefault(row["supplier_key"], []).append(row)
    return [_totals(key, group) for key, group in groups.items()]


def _totals(key: str, group: list[dict]) -> SupplierTotals:
    dates = [row["date"] for row in group if row["date"]]
    prices = sorted(row["price"] for row in group)
    first = group[0]
    return SupplierTotals(
        key=key,
        supplier_id=first["supplier_id"],
        name=first["supplier_name"],
        rfc=first["supplier_rfc"],
        contracts=len({row["ocid"] for row in group}),
        buyers=len({row["buyer_name"] for row in group}),
        amount=sum((row["price"] * (row["quantity"] or 0) for row in group), Decimal(0)),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        median_price=_median(prices),
        sources=sorted({row["dataset__name"] or "local" for row in group}),
    )


def _median(ordered: list[Decimal]) -> Decimal:
    low, fraction = position(len(ordered), HALF)
    high = min(low + 1, len(ordered) - 1)
    return interpolate(ordered[low], ordered[high], fraction)


def supplier_totals(rows: QuerySet, adjuster: Adjuster) -> Iterable[SupplierTotals]:
    """Per supplier key, over every row of the search (excluded and outliers too, as the
    candidate list has always counted them: experience is experience).

    Prices adjusted by the INPC are added up in Python on every database: ``Decimal`` rounds each
    product to 28 digits and ``numeric`` does not, so a query would give amounts that differ in
    the last digits; unadjusted prices are exact in both, and PostgreSQL groups them itself."""
    if is_postgres(rows) and not adjuster.available:
        return _postgres_suppliers(rows)
    return _python_suppliers(rows, adjuster)
