"""Statistics of a price basket (docs/mercado.md, «Estadísticas»): exact decimal arithmetic.

* Quartiles are the «inclusive» ones (linear interpolation between order statistics, position
  p·(n − 1)), as the engine's fences (indicadores/engine/statistics.py) and pandas' default.
* Tukey fences: Q1 − 1.5·IQR and Q3 + 1.5·IQR; a price outside them is an outlier.
* Trimmed mean: the mean of the prices inside the fences (the outliers trimmed).
* With fewer than ``MIN_PRICES`` prices nothing is computed and no price is called an outlier: a
  quartile of four numbers says nothing about a market.
* The reference price of a method is computed over the prices inside the fences: median (the
  default), mean (the trimmed mean) or the lowest valid price.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MIN_PRICES = 5
TUKEY_K = Decimal("1.5")
PLACES = Decimal("0.0001")

MEDIAN, MEAN, LOWEST = "median", "mean", "lowest"
METHODS = {
    MEDIAN: gettext_lazy("Mediana de los precios válidos"),
    MEAN: gettext_lazy("Media de los precios válidos (sin atípicos)"),
    LOWEST: gettext_lazy("Precio válido más bajo"),
}


def q(value: Decimal) -> Decimal:
    return value.quantize(PLACES, rounding=ROUND_HALF_EVEN)


def position(count: int, p: Decimal) -> tuple[int, Decimal]:
    """(index of the lower neighbour, fraction towards the next) of the inclusive quantile p of
    ``count`` ordered values: position p·(n − 1). The supplier medians counted in PostgreSQL
    (indicadores/market/aggregates.py) pick the same two neighbours and interpolate here."""
    spot = p * (count - 1)
    low = int(spot)
    return low, spot - low


def interpolate(low_value: Decimal, high_value: Decimal, fraction: Decimal) -> Decimal:
    return low_value + (high_value - low_value) * fraction


def quantile(ordered: list[Decimal], p: Decimal) -> Decimal:
    """Inclusive quantile of an ascending list: interpolate at position p·(n − 1)."""
    low, fraction = position(len(ordered), p)
    if low + 1 >= len(ordered):
        return ordered[low]
    return interpolate(ordered[low], ordered[low + 1], fraction)


def insufficient_message(count: int) -> str:
    return _(
        "Hay %(count)s precios; se necesitan al menos %(minimum)s para calcular estadísticas y "
        "marcar atípicos."
    ) % {"count": count, "minimum": MIN_PRICES}


@dataclass(frozen=True)
class Summary:
    """What a basket says: descriptive statistics, fences and the reference prices."""

    count: int
    sufficient: bool
    minimum: Decimal | None = None
    p25: Decimal | None = None
    median: Decimal | None = None
    p75: Decimal | None = None
    maximum: Decimal | None = None
    trimmed_mean: Decimal | None = None
    lower_fence: Decimal | None = None
    upper_fence: Decimal | None = None
    outliers: int = 0
    valid_median: Decimal | None = None
    valid_lowest: Decimal | None = None

    def is_outlier(self, price: Decimal) -> bool:
        if not self.sufficient:
            return False
        return price < self.lower_fence or price > self.upper_fence

    def reference(self, method: str = MEDIAN) -> Decimal | None:
        return {MEDIAN: self.valid_median, MEAN: self.trimmed_mean, LOWEST: self.valid_lowest}[
            method
        ]

    def as_dict(self) -> dict:
        data = {"count": self.count, "sufficient": self.sufficient}
        if not self.sufficient:
            return data | {"message": insufficient_message(self.count)}
        return data | {
            "min": float(self.minimum),
            "p25": float(self.p25),
            "median": float(self.median),
            "p75": float(self.p75),
            "max": float(self.maximum),
            "trimmed_mean": float(self.trimmed_mean),
            "lower_fence": float(self.lower_fence),
            "upper_fence": float(self.upper_fence),
            "outliers": self.outliers,
            "reference": {
                MEDIAN: float(self.valid_median),
                MEAN: float(self.trimmed_mean),
                LOWEST: float(self.valid_lowest),
            },
        }


def summarise(prices: Iterable[Decimal]) -> Summary:
    ordered = sorted(Decimal(price) for price in prices)
    if len(ordered) < MIN_PRICES:
        return Summary(count=len(ordered), sufficient=False)
    p25 = quantile(ordered, Decimal("0.25"))
    p75 = quantile(ordered, Decimal("0.75"))
    iqr = p75 - p25
    lower, upper = p25 - TUKEY_K * iqr, p75 + TUKEY_K * iqr
    inside = [price for price in ordered if lower <= price <= upper]
    return Summary(
        count=len(ordered),
        sufficient=True,
        minimum=q(ordered[0]),
        p25=q(p25),
        median=q(quantile(ordered, Decimal("0.5"))),
        p75=q(p75),
        maximum=q(ordered[-1]),
        trimmed_mean=q(sum(inside) / len(inside)),
        lower_fence=q(lower),
        upper_fence=q(upper),
        outliers=len(ordered) - len(inside),
        valid_median=q(quantile(inside, Decimal("0.5"))),
        valid_lowest=q(inside[0]),
    )


# --- quantity bands ------------------------------------------------------------------------------

BANDS = {
    0: gettext_lazy("menos de 10"),
    1: gettext_lazy("10 a 99"),
    2: gettext_lazy("100 a 999"),
    3: gettext_lazy("1,000 a 9,999"),
    4: gettext_lazy("10,000 o más"),
}


def band(quantity: Decimal | None) -> int | None:
    """Order of magnitude of a quantity (0: under 10 … 4: 10,000 or more); None if unknown."""
    if quantity is None or quantity <= 0:
        return None
    return min(max(Decimal(quantity).adjusted(), 0), 4)


def grouped(rows: Iterable, key: Callable, price: Callable) -> list[tuple[object, Summary]]:
    """A summary per value of ``key`` (None keys left out), in key order."""
    groups: dict[object, list[Decimal]] = defaultdict(list)
    for row in rows:
        value = key(row)
        if value is not None and value != "":
            groups[value].append(price(row))
    return [(value, summarise(groups[value])) for value in sorted(groups)]
