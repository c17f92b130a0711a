"""The statistics of an item's whole basket, kept per CUCoP key (``PriceSummary``).

The price references of an item asked for by its key alone — no unit, year, state, quantity,
currency, source, family or text; no INPC adjustment; no exclusions — are the same basket every
time until a price row of that key changes. Counting it grows with its rows (every price is needed
for the quartiles, the fences and the medians: docs/mercado.md, «Estadísticas guardadas por
clave»), so the statistics are stored with the **fingerprint** of the key's rows: how many there
are and their largest id. Price rows are only inserted and deleted, never updated
(indicadores/market/services.py: ``refresh_local``, ``refresh_reference``, ``rebuild``), and ids
only grow, so any change to the key's rows moves one of the two. A read checks the fingerprint
(an index-only count on ``price_item_recent``) and uses the stored statistics only when it still
holds; otherwise it counts the rows as any other search does and stores what it counted.

The fingerprint is taken *before* the rows are counted: statistics are then never older than the
fingerprint they are stored with, and a row committed in between only makes the next read count
again.

The candidate suppliers of the same basket (what each supplier's rows add up to: processes,
buyers, amount, dates, median price, sources) are kept in the same row under the same
fingerprint. They count every row of the search whatever a study excludes, so a key's whole
basket has one set of totals; they are stored the first time the candidates are asked for (a
price lookup does not pay for them) and dropped whenever the statistics are stored again.
"""

import datetime
from collections.abc import Callable
from dataclasses import asdict, fields
from decimal import Decimal

import orjson
from django.db import connections, router
from django.db.models import Count, Max, QuerySet

from indicadores.market import aggregates
from indicadores.market.aggregates import GROUPS, Statistics, SupplierTotals
from indicadores.market.forms import SEARCH_KEYS
from indicadores.market.inflation import Adjuster
from indicadores.market.models import PriceObservation, PriceSummary
from indicadores.market.statistics import Summary

# What narrows or adjusts a search (the screens' search keys, and the API's currency and
# source) — an item's whole basket says only its key; ``filas`` chooses what is shown, not the
# basket.
NARROWING = (*(key for key in SEARCH_KEYS if key != "clasificacion"), "moneda", "fuente")
# The summary's decimal figures, stored as text; its counts and flag stay JSON numbers and booleans.
DECIMALS = frozenset(f.name for f in fields(Summary) if f.type == Decimal | None)
INPC_OFF = frozenset({"", "0", "False", "false", "no"})


def whole_item(params) -> str:
    """The CUCoP key of a search that asks for an item's whole basket, or "" if anything else
    narrows or adjusts it."""
    for name in NARROWING:
        value = str(params.get(name) or "").strip()
        if value and not (name == "inpc" and value in INPC_OFF):
            return ""
    return str(params.get("clasificacion") or "").strip()


def fingerprint(key: str) -> tuple[int, int]:
    """(rows, largest id) of every price row of ``key``, whatever its currency or source."""
    found = PriceObservation.objects.filter(classification_id=key).aggregate(
        rows=Count("id"), last=Max("id")
    )
    return found["rows"], found["last"] or 0


# The key's statistics if its fingerprint still holds: one query (the fingerprint is a subquery).
# Only our own table and column names are formatted in; the key travels as a parameter.
FRESH = (
    "SELECT {columns} FROM {summaries} s, "
    "(SELECT count(*) AS n, max(id) AS last FROM {prices} WHERE classification_id = %s) p "
    "WHERE s.classification_id = %s AND s.prices = p.n AND s.last_price = coalesce(p.last, 0)"
)


def stored(key: str, *, suppliers: bool = False) -> Statistics | None:
    """The stored statistics of ``key`` if its rows are still those they were counted from, with
    its supplier totals when asked for (and stored): at 1,000,000 processes a key has ≈ 28,000
    suppliers, 4.6 MB that a price lookup must not read."""
    columns = "s.id, s.statistics" + (", s.suppliers" if suppliers else "")
    sql = FRESH.format(
        columns=columns,
        summaries=PriceSummary._meta.db_table,
        prices=PriceObservation._meta.db_table,
    )
    # The database a read of PriceSummary goes to (cms/db_replica.py may name a replica).
    with connections[router.db_for_read(PriceSummary)].cursor() as cursor:
        cursor.execute(sql, [key, key])
        found = cursor.fetchone()
    if found is None:
        return None
    kept = decode(found[1] if isinstance(found[1], dict) else orjson.loads(found[1]))
    if suppliers and found[2] is not None:
        kept.suppliers = decode_suppliers(found[2])
    return kept


def statistics_of(key: str, valid: QuerySet, *, suppliers: bool = False) -> Statistics:
    """The statistics of ``valid`` — the search of ``key`` alone — stored or counted (and its
    stored supplier totals when ``suppliers``)."""
    kept = stored(key, suppliers=suppliers)
    if kept is not None:
        return kept
    rows, last = fingerprint(key)
    counted = aggregates.statistics(valid, Adjuster({}))
    store(key, rows, last, counted)
    return counted


