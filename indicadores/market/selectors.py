"""Reads of the market research: the price rows of a search and what they say.

A search names an item by its CUCoP key, its family or free text, and may narrow the unit of
measure, year, state, quantity range and currency. ``price_reference`` returns the rows (each
marked outlier or not, adjusted by the INPC when asked and possible) and the statistics of the
basket: overall, per unit of measure, per year, per state and per quantity band.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from indicadores.market.inflation import Adjuster
from indicadores.market.models import PriceObservation
from indicadores.market.statistics import (
    MEDIAN,
    Summary,
    band,
    grouped,
    q,
    quantile,
    summarise,
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
    for word in fold(texto).split():
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
    """A basket and its statistics."""

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

    @property
    def excluded(self) -> list[PriceRow]:
        return [row for row in self.rows if row.excluded]

    def reference_price(self, method: str = MEDIAN) -> Decimal | None:
        return self.summary.reference(method) if self.summary.sufficient else None


def price_reference(
    rows: QuerySet,
    *,
    adjust: bool = False,
    excluded_rows: dict[str, str] | None = None,
    excluded_suppliers: dict[str, str] | None = None,
) -> Reference:
    """The basket of ``rows`` (a ``search``), with the exclusions of a market study applied.

    Excluded rows (``row_key`` → reason) and rows of excluded suppliers (``supplier_key`` →
    reason) stay visible with their reason but take no part in any statistic.
    """
    excluded_rows, excluded_suppliers = excluded_rows or {}, excluded_suppliers or {}
    adjuster = Adjuster.current() if adjust else Adjuster({})
    basket = []
    for values in rows.order_by("-date", "pk").values(*ROW_FIELDS):
        price, adjusted = adjuster.adjust(values["unit_price"], values["date"])
        reason = excluded_rows.get(values["row_key"]) or excluded_suppliers.get(
            values["supplier_key"], ""
        )
        basket.append(PriceRow(values=values, price=price, adjusted=adjusted, excluded=reason))
    valid = [row for row in basket if not row.excluded]
    summary = summarise(row.price for row in valid)
    for row in valid:
        row.outlier = summary.is_outlier(row.price)
    return Reference(
        rows=basket,
        summary=summary,
        by_unit=grouped(valid, lambda r: r.unit_key, lambda r: r.price),
        by_year=grouped(valid, lambda r: r.year, lambda r: r.price),
        by_state=grouped(valid, lambda r: r.state, lambda r: r.price),
        by_band=grouped(valid, lambda r: r.band, lambda r: r.price),
        inflation_requested=adjust,
        inflation_available=adjuster.available,
        inflation_base=adjuster.base,
        mixed_units=len({row.unit_key for row in valid}) > 1,
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


def _source_label(row: PriceRow) -> str:
    return row.values["dataset__name"] or "local"


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


def candidates(
    reference: Reference, *, excluded_suppliers: dict[str, str] | None = None
) -> list[Candidate]:
    """Suppliers of the basket's rows, highest score first (``SCORE_WEIGHTS``); equal scores by
    name. Screening is not an input: it is added afterwards and never changes the order."""
    groups: dict[str, list[PriceRow]] = {}
    for row in reference.rows:
        if row.supplier_key:
            groups.setdefault(row.supplier_key, []).append(row)
    market = reference.reference_price()
    found = []
    for key, rows in groups.items():
        median = summarise_median([row.price for row in rows])
        dates = [row.date for row in rows if row.date]
        first = rows[0]
        found.append(
            Candidate(
                key=key,
                supplier_id=first.supplier_id,
                name=first.supplier_name,
                rfc=first.supplier_rfc,
                contracts=len({row.ocid for row in rows}),
                buyers=len({row.buyer_name for row in rows}),
                amount=sum((row.price * (row.quantity or 0) for row in rows), Decimal(0)),
                first_date=min(dates) if dates else None,
                last_date=max(dates) if dates else None,
                median_price=median,
                price_ratio=(median / market).quantize(Decimal("0.0001")) if market else None,
                sources=sorted({_source_label(row) for row in rows}),
                excluded=(excluded_suppliers or {}).get(key, ""),
            )
        )
    score(found)
    return sorted(found, key=lambda c: (-c.score, c.name, c.key))


def summarise_median(prices: list[Decimal]) -> Decimal:
    return q(quantile(sorted(prices), Decimal("0.5")))


# --- a study's basket ----------------------------------------------------------------------------


@dataclass
class Basket:
    """Everything a study's screen and report show, computed from its stored inputs."""

    reference: Reference
    candidates: list[Candidate]
    method: str

    @property
    def reference_price(self) -> Decimal | None:
        return self.reference.reference_price(self.method)


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


def basket(params: dict, *, method: str = MEDIAN, exclusions=()) -> Basket:
    """The basket of a search with a study's exclusions (``Exclusion`` rows) applied."""
    rows = {e.key: e.reason for e in exclusions if e.kind == "row"}
    suppliers = {e.key: e.reason for e in exclusions if e.kind == "supplier"}
    reference = price_reference(
        search_of(params),
        adjust=params.get("inpc") in ("True", "1", True),
        excluded_rows=rows,
        excluded_suppliers=suppliers,
    )
    return Basket(
        reference=reference,
        candidates=candidates(reference, excluded_suppliers=suppliers),
        method=method,
    )
