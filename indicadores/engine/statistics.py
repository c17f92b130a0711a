"""Measures the relative indicators need, their Tukey fences over the dataset, and their storage.

* ``bid_gap``: in an awarded competitive procedure, (lowest valid bid of the others − winning bid)
  / winning bid. Fences per CUCoP family (the first digits of the tender's first CUCoP item) and
  over all processes; R024 flags a gap below the lower fence, R058 one above the upper fence.
* ``unit_disqualified``: a purchasing unit's disqualified bids / submitted bids over all its
  competitive procedures; fences over the units; R038 flags a unit above the upper fence.
* ``bidder_disqualified``: a bidder's disqualified bids / submitted bids over every competitive
  procedure it bid in (whatever the unit); fences over the bidders with enough bids; R038-LIC
  flags a bidder above the upper fence (a bidder nearly always disqualified may be a cover bid).
* ``bidder_set``: the sets of three or more bidders that met again and again in the competitive
  procedures of one unit, with who won each time; MX-ROTA flags a process of a recurring set
  whose wins rotate among its members.

Quartiles are the «inclusive» ones (linear interpolation, as Cardinal's pandas default); fences
are Q1 − k·IQR and Q3 + k·IQR with k = 1.5.
"""

import hashlib
import statistics
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from indicadores.engine.peers import group_of, supplier_key
from indicadores.engine.process import ProcessView, bids_of, winners_of
from indicadores.engine.stats_model import IndicatorStatistic

BID_GAP = "bid_gap"
UNIT_DISQUALIFIED = "unit_disqualified"
BIDDER_SET = "bidder_set"
BIDDER_DISQUALIFIED = "bidder_disqualified"
RUN = "run"  # one row per computation: says that statistics exist, and when
ALL = "*"
TUKEY_K = 1.5
FAMILY_DIGITS = 3
SUBMITTED = frozenset({"valid", "disqualified", "pending"})
COMPETITIVE = frozenset({"open", "selective"})  # the only procedures the measures judge


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
    if view.tender.get("procurementMethod") not in COMPETITIVE:
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
    if view.tender.get("procurementMethod") not in COMPETITIVE:
        return None
    submitted = [b for b in bids_of(view) if b.status in SUBMITTED]
    if not submitted:
        return None
    return len(submitted), sum(1 for b in submitted if b.status == "disqualified")


def bidder_key(party) -> str:
    """The stored key of a bidder across processes: its RFC, else its party id (hashed when it
    would not fit the 100 characters of the key column)."""
    key = supplier_key(party)
    if len(key) > 90:
        key = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    return f"bidder:{key}"


def bidder_disqualifications(view: ProcessView) -> dict[str, tuple]:
    """bidder key → (party, submitted, disqualified) in one competitive procedure."""
    if view.tender.get("procurementMethod") not in COMPETITIVE:
        return {}
    found: dict[str, tuple] = {}
    for bid in bids_of(view):
        if bid.status not in SUBMITTED:
            continue
        for party_id in sorted(bid.tenderers):
            party = view.party({"id": party_id})
            key = bidder_key(party)
            _party, submitted, disqualified = found.get(key, (party, 0, 0))
            found[key] = (party, submitted + 1, disqualified + (bid.status == "disqualified"))
    return found