def suppliers_of(key: str, rows: QuerySet, kept: list | None = None) -> list[SupplierTotals]:
    """The supplier totals of ``rows`` — the search of ``key`` alone, unadjusted — as ``kept``
    with its statistics, or counted and kept with them while their fingerprint still holds."""
    if kept is not None:
        return kept
    found = stored(key, suppliers=True)  # a study's basket: its statistics were counted
    if found is not None and found.suppliers is not None:
        return found.suppliers
    prices, last = fingerprint(key)
    counted = list(aggregates.supplier_totals(rows.order_by(), Adjuster({})))
    # Only on the statistics of the same fingerprint: if the rows changed meanwhile, the next
    # read counts both again.
    PriceSummary.objects.filter(classification_id=key, prices=prices, last_price=last).update(
        suppliers=encode_suppliers(counted)
    )
    return counted


def store(key: str, rows: int, last: int, counted: Statistics, suppliers=None) -> None:
    """Write (or overwrite) the key's statistics, and its supplier totals if given (the old
    ones go: they belong to the old fingerprint). One INSERT … ON CONFLICT, so two readers that
    counted the same key at once do not collide."""
    PriceSummary.objects.bulk_create(
        [
            PriceSummary(
                classification_id=key,
                prices=rows,
                last_price=last,
                statistics=encode(counted),
                suppliers=None if suppliers is None else encode_suppliers(suppliers),
            )
        ],
        update_conflicts=True,
        unique_fields=["classification_id"],
        update_fields=["prices", "last_price", "statistics", "suppliers", "computed_at"],
    )


def store_all(search: Callable[[str], QuerySet]) -> int:
    """Count and store the statistics of every key that has prices (after ``rebuild``), and drop
    those of keys that no longer have any; the number of keys stored. ``search`` is the whole
    basket of a key (selectors.search)."""
    keys = list(
        PriceObservation.objects.exclude(classification_id="")
        .order_by("classification_id")
        .values_list("classification_id", flat=True)
        .distinct()
    )
    PriceSummary.objects.exclude(classification_id__in=keys).delete()
    for key in keys:
        rows, last = fingerprint(key)
        basket = search(key).order_by()
        counted = aggregates.statistics(basket, Adjuster({}))
        store(key, rows, last, counted, list(aggregates.supplier_totals(basket, Adjuster({}))))
    return len(keys)


# --- JSON -----------------------------------------------------------------------------------------


def _summary_json(summary: Summary) -> dict:
    return {
        name: str(value) if name in DECIMALS and value is not None else value
        for name, value in asdict(summary).items()
    }


def _summary(data: dict) -> Summary:
    return Summary(
        **{
            name: Decimal(value) if name in DECIMALS and value is not None else value
            for name, value in data.items()
        }
    )


# A supplier's totals as an array in this order (a key has thousands: no repeated field names).
SUPPLIER_FIELDS = [f.name for f in fields(SupplierTotals)]
_DECIMAL_AT = [SUPPLIER_FIELDS.index(name) for name in ("amount", "median_price")]
_DATE_AT = [SUPPLIER_FIELDS.index(name) for name in ("first_date", "last_date")]


def encode_suppliers(found: list[SupplierTotals]) -> str:
    """Decimals as text (they come back exactly), dates in ISO form."""
    rows = []
    for totals in found:
        row = [getattr(totals, name) for name in SUPPLIER_FIELDS]
        for at in _DECIMAL_AT:
            row[at] = str(row[at])
        for at in _DATE_AT:
            row[at] = row[at].isoformat() if row[at] else None
        rows.append(row)
    return orjson.dumps(rows).decode()


def decode_suppliers(text: str) -> list[SupplierTotals]:
    found = []
    for row in orjson.loads(text):
        for at in _DECIMAL_AT:
            row[at] = Decimal(row[at])
        for at in _DATE_AT:
            row[at] = datetime.date.fromisoformat(row[at]) if row[at] else None
        found.append(SupplierTotals(*row))
    return found


def encode(counted: Statistics) -> dict:
    """JSON of ``Statistics``: decimals as text, so they come back exactly."""
    return {
        "summary": _summary_json(counted.summary),
        "groups": {
            name: [[value, _summary_json(summary)] for value, summary in pairs]
            for name, pairs in counted.groups.items()
        },
        "mixed_units": counted.mixed_units,
    }


def decode(data: dict) -> Statistics:
    return Statistics(
        summary=_summary(data["summary"]),
        groups={
            name: [(value, _summary(summary)) for value, summary in data["groups"].get(name, [])]
            for name in GROUPS
        },
        mixed_units=data["mixed_units"],
    )
