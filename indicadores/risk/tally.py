"""One process's contribution to the risk index, as additive counts (its *tally*).

A tally is a dict of lists of numbers; summing the tallies of a set of processes gives the set's
(``add``), and taking one away undoes it (``subtract``), so a publication updates a year's
aggregate by the difference between the process's old and new tally. Keys:

* ``n`` — [processes]; ``amount`` — [amount in pesos];
* ``m:<measure>`` — [numerator, denominator, eligible processes] (measures.MEASURES);
* ``i:<code>`` — [eligible, flagged, not computable] per indicator (as the engine's summary);
* ``q:<check>`` — [passed, applicable] (measures.QUALITY_CHECKS);
* ``p:<code>|<code>`` — [processes flagged by both] (co-occurrence, codes in order).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from indicadores.engine.process import ProcessView, amount, as_dict, to_date
from indicadores.outcomes import Outcome, OutcomeStatus, indicator_statuses
from indicadores.risk.measures import MEASURES, NOT_COMPETITIVE

Tally = dict[str, list[float]]
PESOS = frozenset({"", "MXN"})


def add(total: Tally, other: Tally, sign: int = 1) -> Tally:
    """``total`` += ``other`` (× sign), in place; keys that fall to zero are dropped."""
    for key, values in other.items():
        current = total.get(key)
        if current is None:
            # A new key is the other's values (× sign), as adding them to zeros would give: the
            # usual case when a rebuild sums tallies into new cells, without the loop below.
            current = [sign * v if type(v) is int else _tidy(sign * v) for v in values]
            if any(current):
                total[key] = current
            continue
        for index, value in enumerate(values):
            before = current[index]
            if type(before) is int and type(value) is int:
                current[index] = before + sign * value  # what _tidy would give, without rounding
            else:
                current[index] = _tidy(before + sign * value)
        if not any(current):
            del total[key]
    return total


def subtract(total: Tally, other: Tally) -> Tally:
    return add(total, other, -1)


def summed(tallies: Iterable[Tally]) -> Tally:
    total: Tally = {}
    for tally in tallies:
        add(total, tally)
    return total


def accumulate(total: Tally, other: Tally) -> None:
    """``total`` += ``other`` in place, without tidying: for summing many tallies quickly (the
    dashboard's), followed by one ``tidied``."""
    for key, values in other.items():
        current = total.get(key)
        if current is None:
            total[key] = list(values)
        else:
            total[key] = [a + b for a, b in zip(current, values, strict=True)]


def tidied(total: Tally) -> Tally:
    """``total`` with its sums rounded as ``add`` rounds them and the keys at zero dropped."""
    rounded = {key: [_tidy(value) for value in values] for key, values in total.items()}
    return {key: values for key, values in rounded.items() if any(values)}


def _tidy(value: float) -> float:
    # Amounts are stored as floats in JSON; keep integers integral and rounding noise out.
    rounded = round(value, 4)
    return int(rounded) if rounded == int(rounded) else rounded


# --- one process ------------------------------------------------------------------------------


def process_amount(view: ProcessView) -> Decimal | None:
    """Awarded, else contracted, else estimated amount in pesos (the public pages' order)."""
    awarded = [a.get("value") for a in view.active_awards]
    contracted = [c.get("value") for c in view.contract_rows if c.get("status") != "cancelled"]
    for values in (awarded, contracted, [view.tender.get("value")]):
        amounts = [amount(v) for v in values if as_dict(v).get("currency", "") in PESOS]
        amounts = [a for a in amounts if a is not None]
        if amounts:
            return sum(amounts, Decimal(0))
    return None


def reference_year(view: ProcessView, fallback: datetime.date) -> int:
    """The year a process counts in: its tender start, else award, else signature, else the
    date of its latest release (the public pages' «por año»)."""
    signed = [c.date_signed for c in view.contracts if c.date_signed]
    for date in (view.tender_start, view.award_date, min(signed, default=None)):
        if date:
            return date.year
    return fallback.year


def tally_of(
    view: ProcessView,
    outcomes: list[Outcome],
    *,
    s2_recorded: bool | None,
    statuses: dict[str, str] | None = None,
) -> tuple[Tally, list[str]]:
    """The process's tally and its flagged indicator codes.

    ``s2_recorded``: whether S2 registers a servant in this procedure (None: S2 not mirrored).
    ``statuses``: ``indicator_statuses(outcomes)`` when the caller has it already.
    """
    statuses = indicator_statuses(outcomes) if statuses is None else statuses
    method = str(view.tender.get("procurementMethod") or "")
    total = process_amount(view)
    tally: Tally = {"n": [1]}
    if total is not None:
        tally["amount"] = [float(total)]
    for code, status in statuses.items():
        tally[f"i:{code}"] = [
            int(status != OutcomeStatus.NOT_COMPUTABLE),
            int(status == OutcomeStatus.FLAGGED),
            int(status == OutcomeStatus.NOT_COMPUTABLE),
        ]
    _measures(tally, view, method, total, statuses, outcomes)
    _quality(tally, view, s2_recorded)
    flagged = sorted(code for code, status in statuses.items() if status == OutcomeStatus.FLAGGED)
    for index, first in enumerate(flagged):
        for second in flagged[index + 1 :]:
            tally[f"p:{first}|{second}"] = [1]
    return {key: value for key, value in tally.items() if any(value)}, flagged


def _measures(tally, view, method, total, statuses, outcomes) -> None:
    for measure in MEASURES:
        if measure.code:
            status = statuses.get(measure.code)
            if status in (OutcomeStatus.FLAGGED, OutcomeStatus.NOT_FLAGGED):
                flagged = int(status == OutcomeStatus.FLAGGED)
                tally[f"m:{measure.key}"] = [flagged, 1, 1]
    if method:
        direct = method in NOT_COMPETITIVE
        tally["m:direct_count"] = [int(direct), 1, 1]
        if total is not None and total > 0:
            tally["m:direct_amount"] = [float(total) if direct else 0, float(total), 1]
    bidders = bidders_counted(outcomes)
    if bidders:
        # 1 ÷ average bidders = processes ÷ bidders, summed over processes.
        tally["m:few_bidders"] = [1, bidders, 1]
    applicable = sum(1 for s in statuses.values())
    missing = sum(1 for s in statuses.values() if s == OutcomeStatus.NOT_COMPUTABLE)
    if applicable:
        tally["m:missing_data"] = [missing, applicable, 1]


def bidders_counted(outcomes: list[Outcome]) -> int:
    """Tenderers of a competitive awarded process, as R018 counted them (0 if it could not)."""
    for outcome in outcomes:
        if outcome.code == "R018" and outcome.status != OutcomeStatus.NOT_COMPUTABLE:
            count = outcome.evidence.get("tenderers")
            return count if isinstance(count, int) and count > 0 else 0
    return 0


# --- data quality -----------------------------------------------------------------------------


def _quality(tally, view: ProcessView, s2_recorded: bool | None) -> None:
    checks = {
        "timeline": _timeline(view),
        "contract_award": _contract_award(view),
        "payments_contract": _payments_contract(view),
        "budget_tender": _budget_tender(view),
        "s2_servants": s2_recorded if view.active_awards else None,
    }
    for key, passed in checks.items():
        if passed is not None:
            tally[f"q:{key}"] = [int(passed), 1]


def _timeline(view: ProcessView) -> bool | None:
    contracts = [c for c in view.contracts if c.status != "cancelled"]
    signed = min((c.date_signed for c in contracts if c.date_signed), default=None)
    paid = min((p.date for c in contracts for p in c.payments if p.date), default=None)
    dates = [view.tender_start, view.tender_end, view.award_date, signed, paid]
    known = [date for date in dates if date]
    if len(known) < 2:
        return None
    return all(earlier <= later for earlier, later in zip(known, known[1:], strict=False))


def _within(value: Decimal | None, reference: Decimal | None) -> bool | None:
    if value is None or not reference:
        return None
    return Decimal("0.5") * reference <= value <= Decimal("1.5") * reference


def _contract_award(view: ProcessView) -> bool | None:
    awarded = [amount(a.get("value")) for a in view.active_awards]
    contracted = [c.amount for c in view.contracts if c.status != "cancelled"]
    if not awarded or not contracted or None in awarded or None in contracted:
        return None
    return _within(sum(contracted, Decimal(0)), sum(awarded, Decimal(0)))


def _payments_contract(view: ProcessView) -> bool | None:
    judged = []
    for contract in view.contracts:
        paid = [p.amount for p in contract.payments]
        if not paid or None in paid or contract.amount is None:
            continue
        judged.append(sum(paid, Decimal(0)) <= contract.amount)
    return all(judged) if judged else None


def _budget_tender(view: ProcessView) -> bool | None:
    budget = amount(as_dict(as_dict(view.release.get("planning")).get("budget")).get("amount"))
    return _within(budget, amount(view.tender.get("value")))


def first_release_date(view: ProcessView) -> datetime.date:
    return to_date(view.release.get("date")) or datetime.date.today()
