"""Reads of the market research: the price rows of a search and what they say.

A search names an item by its CUCoP key, its family or free text, and may narrow the unit of
measure, year, state, quantity range and currency. ``price_reference`` returns the rows (each
marked outlier or not, adjusted by the INPC when asked and possible) and the statistics of the
basket: overall, per unit of measure, per year, per state and per quantity band.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from indicadores.market import aggregates, summaries
from indicadores.market.inflation import Adjuster
from indicadores.market.models import PriceObservation
from indicadores.market.statistics import (
    MEDIAN,
    Summary,
    band,
    q,
)
from ocds_pages.search import fold

ROW_FIELDS = (
    "pk",
    "row_key",
    "source",
    "dataset__name",
    "ocid",
    "entity_id",
    "buyer_name",
    "state",
    "supplier_id",
    "supplier_rfc",
    "supplier_name",
    "supplier_key",
    "classification_scheme",
    "classification_id",
    "description",
    "unit_name",
    "unit_key",
    "quantity",
    "unit_price",
    "currency",
    "date",
    "year",
    "procurement_method",
)
DEFAULT_CURRENCIES = ("MXN", "")  # a price without currency in a Mexican release is in pesos


def fold_unit(text: str) -> str:
    return " ".join(fold(text or "").split())


def text_words(texto: str) -> list[str]:
    """The words of a free-text search, folded as the descriptions are (``description_folded``)."""
    return fold(texto).split()


def search(
    *,
    clasificacion: str = "",
    familia: str = "",
    texto: str = "",
    unidad: str = "",
    anio: int | None = None,
    estado: str = "",
    cantidad_min: Decimal | None = None,
    cantidad_max: Decimal | None = None,
    moneda: str = "",
    queryset: QuerySet | None = None,
) -> QuerySet:
    """The price rows of a search (at least one of clasificacion, familia or texto)."""
    rows = PriceObservation.objects.all() if queryset is None else queryset
    if clasificacion:
        rows = rows.filter(classification_id=clasificacion.strip())
    if familia:
        rows = rows.filter(family=familia.strip()[:3])
    for word in text_words(texto):
        rows = rows.filter(description_folded__contains=word)
    if unidad:
        rows = rows.filter(unit_key=fold_unit(unidad))
    if anio:
        rows = rows.filter(year=anio)
    if estado:
        rows = rows.filter(state=estado.strip().upper())
    if cantidad_min is not None:
        rows = rows.filter(quantity__gte=cantidad_min)
    if cantidad_max is not None:
        rows = rows.filter(quantity__lte=cantidad_max)
    rows = (
        rows.filter(currency=moneda.upper())
        if moneda
        else rows.filter(currency__in=DEFAULT_CURRENCIES)
    )
    return rows


@dataclass
class PriceRow:
    """A row of the basket as the screens, the API and the report show it."""

    values: dict
    price: Decimal  # after the INPC adjustment, when asked and possible
    adjusted: bool = False
    outlier: bool = False
    excluded: str = ""  # the reason a person gave to leave it out of the basket

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def band(self) -> int | None:
        return band(self.values["quantity"])

    @property
    def used(self) -> bool:
        return not self.excluded and not self.outlier


@dataclass
class Reference:
    """A basket and its statistics. ``rows`` are the first ``row_limit`` rows of the search, the
    most recent first (all of them when no limit was asked); ``rows_total`` counts them all."""

    rows: list[PriceRow]
    summary: Summary
    by_unit: list = field(default_factory=list)
    by_year: list = field(default_factory=list)
    by_state: list = field(default_factory=list)
    by_band: list = field(default_factory=list)
    inflation_requested: bool = False
    inflation_available: bool = False
    inflation_base: tuple[int, int] | None = None
    mixed_units: bool = False
    counted_rows: int | None = None  # rows_total when known without asking the database
    queryset: QuerySet | None = None  # the search, for the candidate suppliers
    adjuster: Adjuster | None = None
    # The CUCoP key when ``queryset`` is its whole basket, unadjusted: its supplier totals are
    # kept with its statistics (summaries.suppliers_of), and ``item_suppliers`` are those read.
    item: str = ""
    item_suppliers: list | None = None

    @property
    def excluded(self) -> list[PriceRow]:
        return [row for row in self.rows if row.excluded]

    @cached_property
    def rows_total(self) -> int:
        if self.counted_rows is not None or self.queryset is None:
            return len(self.rows) if self.counted_rows is None else self.counted_rows
        return self.queryset.count()

    def reference_price(self, method: str = MEDIAN) -> Decimal | None:
        return self.summary.reference(method) if self.summary.sufficient else None


def _without(rows: QuerySet, excluded_rows: dict, excluded_suppliers: dict) -> QuerySet:
    if excluded_rows:
        rows = rows.exclude(row_key__in=list(excluded_rows))
    if excluded_suppliers:
        rows = rows.exclude(supplier_key__in=list(excluded_suppliers))
    return rows


def price_reference(
    rows: QuerySet,
    *,
    adjust: bool = False,
    excluded_rows: dict[str, str] | None = None,
    excluded_suppliers: dict[str, str] | None = None,
    row_limit: int | None = None,
    groups: bool = True,
    item: str = "",
    suppliers: bool = False,
) -> Reference:
    """The basket of ``rows`` (a ``search``), with the exclusions of a market study applied.

    Excluded rows (``row_key`` → reason) and rows of excluded suppliers (``supplier_key`` →
    reason) stay visible with their reason but take no part in any statistic. The statistics
    are counted over every row (in PostgreSQL, indicadores/market/aggregates.py); only the
    ``row_limit`` most recent rows are read (None: all of them, as the report lists them).
    ``groups`` False leaves out the statistics by unit, year, state and band. ``item`` says that
    ``rows`` is the whole basket of that CUCoP key (summaries.whole_item): without adjustment or
    exclusions its statistics are the stored ones while its rows have not changed; with
    ``suppliers`` (the candidate list follows) its stored supplier totals are read with them.
    """
    excluded_rows, excluded_suppliers = excluded_rows or {}, excluded_suppliers or {}
    adjuster = Adjuster.current() if adjust else Adjuster({})
    if item and not adjust and not excluded_rows and not excluded_suppliers:
        counted = summaries.statistics_of(item, rows.order_by(), suppliers=suppliers)
    else:
        counted = aggregates.statistics(
            _without(rows, excluded_rows, excluded_suppliers).order_by(), adjuster, groups=groups
        )
    ordered = rows.order_by("-date", "pk").values(*ROW_FIELDS)
    if row_limit is not None:
        ordered = ordered[:row_limit]
    basket = []
    for values in ordered.iterator(chunk_size=2000) if row_limit is None else ordered:
        price, adjusted = adjuster.adjust(values["unit_price"], values["date"])
        reason = excluded_rows.get(values["row_key"]) or excluded_suppliers.get(
            values["supplier_key"], ""
        )
        row = PriceRow(values=values, price=price, adjusted=adjusted, excluded=reason)
        row.outlier = not reason and counted.summary.is_outlier(price)
        basket.append(row)
    # A page shorter than the limit is the whole basket, and without exclusions the statistics
    # counted every row: no need to count them again.
    if row_limit is None or len(basket) < row_limit:
        counted_rows = len(basket)
    elif not excluded_rows and not excluded_suppliers:
        counted_rows = counted.summary.count
    else:
        counted_rows = None  # rows_total asks the database
    return Reference(
        rows=basket,
        summary=counted.summary,
        by_unit=counted.groups["unit"],
        by_year=counted.groups["year"],
        by_state=counted.groups["state"],
        by_band=counted.groups["band"],
        inflation_requested=adjust,
        inflation_available=adjuster.available,
        inflation_base=adjuster.base,
        mixed_units=counted.mixed_units,
        counted_rows=counted_rows,
        queryset=rows,
        adjuster=adjuster,
        item="" if adjust else item,
        item_suppliers=counted.suppliers,
    )


# --- candidate suppliers -------------------------------------------------------------------------

# The candidate score (docs/mercado.md, «Proveedores candidatos»): four parts between 0 and 1,
# weighted, times 100. Experience is each supplier's share of the largest value among the
# candidates of the same basket; the price part compares its median with the basket's reference
# median. The integrity screening takes no part: a finding never moves a supplier up (nor down:
# it is shown with the supplier, and leaving it out of the basket is a person's act, with a reason).
SCORE_WEIGHTS = {
    "contracts": Decimal("0.35"),  # distinct processes where it sold the item
    "amount": Decimal("0.20"),  # amount of those rows: unit price × quantity
    "buyers": Decimal("0.20"),  # distinct buyers it sold the item to
    "price": Decimal("0.25"),  # its median unit price against the basket's median
}
NEUTRAL_PRICE = Decimal("0.5")  # no reference price (under 5 valid prices): the same for all
SCORE_PLACES = Decimal("0.1")


def price_part(ratio: Decimal | None) -> Decimal:
    """1 at or below the basket's median, 0.1 less for each 10 % above it, 0 at twice or more;
    ``NEUTRAL_PRICE`` when the basket has no reference price."""
    if ratio is None:
        return NEUTRAL_PRICE
    return min(Decimal(1), max(Decimal(0), 2 - ratio))


def _share(value, largest) -> Decimal:
    return Decimal(value) / Decimal(largest) if largest else Decimal(0)


@dataclass
class Candidate:
    """A supplier that sold the item: its experience and where its prices sit in the market."""

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
    price_ratio: Decimal | None  # its median / the basket's reference price
    sources: list[str]
    screening: object = None  # screening.Screening, for staff only
    excluded: str = ""
    score: Decimal = Decimal(0)  # 0–100, see SCORE_WEIGHTS
    score_parts: dict = field(default_factory=dict)  # part → its 0–1 value

    @property
    def price_position(self) -> str:
        if self.price_ratio is None:
            return ""
        return f"{(self.price_ratio - 1) * 100:+.1f} %"

    @property
    def score_explanation(self) -> str:
        parts = self.score_parts
        return _(
            "Procesos %(contracts)s × 35 %% + monto %(amount)s × 20 %% + compradores "
            "%(buyers)s × 20 %% + precio %(price)s × 25 %%"
        ) % {name: f"{parts[name]:.2f}" for name in SCORE_WEIGHTS}


def score(candidates: list[Candidate]) -> None:
    """Fill each candidate's ``score`` and ``score_parts`` (shares of the basket's largest)."""
    largest = {
        "contracts": max((c.contracts for c in candidates), default=0),
        "amount": max((c.amount for c in candidates), default=0),
        "buyers": max((c.buyers for c in candidates), default=0),
    }
    for candidate in candidates:
        parts = {name: _share(getattr(candidate, name), top) for name, top in largest.items()}
        parts["price"] = price_part(candidate.price_ratio)
        total = sum(SCORE_WEIGHTS[name] * value for name, value in parts.items()) * 100
        candidate.score_parts = parts
        candidate.score = total.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def _supplier_totals(reference: Reference) -> list:
    if reference.queryset is None:  # a basket given row by row: all its rows are at hand
        rows = ({**row.values, "price": row.price} for row in reference.rows)
        return aggregates.totals_from_rows(rows)
    if reference.item:  # a key's whole basket: its totals are kept (exclusions do not count)
        return summaries.suppliers_of(reference.item, reference.queryset, reference.item_suppliers)
    return aggregates.supplier_totals(reference.queryset, reference.adjuster)


def candidates(
    reference: Reference, *, excluded_suppliers: dict[str, str] | None = None
) -> list[Candidate]:
    """Suppliers of the basket's rows, highest score first (``SCORE_WEIGHTS``); equal scores by
    name. Screening is not an input: it is added afterwards and never changes the order. Their
    totals are counted over every row of the search (aggregates.supplier_totals), not only the
    rows shown."""
    market = reference.reference_price()
    found = []
    for totals in _supplier_totals(reference):
        median = q(totals.median_price)
        found.append(
            Candidate(
                key=totals.key,
                supplier_id=totals.supplier_id,
                name=totals.name,
                rfc=totals.rfc,
                contracts=totals.contracts,
                buyers=totals.buyers,
                amount=totals.amount,
                first_date=totals.first_date,
                last_date=totals.last_date,
                median_price=median,
                price_ratio=(median / market).quantize(Decimal("0.0001")) if market else None,
                sources=totals.sources,
                excluded=(excluded_suppliers or {}).get(totals.key, ""),
            )
        )
    score(found)
    return sorted(found, key=lambda c: (-c.score, c.name, c.key))


# --- a study's basket ----------------------------------------------------------------------------


@dataclass
class Basket:
    """Everything a study's screen and report show, computed from its stored inputs."""

    reference: Reference
    candidates: list[Candidate]
    method: str
    candidates_total: int = field(init=False)  # how many there were before ``shorten``

    def __post_init__(self):
        self.candidates_total = len(self.candidates)

    @property
    def reference_price(self) -> Decimal | None:
        return self.reference.reference_price(self.method)

    def shorten(self, limit: int) -> None:
        """Keep the ``limit`` highest-scored candidates, and those excluded by a person further
        down (a screen must show whom the study left out, and why)."""
        self.candidates = [
            candidate
            for place, candidate in enumerate(self.candidates)
            if place < limit or candidate.excluded
        ]


