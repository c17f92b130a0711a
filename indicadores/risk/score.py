"""The index, its components and the data-quality score, derived from a summed tally.

* A measure's value is numerator ÷ denominator, or *not computable* when no process was eligible.
* A component is the mean of its computable measures (0–100), not computable if none is.
* The index is the mean of the computable components (0–100); how many of the four entered is
  shown beside it, so an entity whose data allow little to be measured cannot look clean.
* The quality score is the mean of the computable quality checks' pass rates (0–100). It is shown
  next to the index and never averaged into it.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.functional import Promise

from indicadores.engine import conf
from indicadores.engine.core import indicators
from indicadores.risk.measures import (
    COMPONENT_NAMES,
    COMPONENTS,
    MEASURES,
    QUALITY_CHECKS,
    Measure,
    QualityCheck,
)
from indicadores.risk.tally import Tally


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


@dataclass
class MeasureValue:
    measure: Measure
    numerator: float
    denominator: float
    eligible: int

    @property
    def value(self) -> float | None:
        """The share in risk direction (0–1); None when nothing was eligible."""
        if not self.eligible or not self.denominator:
            return None
        return min(1.0, self.numerator / self.denominator)

    @property
    def percent(self) -> float | None:
        return _percent(self.value)

    @property
    def average_bidders(self) -> float | None:
        """For «pocos licitantes»: the average the share is the inverse of."""
        if self.measure.key != "few_bidders" or not self.numerator:
            return None
        return round(self.denominator / self.numerator, 2)


@dataclass
class ComponentValue:
    """One component's measures. What is derived from them is worked out once: rebuilding the
    risk aggregates derives every row's columns (100,000 cut rows at 100,000 processes), and
    asking each measure again for every property was ≈ 70 calls per row."""

    key: str
    measures: list[MeasureValue]

    @property
    def name(self) -> str | Promise:
        return COMPONENT_NAMES[self.key]

    @cached_property
    def computable(self) -> list[MeasureValue]:
        return [m for m in self.measures if m.value is not None]

    @cached_property
    def raw(self) -> float | None:
        """Mean of the computable measures (0–1), unrounded."""
        return _mean([m.value for m in self.computable])

    @property
    def value(self) -> float | None:
        return _percent(self.raw)


@dataclass
class CheckValue:
    check: QualityCheck
    passed: int
    applicable: int

    @property
    def value(self) -> float | None:
        return _percent(self.passed / self.applicable) if self.applicable else None


@dataclass
class IndicatorRow:
    code: str
    name: str | Promise
    eligible: int
    flagged: int
    not_computable: int

    @property
    def share(self) -> float | None:
        return self.flagged / self.eligible if self.eligible else None

    @property
    def review_thresholds(self) -> bool:
        return self.share is not None and self.share > conf.review_share()


@dataclass
class Score:
    """Everything shown about a set of processes (a unit's year, an entity, a filter)."""

    tally: Tally
    components: list[ComponentValue] = field(default_factory=list)
    checks: list[CheckValue] = field(default_factory=list)

    @classmethod
    def of(cls, tally: Tally) -> "Score":
        values = {m.key: MeasureValue(m, *(_triple(tally.get(f"m:{m.key}")))) for m in MEASURES}
        components = [
            ComponentValue(key, [v for v in values.values() if v.measure.component == key])
            for key in COMPONENTS
        ]
        checks = [CheckValue(c, *_pair(tally.get(f"q:{c.key}"))) for c in QUALITY_CHECKS]
        return cls(tally=tally, components=components, checks=checks)

    @property
    def processes(self) -> int:
        return int(self.tally.get("n", [0])[0])

    @property
    def amount(self) -> float:
        return self.tally.get("amount", [0])[0]

    @property
    def computable_components(self) -> list[ComponentValue]:
        return [c for c in self.components if c.value is not None]

    @property
    def index(self) -> float | None:
        return _percent(_mean([c.raw for c in self.computable_components]))

    @property
    def quality(self) -> float | None:
        values = [c.value for c in self.checks if c.value is not None]
        return round(sum(values) / len(values), 1) if values else None

    def component(self, key: str) -> ComponentValue:
        return next(c for c in self.components if c.key == key)

    def indicator_rows(self, *, only_applied: bool = True) -> list[IndicatorRow]:
        rows = []
        for item in indicators():
            eligible, flagged, not_computable = _triple(self.tally.get(f"i:{item.code}"))
            if only_applied and not (eligible or not_computable):
                continue
            rows.append(
                IndicatorRow(item.code, item.name, int(eligible), int(flagged), not_computable)
            )
        return rows

    def pairs(self) -> list[tuple[str, str, int]]:
        """(code, code, processes flagged by both), most frequent first."""
        found = [
            (*key[2:].split("|"), int(value[0]))
            for key, value in self.tally.items()
            if key.startswith("p:")
        ]
        return sorted(found, key=lambda row: (-row[2], row[0], row[1]))

    def as_dict(self) -> dict:
        """The public shape (API and public pages): index, components, measures, quality."""
        return {
            "processes": self.processes,
            "index": self.index,
            "componentsComputed": len(self.computable_components),
            "components": {
                c.key: {
                    "value": c.value,
                    "measures": {
                        m.measure.key: {
                            "value": m.percent,
                            "numerator": m.numerator,
                            "denominator": m.denominator,
                            "eligible": m.eligible,
                        }
                        for m in c.measures
                    },
                }
                for c in self.components
            },
            "quality": {
                "value": self.quality,
                "checks": {
                    c.check.key: {"value": c.value, "passed": c.passed, "applicable": c.applicable}
                    for c in self.checks
                },
            },
            "indicators": [
                {
                    "code": row.code,
                    "eligible": row.eligible,
                    "flagged": row.flagged,
                    "notComputable": row.not_computable,
                }
                for row in self.indicator_rows()
            ],
        }


def _triple(values) -> tuple:
    values = list(values or [0, 0, 0]) + [0, 0, 0]
    return values[0], values[1], int(values[2])


def _pair(values) -> tuple[int, int]:
    values = list(values or [0, 0]) + [0, 0]
    return int(values[0]), int(values[1])