def bidder_set_key(view: ProcessView) -> tuple[str, list[str]] | None:
    """(key, sorted bidder ids) of a competitive procedure with three or more bidders."""
    if view.tender.get("procurementMethod") not in COMPETITIVE:
        return None
    bidders = set()
    for bid in bids_of(view):
        if bid.status in SUBMITTED:
            bidders |= bid.tenderers
    if len(bidders) < 3:
        return None
    members = sorted(bidders)
    digest = hashlib.sha1("\n".join(members).encode(), usedforsecurity=False).hexdigest()[:20]
    kind, pk = group_of(view.unit_id, view.entity_id)
    return f"{kind}:{pk}:{digest}", members


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
        self.bidders: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.sets: dict[str, dict] = {}

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
        for key, (_party, submitted, disqualified) in bidder_disqualifications(view).items():
            entry = self.bidders[key]
            entry[0] += submitted
            entry[1] += disqualified
        found = bidder_set_key(view)
        if found is not None:
            key, members = found
            entry = self.sets.setdefault(key, {"tenderers": members, "wins": {}, "ocids": []})
            for winner in sorted(winners_of(view)):
                entry["wins"][winner] = entry["wins"].get(winner, 0) + 1
            entry["ocids"].append(view.ocid)

    def state(self) -> tuple:
        """What it accumulated, as plain values (a worker of a parallel run sends it back)."""
        return dict(self.gaps), dict(self.units), dict(self.bidders), self.sets

    def merge(self, state: tuple) -> None:
        """Add what another collector saw of the records that follow this one's (merged in
        primary-key order, the stored rows are the same as one collector's over all)."""
        gaps, units, bidders, sets = state
        for key, values in gaps.items():
            self.gaps[key] += values
        for mine, theirs in ((self.units, units), (self.bidders, bidders)):
            for key, (submitted, disqualified) in theirs.items():
                entry = mine[key]
                entry[0] += submitted
                entry[1] += disqualified
        for key, entry in sets.items():
            current = self.sets.setdefault(
                key, {"tenderers": entry["tenderers"], "wins": {}, "ocids": []}
            )
            for winner, count in entry["wins"].items():
                current["wins"][winner] = current["wins"].get(winner, 0) + count
            current["ocids"] += entry["ocids"]

    def rows(
        self, *, min_bids: int, min_processes: int = 3, min_bidder_bids: int = 3
    ) -> list[IndicatorStatistic]:
        now = timezone.now()
        rows = [_row(RUN, ALL, 0, {}, now)]
        for key, entry in self.sets.items():
            if len(entry["ocids"]) >= min_processes:
                values = {**entry, "ocids": sorted(entry["ocids"])[:50]}
                rows.append(_row(BIDDER_SET, key, len(entry["ocids"]), values, now))
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
        return rows + self._bidder_rows(min_bidder_bids, now)

    def _bidder_rows(self, min_bids: int, now) -> list[IndicatorStatistic]:
        """One row per bidder with at least ``min_bids`` bids (the others are not judged, and
        at national scale most bidders bid once), and the fences over them."""
        rows, ratios = [], []
        for key, (submitted, disqualified) in self.bidders.items():
            if submitted < min_bids:
                continue
            ratio = disqualified / submitted
            values = {"submitted": submitted, "disqualified": disqualified, "ratio": ratio}
            rows.append(_row(BIDDER_DISQUALIFIED, key, submitted, values, now))
            ratios.append(ratio)
        computed = fences(ratios)
        if computed:
            rows.append(_row(BIDDER_DISQUALIFIED, ALL, len(ratios), computed, now))
        return rows

    @transaction.atomic
    def store(self, *, min_bids: int, min_processes: int = 3, min_bidder_bids: int = 3) -> int:
        """Replace every stored statistic with these (all or nothing)."""
        rows = self.rows(
            min_bids=min_bids, min_processes=min_processes, min_bidder_bids=min_bidder_bids
        )
        IndicatorStatistic.objects.all().delete()
        IndicatorStatistic.objects.bulk_create(rows, batch_size=1000)
        return len(rows)


def _bid_gaps() -> dict:
    rows = IndicatorStatistic.objects.filter(measure=BID_GAP).values_list(
        "key", "sample", "values", "computed_at"
    )
    return {key: (sample, values, computed_at) for key, sample, values, computed_at in rows}


class StoredStatistics:
    """The statistics a batch needs: every bid-gap fence, its units' rows and its bidder sets
    (three queries; the fences once per run when the batch belongs to one: a run stores the
    statistics before it evaluates, and reading every fence again for each batch was ≈ 3 % of
    the nightly run)."""

    def __init__(self, processes: list[ProcessView], run_cache: dict | None = None):
        if run_cache is None:
            self.gaps = _bid_gaps()
        else:
            if "bid_gaps" not in run_cache:
                run_cache["bid_gaps"] = _bid_gaps()
            self.gaps = run_cache["bid_gaps"]
        units = {
            f"{kind}:{pk}" for kind, pk in (group_of(v.unit_id, v.entity_id) for v in processes)
        }
        rows = IndicatorStatistic.objects.filter(
            measure=UNIT_DISQUALIFIED, key__in=units | {ALL}
        ).values_list("key", "sample", "values", "computed_at")
        self.units = {
            key: (sample, values, computed_at) for key, sample, values, computed_at in rows
        }
        keys = {found[0] for found in map(bidder_set_key, processes) if found}
        rows = IndicatorStatistic.objects.filter(
            Q(measure=BIDDER_SET, key__in=keys) | Q(measure=RUN)
        ).values_list("measure", "key", "sample", "values", "computed_at")
        self.sets, self.computed_at = {}, None
        for measure, key, sample, values, computed_at in rows:
            if measure == RUN:
                self.computed_at = computed_at
            else:
                self.sets[key] = (sample, values, computed_at)


def stored(context) -> StoredStatistics:
    return context.part(
        "statistics", lambda processes: StoredStatistics(processes, context.run_cache)
    )


class BidderStatistics:
    """The rows of the batch's bidders and the fences over all bidders (one query), read only
    when R038-LIC is evaluated."""

    def __init__(self, processes: list[ProcessView]):
        keys = {key for view in processes for key in bidder_disqualifications(view)}
        rows = IndicatorStatistic.objects.filter(
            Q(measure=BIDDER_DISQUALIFIED, key__in=keys | {ALL}) | Q(measure=RUN)
        ).values_list("measure", "key", "sample", "values", "computed_at")
        self.bidders, self.overall, self.computed_at = {}, None, None
        for measure, key, sample, values, computed_at in rows:
            if measure == RUN:
                self.computed_at = computed_at
            elif key == ALL:
                self.overall = (sample, values, computed_at)
            else:
                self.bidders[key] = (sample, values, computed_at)


def bidder_statistics(context) -> BidderStatistics:
    return context.part("bidder_statistics", BidderStatistics)