def _decimal(value) -> Decimal | None:
    return Decimal(value) if value not in (None, "") else None


def search_of(params: dict) -> QuerySet:
    """The price rows of a stored search (a study's ``search`` or a cleaned SearchForm)."""
    return search(
        clasificacion=params.get("clasificacion", ""),
        familia=params.get("familia", ""),
        texto=params.get("texto", ""),
        unidad=params.get("unidad", ""),
        anio=int(params["anio"]) if params.get("anio") else None,
        estado=params.get("estado", ""),
        cantidad_min=_decimal(params.get("cantidad_min")),
        cantidad_max=_decimal(params.get("cantidad_max")),
    )


def basket(
    params: dict, *, method: str = MEDIAN, exclusions=(), row_limit: int | None = None
) -> Basket:
    """The basket of a search with a study's exclusions (``Exclusion`` rows) applied; the rows
    read are the ``row_limit`` most recent (None: all, for the report)."""
    rows = {e.key: e.reason for e in exclusions if e.kind == "row"}
    suppliers = {e.key: e.reason for e in exclusions if e.kind == "supplier"}
    reference = price_reference(
        search_of(params),
        adjust=params.get("inpc") in ("True", "1", True),
        excluded_rows=rows,
        excluded_suppliers=suppliers,
        row_limit=row_limit,
        item=summaries.whole_item(params),
        suppliers=True,
    )
    return Basket(
        reference=reference,
        candidates=candidates(reference, excluded_suppliers=suppliers),
        method=method,
    )
