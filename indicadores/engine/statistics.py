"""Measures the relative indicators need, their Tukey fences over the dataset, and their storage.

* ``bid_gap``: in an awarded competitive procedure, (lowest valid bid of the others − winning bid)
  / winning bid. Fences per CUCoP family (the first digits of the tender's first CUCoP item) and
  over all processes; R024 flags a gap below the lower fence, R058 one above the upper fence.
* ``unit_disqualified``: a purchasing unit's disqualified bids / submitted bids over all its
  competitive procedures; fences over the units; R038 flags a unit above the upper fence.

Quartiles are the «inclusive» ones (linear interpolation, as Cardinal's pandas default); fences
are Q1 − k·IQR and Q3 + k·IQR with k = 1.5.
"""

import statistics
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from indicadores.engine.peers import group_of
from indicadores.engine.process import ProcessView, bids_of, winners_of
from indicadores.engine.stats_model import IndicatorStatistic

BID_GAP = "bid_gap"
UNIT_DISQUALIFIED = "unit_disqualified"
ALL = "*"
TUKEY_K = 1.5
FAMILY_DIGITS = 3
SUBMITTED = frozenset({"valid", "disqualified", "pending"})


def family(view: ProcessView) -> str:
    """«cucop:<first digits>» of the tender's first CUCoP item; "" when none."""
    for item in view.tender.get("items") or []:
        classification = item.get("classification") if isinstance(item, dict) else None
        if isinstance(classification, dict) and str(classification.get("scheme", "")).upper() in {
            "CUCOP",
            "MX-CUCOP",
        }:
            code = str(classification.get("id") or "")
            if len(code) >= FAMILY_DIGITS:
                return f"cucop:{code[:FAMILY_DIGITS]}"
    return ""


def bid_gap(view: ProcessView) -> Decimal | None:
    """(lowest valid other bid − winning bid) / winning bid; None when it cannot be measured."""
    if view.tender.get("procurementMethod") not in {"open", "selective"}:
        return None
    winners = winners_of(view)
    valid = [b for b in bids_of(view) if b.status == "valid" and b.amount is not None]
    if not winners or len({b.currency for b in valid}) > 1:
        return None
    winning = [b.amount for b in valid if b.tenderers & winners]
    others = [b.amount for b in valid if not b.tenderers & winners]
    if not winning or not others or min(winning) <= 0:
        return None
    won = min(winning)
    return (min(others) - won) / won


def disqualification(view: ProcessView) -> tuple[int, int] | None:
    """(submitted, disqualified) bids of a competitive procedure with bids."""
    if view.tender.get("procurementMethod") not in {"open", "selective"}:
        return None
    submitted = [b for b in bids_of(view) if b.status in SUBMITTED]
    if not submitted:
        return None
    return len(submitted), sum(1 for b in submitted if b.status == "disqualified")


def fences(values: list[float]) -> dict | None:
    if len(values) < 4:
        return None
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    iqr = q3 - q1
    return {
        "q1": round(q1, 6),
        "median": round(median, 6),
        "q3": round(q3, 6),
        "iqr": round(iqr, 6),
        "lower_fence": round(q1 - TUKEY_K * iqr, 6),
        "upper_fence": round(q3 + TUKEY_K * iqr, 6),
    }


def _row(measure, key, sample, values, computed_at):
    return IndicatorStatistic(
        measure=measure, key=key, sample=sample, values=values, computed_at=computed_at
    )


class Collector:
    """Accumulates the measures of the processes it is shown, then stores their fences."""

    def __init__(self):
        self.gaps: dict[str, list[float]] = defaultdict(list)
        self.units: dict[str, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, view: ProcessView) -> None:
        gap = bid_gap(view)
        if gap is not None:
            self.gaps[ALL].append(float(gap))
            key = family(view)
            if key:
                self.gaps[key].append(float(gap))
        counts = disqualification(view)
        if counts is not None:
            kind, pk = group_of(view.unit_id, view.entity_id)
            entry = self.units[f"{kind}:{pk}"]
            entry[0] += counts[0]
            entry[1] += counts[1]

    def rows(self, *, min_bids: int) -> list[IndicatorStatistic]:
        now = timezone.now()
        rows = []
        for key, values in self.gaps.items():
            computed = fences(values)
            if computed:
                rows.append(_row(BID_GAP, key, len(values), computed, now))
        ratios = []
        for key, (submitted, disqualified) in self.units.items():
            ratio = disqualified / submitted
            values = {"submitted": submitted, "disqualified": disqualified, "ratio": ratio}
            rows.append(_row(UNIT_DISQUALIFIED, key, submitted, values, now))
            if submitted >= min_bids:
                ratios.append(ratio)
        computed = fences(ratios)
        if computed:
            rows.append(_row(UNIT_DISQUALIFIED, ALL, len(ratios), computed, now))
        return rows

    @transaction.atomic
    def store(self, *, min_bids: int) -> int:
        """Replace every stored statistic with these (all or nothing)."""
        rows = self.rows(min_bids=min_bids)
        IndicatorStatistic.objects.all().delete()
        IndicatorStatistic.objects.bulk_create(rows, batch_size=1000)
        return len(rows)


class StoredStatistics:
    """The statistics a batch needs: every bid-gap fence and its units' rows (two queries)."""

    def __init__(self, processes: list[ProcessView]):
        rows = IndicatorStatistic.objects.filter(measure=BID_GAP).values_list(
            "key", "sample", "values", "computed_at"
        )
        self.gaps = {
            key: (sample, values, computed_at) for key, sample, values, computed_at in rows
        }
        units = {
            f"{kind}:{pk}" for kind, pk in (group_of(v.unit_id, v.entity_id) for v in processes)
        }
        rows = IndicatorStatistic.objects.filter(
            measure=UNIT_DISQUALIFIED, key__in=units | {ALL}
        ).values_list("key", "sample", "values", "computed_at")
        self.units = {
            key: (sample, values, computed_at) for key, sample, values, computed_at in rows
        }


def stored(context) -> StoredStatistics:
    return context.part("statistics", StoredStatistics)
