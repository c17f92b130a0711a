"""Competition and procedure indicators: periods, bids, legal maxima, splitting and concentration.

Bid-based indicators read ``bids/details`` (status, value, tenderers) and the active awards; they
are «not computable» when a competitive procedure was awarded without publishing its bids. The
set-level ones (MX-FRAC, MX-ADREP, MX-CONC) compare a process with the other published processes
of its purchasing unit (``indicadores.engine.peers``).
"""

import datetime
import functools
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext_lazy

from indicadores.engine.core import COMPETITION, Context, Indicator, register
from indicadores.engine.peers import PeerData, RunPeers, group_of, peer_of, supplier_key
from indicadores.engine.process import ProcessView, bids_of, iso, winners_of
from indicadores.engine.process import amount as read_amount
from indicadores.engine.statistics import (
    ALL,
    bid_gap,
    bidder_disqualifications,
    bidder_set_key,
    bidder_statistics,
    family,
    stored,
)
from indicadores.engine.text import gettext as _
from indicadores.engine.text import gettext_noop
from indicadores.indicators.legal import legal_maximum
from indicadores.outcomes import Severity
from ocds_pages.search import fold
from workflows.base.procedures import ProcedureType, Stage

COMPETITIVE_METHODS = frozenset({"open", "selective"})
FROM_TENDER = frozenset(Stage) - {Stage.PLANNING}
FROM_AWARD = frozenset(
    {
        Stage.AWARD,
        Stage.CONTRACT,
        Stage.IMPLEMENTATION,
        Stage.CONTRACT_AMENDMENT,
        Stage.CONTRACT_TERMINATION,
        Stage.IMPLEMENTATION_UPDATE,
    }
)
PRICE_ONLY = frozenset({"priceOnly", "lowestCost", "costOnly"})
NOT_SUBMITTED = frozenset({"invited", "withdrawn"})
METHOD_LABELS = {
    "direct": gettext_noop("adjudicación directa"),
    "selective": gettext_noop("invitación a cuando menos tres personas"),
}


def _money(value) -> str:
    return f"{Decimal(value):,.2f}"


def _number(value) -> float | None:
    """Decimals go to the evidence as numbers (JSON has no decimal type)."""
    return float(value) if value is not None else None


@functools.lru_cache(maxsize=8)
def _procedure_labels(language: str | None) -> dict[str, str]:
    """Folded Spanish label → ProcedureType value (labels are lazy: translate them once)."""
    return {fold(str(member.label)): member.value for member in ProcedureType}


@functools.lru_cache(maxsize=1024)
def _folded_details(details: str) -> str:
    """``fold`` of a procurementMethodDetails: an installation writes a handful of them, and
    folding one with accents costs ≈ 0.1 ms (docs/benchmarks.md, «Motor de indicadores»)."""
    return fold(details)


def procedure_type(view: ProcessView) -> str:
    """The ``ProcedureType`` of the process from tender/procurementMethodDetails; "open" for a
    public tender whose details do not say which one; "" otherwise."""
    details = _folded_details(str(view.tender.get("procurementMethodDetails") or ""))
    known = _procedure_labels(translation.get_language())
    if details in known:
        return known[details]
    method = view.tender.get("procurementMethod")
    if method == "open":
        for word, member in (
            ("tratado", ProcedureType.LP_TREATIES),
            ("internacional", ProcedureType.LP_INTERNATIONAL),
            ("nacional", ProcedureType.LP_NATIONAL),
        ):
            if word in details:
                return member.value
        return "open"
    return ""


def _awarded(view: ProcessView) -> bool:
    return bool(view.active_awards)


# --- R003 short submission period ---------------------------------------------------------------


def short_period(view: ProcessView, context: Context, indicator: Indicator):
    kind = procedure_type(view)
    minimum = indicator.thresholds.get(kind)
    if not view.tender or minimum is None:
        return []
    start, end = view.tender_start, view.tender_end
    evidence = {"procedure_type": kind, "minimum_days": minimum}
    if not start or not end:
        missing = [
            p
            for p, v in (
                ("tender/tenderPeriod/startDate", start),
                ("tender/tenderPeriod/endDate", end),
            )
            if not v
        ]
        return [indicator.unknown(missing, evidence=evidence)]
    days = (end - start).days
    evidence |= {"start": iso(start), "end": iso(end), "days": days}
    if days < minimum:
        explanation = _(
            "El periodo para presentar propuestas fue de %(days)s días; el mínimo para este "
            "procedimiento es de %(minimum)s."
        ) % {"days": days, "minimum": minimum}
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="R003",
        version=1,
        name=gettext_lazy("Periodo corto para presentar propuestas"),
        description=gettext_lazy(
            "Días naturales entre el inicio y el fin del periodo de propuestas por debajo del "
            "mínimo del procedimiento: 15 en la licitación nacional, 20 en la internacional "
            "abierta y 40 bajo la cobertura de tratados (LAASSP art. 32)."
        ),
        family=COMPETITION,
        stages=FROM_TENDER,
        data=(
            "tender/tenderPeriod/startDate",
            "tender/tenderPeriod/endDate",
            "tender/procurementMethod",
            "tender/procurementMethodDetails",
        ),
        source="OCP R003; Cardinal; IMCO; LAASSP art. 32",
        severity=Severity.MEDIUM,
        definition=short_period,
        defaults={"lp_nacional": 15, "lp_internacional": 20, "lp_tratados": 40, "open": 15},
    )
)


# --- R018 single bid ----------------------------------------------------------------------------


def _tenderer_count(view: ProcessView) -> tuple[int | None, str]:
    number = view.tender.get("numberOfTenderers")
    if isinstance(number, int) and not isinstance(number, bool) and number >= 0:
        return number, "tender/numberOfTenderers"
    submitted = [bid for bid in bids_of(view) if bid.status not in NOT_SUBMITTED]
    if submitted:
        return len(set().union(*(bid.tenderers for bid in submitted))), "bids/details"
    return None, ""


def single_bid(view: ProcessView, context: Context, indicator: Indicator):
    method = view.tender.get("procurementMethod")
    if method not in COMPETITIVE_METHODS or not _awarded(view):
        return []
    count, source = _tenderer_count(view)
    if count is None:
        return [indicator.unknown(["tender/numberOfTenderers", "bids/details"])]
    evidence = {"tenderers": count, "counted_from": source, "procurement_method": method}
    if count == indicator.thresholds["tenderers"]:
        explanation = _("Se recibió una sola propuesta en un procedimiento competitivo.")
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="R018",
        version=1,
        name=gettext_lazy("Una sola propuesta"),
        description=gettext_lazy(
            "Una licitación o invitación adjudicada con un solo licitante (tender/"
            "numberOfTenderers o, si falta, los licitantes de bids/details)."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=("tender/procurementMethod", "tender/numberOfTenderers", "bids/details", "awards"),
        source="OCP R018; Cardinal; DIGIWHIST INTEGRITY_SINGLE_BID; IMCO",
        severity=Severity.MEDIUM,
        definition=single_bid,
        defaults={"tenderers": 1},
    )
)


# --- bid-based helpers --------------------------------------------------------------------------


def _bid_evidence(bids) -> list[dict]:
    return [
        {
            "bid": bid.bid_id,
            "tenderers": sorted(bid.tenderers),
            "status": bid.status,
            "amount": _number(bid.amount),
            "currency": bid.currency,
        }
        for bid in bids
    ]


def _competitive_bids(view: ProcessView, indicator: Indicator, *, statuses=True):
    """(bids, outcome) — the submitted bids, or the not-computable outcome when they are
    missing; ([], None) when the indicator does not apply."""
    if view.tender.get("procurementMethod") not in COMPETITIVE_METHODS or not _awarded(view):
        return [], None
    bids = [bid for bid in bids_of(view) if bid.status not in NOT_SUBMITTED]
    if not bids:
        return [], indicator.unknown(["bids/details"])
    if statuses and any(not bid.status for bid in bids):
        return [], indicator.unknown(["bids/details/status"])
    return bids, None


# --- MX-NOTLOW award not to the lowest valid bid ------------------------------------------------


def not_lowest(view: ProcessView, context: Context, indicator: Indicator):
    bids, unknown = _competitive_bids(view, indicator)
    if unknown or not bids:
        return [unknown] if unknown else []
    criteria = view.tender.get("awardCriteria")
    if not criteria:
        return [indicator.unknown(["tender/awardCriteria"])]
    if criteria not in PRICE_ONLY:
        return []
    valid = [bid for bid in bids if bid.status == "valid" and bid.amount is not None]
    winners = winners_of(view)
    winning = [bid for bid in valid if bid.tenderers & winners]
    evidence = {"award_criteria": criteria, "bids": _bid_evidence(bids)}
    if not winning or len({bid.currency for bid in valid}) > 1:
        return [indicator.unknown(["bids/details/value", "awards/suppliers"], evidence=evidence)]
    lowest = min(bid.amount for bid in valid)
    won = min(bid.amount for bid in winning)
    evidence |= {"winning_amount": _number(won), "lowest_valid_amount": _number(lowest)}
    if won > lowest:
        explanation = _(
            "Con criterio de sólo precio, se adjudicó una propuesta de $%(won)s habiendo una "
            "válida de $%(lowest)s."
        ) % {"won": _money(won), "lowest": _money(lowest)}
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="MX-NOTLOW",
        version=1,
        name=gettext_lazy("No se adjudicó a la propuesta válida más baja"),
        description=gettext_lazy(
            "En un procedimiento competitivo con criterio de evaluación de sólo precio (binario), "
            "la propuesta ganadora no es la más baja de las válidas."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=("tender/awardCriteria", "bids/details/status", "bids/details/value", "awards"),
        source="IMCO (ganador más barato); OCP R036; LAASSP art. 36 Bis",
        severity=Severity.MEDIUM,
        definition=not_lowest,
    )
)


# --- R028 identical bid prices ------------------------------------------------------------------


def identical_prices(view: ProcessView, context: Context, indicator: Indicator):
    bids, unknown = _competitive_bids(view, indicator, statuses=False)
    if unknown or not bids:
        return [unknown] if unknown else []
    priced = [bid for bid in bids if bid.amount is not None]
    if len(priced) < 2:
        return [indicator.unknown(["bids/details/value"], evidence={"bids": _bid_evidence(bids)})]
    seen: dict[tuple, set[str]] = {}
    for bid in priced:
        seen.setdefault((bid.amount, bid.currency), set()).update(bid.tenderers)
    repeated = {key: who for key, who in seen.items() if len(who) >= 2}
    evidence = {"bids": _bid_evidence(priced)}
    if repeated:
        (amount, currency), who = next(iter(repeated.items()))
        evidence["identical"] = [
            {"amount": _number(a), "currency": c, "tenderers": sorted(w)}
            for (a, c), w in repeated.items()
        ]
        explanation = _("%(count)s licitantes distintos ofrecieron exactamente $%(amount)s.") % {
            "count": len(who),
            "amount": _money(amount),
        }
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="R028",
        version=1,
        name=gettext_lazy("Propuestas con precios idénticos"),
        description=gettext_lazy(
            "Dos o más licitantes distintos presentaron el mismo monto en la misma moneda."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=("bids/details/value", "bids/details/tenderers"),
        source="OCP R028; Cardinal",
        severity=Severity.MEDIUM,
        definition=identical_prices,
    )
)


# --- R035 all but the winner disqualified / R036 lowest bid disqualified -----------------------


def all_but_winner_disqualified(view: ProcessView, context: Context, indicator: Indicator):
    bids, unknown = _competitive_bids(view, indicator)
    if unknown or not bids:
        return [unknown] if unknown else []
    winners = winners_of(view)
    valid = [bid for bid in bids if bid.status == "valid"]
    others = [bid for bid in bids if not bid.tenderers & winners]
    disqualified = [bid for bid in others if bid.status == "disqualified"]
    evidence = {"bids": _bid_evidence(bids), "disqualified": len(disqualified)}
    only_winners = bool(valid) and all(bid.tenderers <= winners for bid in valid)
    if (
        only_winners
        and others
        and len(disqualified) == len(others)
        and len(disqualified) >= indicator.thresholds["min_disqualified"]
    ):
        if len(disqualified) == 1:
            explanation = _("Se descalificó la única propuesta distinta de la ganadora.")
        else:
            explanation = _(
                "Se descalificaron las %(count)s propuestas distintas de la ganadora."
            ) % {"count": len(disqualified)}
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="R035",
        version=1,
        name=gettext_lazy("Todas las propuestas descalificadas salvo la ganadora"),
        description=gettext_lazy(
            "La única propuesta válida es la del ganador y se descalificaron todas las demás "
            "(al menos «min_disqualified»)."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=("bids/details/status", "bids/details/tenderers", "awards/suppliers"),
        source="OCP R035; Cardinal; ProZorro RISK-2-4",
        severity=Severity.MEDIUM,
        definition=all_but_winner_disqualified,
        defaults={"min_disqualified": 1},
    )
)


def lowest_disqualified(view: ProcessView, context: Context, indicator: Indicator):
    bids, unknown = _competitive_bids(view, indicator)
    if unknown or not bids:
        return [unknown] if unknown else []
    priced = [bid for bid in bids if bid.amount is not None]
    valid = [bid for bid in priced if bid.status == "valid"]
    evidence = {"bids": _bid_evidence(bids)}
    if not valid or len({bid.currency for bid in priced}) > 1:
        return [indicator.unknown(["bids/details/value"], evidence=evidence)]
    lowest = min(priced, key=lambda bid: bid.amount)
    evidence["lowest"] = {"bid": lowest.bid_id, "amount": _number(lowest.amount)}
    if lowest.status == "disqualified":
        explanation = _("Se descalificó la propuesta más baja ($%(amount)s).") % {
            "amount": _money(lowest.amount)
        }
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="R036",
        version=1,
        name=gettext_lazy("Propuesta más baja descalificada"),
        description=gettext_lazy(
            "La propuesta de menor monto se descalificó, habiendo al menos una válida con monto "
            "y una adjudicación activa."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=("bids/details/status", "bids/details/value", "awards"),
        source="OCP R036; Cardinal; ProZorro RISK-2-9",
        severity=Severity.LOW,
        definition=lowest_disqualified,
    )
)


# --- R031 award within 1 % of the estimate ------------------------------------------------------


def close_to_estimate(view: ProcessView, context: Context, indicator: Indicator):
    if not _awarded(view) or not view.tender:
        return []
    peer = peer_of(view)
    estimate = view.tender.get("value") if isinstance(view.tender.get("value"), dict) else {}
    estimated = read_amount(estimate)
    if estimated is None or not estimated or peer.amount is None:
        return [indicator.unknown(["tender/value/amount", "awards/value/amount"])]
    gap = abs(peer.amount - estimated) / estimated
    evidence = {
        "estimate": _number(estimated),
        "awarded": _number(peer.amount),
        "gap": float(round(gap, 6)),
    }
    if gap <= Decimal(str(indicator.thresholds["share"])):
        explanation = _(
            "El monto adjudicado ($%(awarded)s) difiere %(gap).2f %% del estimado ($%(estimate)s)."
        ) % {"awarded": _money(peer.amount), "estimate": _money(estimated), "gap": gap * 100}
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="R031",
        version=1,
        name=gettext_lazy("Adjudicación casi igual al monto estimado"),
        description=gettext_lazy(
            "El monto adjudicado difiere del estimado de la convocatoria (tender/value) en no "
            "más de «share» (1 %): una estimación «perfecta» sugiere que el precio se conocía."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=("tender/value/amount", "awards/value/amount"),
        source="OCP R031; PODER (estimación perfecta)",
        severity=Severity.LOW,
        definition=close_to_estimate,
        defaults={"share": 0.01},
    )
)


# --- MX-ADMAX above the legal maximum -----------------------------------------------------------


def _maximum_or_missing(context: Context, year: int, category: str, method: str):
    """((pesos, source) or None, the «missing» text naming the year)."""
    maximum = legal_maximum(context, year, category, method)
    missing = _(
        "monto máximo de %(method)s para %(year)s (%(category)s): agréguelo en «Montos máximos "
        "de adjudicación» o en INDICADORES_MONTOS_MAXIMOS"
    ) % {"method": _(METHOD_LABELS[method]), "year": year, "category": category or "—"}
    return maximum, missing


def above_legal_maximum(view: ProcessView, context: Context, indicator: Indicator):
    method = view.tender.get("procurementMethod")
    if method not in METHOD_LABELS or not _awarded(view):
        return []
    peer = peer_of(view)
    if peer.date is None or peer.amount is None or not peer.category:
        missing = [
            path
            for path, value in (
                ("awards/date", peer.date),
                ("awards/value/amount", peer.amount),
                ("tender/mainProcurementCategory", peer.category),
            )
            if value is None or value == ""
        ]
        return [indicator.unknown(missing)]
    found, missing = _maximum_or_missing(context, peer.date.year, peer.category, method)
    if found is None:
        return [indicator.unknown([missing])]
    maximum, source = found
    evidence = {
        "procurement_method": method,
        "category": peer.category,
        "year": peer.date.year,
        "amount": _number(peer.amount),
        "legal_maximum": _number(maximum),
        "legal_maximum_source": source,
        "rationale": str(view.tender.get("procurementMethodRationale") or ""),
    }
    if peer.amount > maximum:
        explanation = _(
            "Una %(method)s de $%(amount)s supera el monto máximo de $%(maximum)s para %(year)s "
            "(salvo que se funde en una excepción de la ley)."
        ) % {
            "method": _(METHOD_LABELS[method]),
            "amount": _money(peer.amount),
            "maximum": _money(maximum),
            "year": peer.date.year,
        }
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="MX-ADMAX",
        version=1,
        name=gettext_lazy("Adjudicación directa o invitación arriba del monto máximo"),
        description=gettext_lazy(
            "El monto adjudicado de una adjudicación directa (o invitación a cuando menos tres "
            "personas) supera el monto máximo del PEF para su año y tipo de contratación."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=(
            "tender/procurementMethod",
            "tender/mainProcurementCategory",
            "awards/value/amount",
            "awards/date",
            "PEF: montos máximos",
        ),
        source="OCP R002; IMCO; PEF (montos máximos); LAASSP art. 42",
        severity=Severity.MEDIUM,
        definition=above_legal_maximum,
    )
)


# --- set-level: MX-FRAC, MX-ADREP, MX-CONC ------------------------------------------------------


def _peers(context: Context) -> PeerData | RunPeers:
    if context.run_cache is not None:
        cache = context.run_cache.setdefault("peers", {})
        return context.part("peers", lambda processes: RunPeers(processes, cache))
    return context.part("peers", PeerData)


def _peer_evidence(peers) -> list[dict]:
    return [{"ocid": p.ocid, "date": iso(p.date), "amount": _number(p.amount)} for p in peers]


def splitting(view: ProcessView, context: Context, indicator: Indicator):
    if view.tender.get("procurementMethod") != "direct" or not view.suppliers:
        return []
    peer = peer_of(view)
    if peer.date is None or peer.amount is None:
        return [indicator.unknown(["awards/date", "awards/value/amount"])]
    found, missing = _maximum_or_missing(context, peer.date.year, peer.category, "direct")
    if found is None:
        return [indicator.unknown([missing])]
    maximum, source = found
    monday = peer.date - datetime.timedelta(days=peer.date.weekday())
    sunday = monday + datetime.timedelta(days=6)
    data = _peers(context)
    outcomes = []
    for party in view.suppliers:
        key = supplier_key(party)
        same_week = [
            other
            for other in data.direct_awards(peer, key, monday, sunday)
            if other.category == peer.category
        ]
        if peer.ocid not in {other.ocid for other in same_week}:
            same_week.append(peer)
        total = sum((other.amount or Decimal(0)) for other in same_week)
        evidence = {
            "party": party.as_evidence(),
            "week": [iso(monday), iso(sunday)],
            "category": peer.category,
            "direct_awards": _peer_evidence(same_week),
            "total": _number(total),
            "legal_maximum": _number(maximum),
            "legal_maximum_source": source,
        }
        if len(same_week) > 1 and total > maximum:
            explanation = _(
                "%(count)s adjudicaciones directas a %(name)s en la semana del %(monday)s suman "
                "$%(total)s, más que el monto máximo de $%(maximum)s."
            ) % {
                "count": len(same_week),
                "name": party.name,
                "monday": iso(monday),
                "total": _money(total),
                "maximum": _money(maximum),
            }
            outcomes.append(indicator.flag(explanation, subject=party.party_id, evidence=evidence))
        else:
            outcomes.append(indicator.clear(subject=party.party_id, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="MX-FRAC",
        version=1,
        name=gettext_lazy("Fraccionamiento de compras"),
        description=gettext_lazy(
            "Más de una adjudicación directa de la misma unidad compradora al mismo proveedor y "
            "del mismo tipo de contratación en la misma semana (lunes a domingo), cuya suma "
            "supera el monto máximo de adjudicación directa del año."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=(
            "tender/procurementMethod",
            "tender/mainProcurementCategory",
            "awards/suppliers",
            "awards/date",
            "awards/value/amount",
            "unidad compradora",
            "PEF: montos máximos",
        ),
        source="OCP R011; IMCO (adjudicaciones directas que excedieron el monto fraccionado); "
        "LAASSP art. 17",
        severity=Severity.MEDIUM,
        definition=splitting,
    )
)


def repeated_direct_awards(view: ProcessView, context: Context, indicator: Indicator):
    if view.tender.get("procurementMethod") != "direct" or not view.suppliers:
        return []
    peer = peer_of(view)
    if peer.date is None:
        return [indicator.unknown(["awards/date"])]
    window = indicator.thresholds["window_days"]
    start = peer.date - datetime.timedelta(days=window)
    data = _peers(context)
    outcomes = []
    for party in view.suppliers:
        found = data.direct_awards(peer, supplier_key(party), start, peer.date)
        if peer.ocid not in {other.ocid for other in found}:
            found.append(peer)
        evidence = {
            "party": party.as_evidence(),
            "window": [iso(start), iso(peer.date)],
            "direct_awards": _peer_evidence(found),
            "total": _number(sum((p.amount or Decimal(0)) for p in found)),
        }
        if len(found) >= indicator.thresholds["min_awards"]:
            explanation = _(
                "La unidad compradora adjudicó directamente %(count)s veces a %(name)s en %(days)s "
                "días."
            ) % {"count": len(found), "name": party.name, "days": window}
            outcomes.append(indicator.flag(explanation, subject=party.party_id, evidence=evidence))
        else:
            outcomes.append(indicator.clear(subject=party.party_id, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="MX-ADREP",
        version=1,
        name=gettext_lazy("Adjudicaciones directas repetidas al mismo proveedor"),
        description=gettext_lazy(
            "La unidad compradora hizo al menos «min_awards» adjudicaciones directas al mismo "
            "proveedor en los «window_days» días que terminan en esta adjudicación."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=("tender/procurementMethod", "awards/suppliers", "awards/date", "unidad compradora"),
        source="OCP R055; ProZorro RISK-2-7",
        severity=Severity.LOW,
        definition=repeated_direct_awards,
        defaults={"min_awards": 3, "window_days": 365},
    )
)


def concentration(view: ProcessView, context: Context, indicator: Indicator):
    if not view.suppliers:
        return []
    peer = peer_of(view)
    if peer.date is None or peer.amount is None:
        return [indicator.unknown(["awards/date", "awards/value/amount"])]
    data = _peers(context)
    levels = sorted(indicator.thresholds["shares"], reverse=True)
    severities = [Severity.HIGH, Severity.MEDIUM, Severity.LOW]
    outcomes = []
    for party in view.suppliers:
        total, count, mine, mine_count = data.year_totals(peer, supplier_key(party))
        if count < indicator.thresholds["min_awards"] or not total:
            continue  # too few awards in the unit's year for a share to mean anything
        share = mine / total
        evidence = {
            "party": party.as_evidence(),
            "year": peer.date.year,
            "unit_total": _number(total),
            "unit_awards": count,
            "supplier_total": _number(mine),
            "supplier_awards": mine_count,
            "share": float(round(share, 6)),
        }
        level = next((i for i, limit in enumerate(levels) if share > Decimal(str(limit))), None)
        if level is None:
            outcomes.append(indicator.clear(subject=party.party_id, evidence=evidence))
            continue
        explanation = _(
            "%(name)s recibió el %(share).1f %% de lo adjudicado por la unidad compradora en "
            "%(year)s (%(mine)s de %(count)s adjudicaciones)."
        ) % {
            "name": party.name,
            "share": share * 100,
            "year": peer.date.year,
            "mine": mine_count,
            "count": count,
        }
        severity = severities[min(level, len(severities) - 1)]
        outcomes.append(
            indicator.flag(
                explanation, subject=party.party_id, evidence=evidence, severity=severity
            )
        )
    return outcomes


register(
    Indicator(
        code="MX-CONC",
        version=1,
        name=gettext_lazy("Concentración de la unidad compradora en un proveedor"),
        description=gettext_lazy(
            "La parte del monto adjudicado por la unidad compradora en el año que recibió el "
            "proveedor supera el 20 % (severidad baja), el 30 % (media) o el 50 % (alta); sólo "
            "en unidades con al menos «min_awards» adjudicaciones en el año."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=("awards/suppliers", "awards/value/amount", "awards/date", "unidad compradora"),
        source="PODER (20/30/50 %); OCP R040; DIGIWHIST WINNER_CA_SHARE",
        severity=Severity.LOW,
        definition=concentration,
        defaults={"shares": [0.2, 0.3, 0.5], "min_awards": 10},
    )
)


# --- relative to the dataset: R024, R058 (bid gap) and R038 (disqualifications) ---------------

STATISTICS_MISSING = gettext_noop(
    "estadísticas del conjunto: ejecute manage.py calcular_indicadores"
)


def _gap_statistics(view: ProcessView, context: Context, indicator: Indicator):
    """(group, (sample, values, computed_at)) of the process's CUCoP family when it has enough
    processes, else of the whole dataset; (group, None) when nothing was computed yet."""
    data = stored(context)
    key = family(view)
    chosen = data.gaps.get(key) if key else None
    if chosen is None or chosen[0] < indicator.thresholds["min_family_sample"]:
        key, chosen = ALL, data.gaps.get(ALL)
    return key, chosen


def _bid_gap_outcome(view: ProcessView, context: Context, indicator: Indicator, *, low: bool):
    bids, unknown = _competitive_bids(view, indicator)
    if unknown or not bids:
        return [unknown] if unknown else []
    gap = bid_gap(view)
    if gap is None:
        missing = ["bids/details/value", "bids/details/status", "awards/suppliers"]
        return [indicator.unknown(missing, evidence={"bids": _bid_evidence(bids)})]
    key, chosen = _gap_statistics(view, context, indicator)
    if chosen is None:
        return [indicator.unknown([_(STATISTICS_MISSING)])]
    sample, values, computed_at = chosen
    evidence = {
        "gap": float(round(gap, 6)),
        "group": key,
        "statistics": {**values, "sample": sample, "computed_at": iso(computed_at)},
    }
    fence = values["lower_fence"] if low else values["upper_fence"]
    # Strictly beyond the fence: where most gaps are equal (IQR 0) the fence is that value, and
    # «at the fence» would flag the ordinary processes.
    if (gap < Decimal(str(fence))) if low else (gap > Decimal(str(fence))):
        text = (
            _(
                "La segunda mejor propuesta quedó a sólo %(gap).2f %% de la ganadora (valla "
                "inferior del grupo: %(fence).2f %%)."
            )
            if low
            else _(
                "La propuesta ganadora quedó %(gap).2f %% por debajo de la siguiente (valla "
                "superior del grupo: %(fence).2f %%)."
            )
        )
        explanation = text % {"gap": gap * 100, "fence": fence * 100}
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


def close_second_bid(view: ProcessView, context: Context, indicator: Indicator):
    return _bid_gap_outcome(view, context, indicator, low=True)


def discounted_bid(view: ProcessView, context: Context, indicator: Indicator):
    return _bid_gap_outcome(view, context, indicator, low=False)


BID_GAP_DATA = (
    "bids/details/status",
    "bids/details/value",
    "bids/details/tenderers",
    "awards/suppliers",
    "tender/items/classification",
)

register(
    Indicator(
        code="R024",
        version=1,
        name=gettext_lazy("Segunda propuesta muy cercana a la ganadora"),
        description=gettext_lazy(
            "La distancia entre la propuesta válida más baja de los demás y la ganadora "
            "((segunda − ganadora) / ganadora) queda por debajo de la valla inferior de Tukey de "
            "su familia CUCoP (o de todos los procesos si la familia tiene menos de "
            "«min_family_sample»)."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=BID_GAP_DATA,
        source="OCP R024; Cardinal",
        severity=Severity.LOW,
        definition=close_second_bid,
        defaults={"min_family_sample": 20},
    )
)

register(
    Indicator(
        code="R058",
        version=1,
        name=gettext_lazy("Propuesta ganadora con descuento excesivo"),
        description=gettext_lazy(
            "La distancia entre la propuesta válida más baja de los demás y la ganadora queda por "
            "encima de la valla superior de Tukey de su familia CUCoP (o de todos los procesos)."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=BID_GAP_DATA,
        source="OCP R058; Cardinal",
        severity=Severity.LOW,
        definition=discounted_bid,
        defaults={"min_family_sample": 20},
    )
)


def unit_disqualifications(view: ProcessView, context: Context, indicator: Indicator):
    bids, unknown = _competitive_bids(view, indicator)
    if unknown or not bids:
        return [unknown] if unknown else []
    data = stored(context)
    kind, pk = group_of(view.unit_id, view.entity_id)
    unit, overall = data.units.get(f"{kind}:{pk}"), data.units.get(ALL)
    if unit is None or overall is None:
        return [indicator.unknown([_(STATISTICS_MISSING)])]
    values = unit[1]
    if values["submitted"] < indicator.thresholds["min_bids"]:
        return []
    fence = overall[1]["upper_fence"]
    evidence = {
        "unit": {**values, "group": f"{kind}:{pk}"},
        "statistics": {**overall[1], "sample": overall[0], "computed_at": iso(overall[2])},
    }
    if values["ratio"] > 0 and values["ratio"] >= fence:
        explanation = _(
            "La unidad compradora descalifica el %(ratio).1f %% de las propuestas que recibe "
            "(%(disqualified)s de %(submitted)s); la valla superior entre unidades es "
            "%(fence).1f %%."
        ) % {
            "ratio": values["ratio"] * 100,
            "disqualified": values["disqualified"],
            "submitted": values["submitted"],
            "fence": fence * 100,
        }
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="R038",
        version=1,
        name=gettext_lazy("Unidad compradora con descalificaciones excesivas"),
        description=gettext_lazy(
            "La proporción de propuestas descalificadas de la unidad compradora (sobre todos sus "
            "procedimientos competitivos) es mayor que cero y alcanza la valla superior de Tukey "
            "entre unidades con al menos «min_bids» propuestas."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=("bids/details/status", "unidad compradora"),
        source="OCP R038; Cardinal; ProZorro RISK-2-10",
        severity=Severity.LOW,
        definition=unit_disqualifications,
        defaults={"min_bids": 2},
    )
)


# --- R038-LIC bidder with excessive disqualifications ---------------------------------------------


def bidder_disqualified(view: ProcessView, context: Context, indicator: Indicator):
    """Each bidder of the procedure against its own record over the dataset: flagged when its
    share of disqualified bids is above the fence among bidders (possible cover bids)."""
    bids, unknown = _competitive_bids(view, indicator)
    if unknown or not bids:
        return [unknown] if unknown else []
    data = bidder_statistics(context)
    if data.overall is None:
        return [indicator.unknown([_(STATISTICS_MISSING)])]
    sample, fence_values, computed_at = data.overall
    statistics = {**fence_values, "sample": sample, "computed_at": iso(computed_at)}
    outcomes = []
    for key, (party, _submitted, _disqualified) in bidder_disqualifications(view).items():
        row = data.bidders.get(key)
        if row is None:
            continue  # fewer than «min_bids» bids in the dataset: not judged
        outcomes.append(_bidder_outcome(indicator, party, row[1], statistics, key))
    return outcomes


def _bidder_outcome(indicator: Indicator, party, values: dict, statistics: dict, key: str):
    evidence = {
        "party": party.as_evidence(),
        "bidder": {**values, "key": key},
        "statistics": statistics,
    }
    fence = statistics["upper_fence"]
    excessive = (
        values["ratio"] > 0
        and values["ratio"] >= fence
        and values["disqualified"] >= indicator.thresholds["min_disqualified"]
    )
    if not excessive:
        return indicator.clear(subject=party.party_id, evidence=evidence)
    explanation = _(
        "%(name)s fue descalificado en %(disqualified)s de sus %(submitted)s propuestas "
        "(%(ratio).1f %%); la valla superior entre licitantes es %(fence).1f %%."
    ) % {
        "name": party.name or party.party_id,
        "disqualified": values["disqualified"],
        "submitted": values["submitted"],
        "ratio": values["ratio"] * 100,
        "fence": fence * 100,
    }
    return indicator.flag(explanation, subject=party.party_id, evidence=evidence)


register(
    Indicator(
        code="R038-LIC",
        version=1,
        name=gettext_lazy("Licitante con descalificaciones excesivas"),
        description=gettext_lazy(
            "La proporción de propuestas descalificadas de un licitante (sobre todas las que "
            "presentó en procedimientos competitivos) alcanza la valla superior de Tukey entre "
            "licitantes con al menos «min_bids» propuestas, con al menos «min_disqualified» "
            "descalificaciones: puede presentar propuestas de cobertura."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=("bids/details/status", "bids/details/tenderers", "parties/identifier/id"),
        source="OCP R038 (por licitante); Cardinal; ProZorro RISK-2-19",
        severity=Severity.LOW,
        definition=bidder_disqualified,
        defaults={"min_bids": 3, "min_disqualified": 2},
    )
)


# --- MX-ROTA recurring bidders with rotating winners --------------------------------------------


def rotation(view: ProcessView, context: Context, indicator: Indicator):
    found = bidder_set_key(view)
    if found is None or not view.active_awards:
        return []
    data = stored(context)
    if data.computed_at is None:
        return [indicator.unknown([_(STATISTICS_MISSING)])]
    key, members = found
    row = data.sets.get(key)
    evidence = {"tenderers": members, "statistics_computed_at": iso(data.computed_at)}
    if row is None:
        return [indicator.clear(evidence=evidence)]
    sample, values, _computed_at = row
    winners = {party: wins for party, wins in values["wins"].items() if wins}
    evidence |= {"processes": sample, "wins": winners, "ocids": values["ocids"]}
    if sample >= indicator.thresholds["min_processes"] and len(winners) >= 2:
        explanation = _(
            "Los mismos %(bidders)s licitantes compitieron en %(count)s procedimientos de la "
            "unidad compradora y el triunfo se turnó entre %(winners)s de ellos."
        ) % {"bidders": len(members), "count": sample, "winners": len(winners)}
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="MX-ROTA",
        version=1,
        name=gettext_lazy("Mismos licitantes con ganador que se turna"),
        description=gettext_lazy(
            "El mismo grupo de tres o más licitantes compitió en al menos «min_processes» "
            "procedimientos competitivos de la unidad compradora y ganaron al menos dos de ellos "
            "(posible rotación de ganadores)."
        ),
        family=COMPETITION,
        stages=FROM_AWARD,
        data=(
            "bids/details/tenderers",
            "bids/details/status",
            "awards/suppliers",
            "unidad compradora",
        ),
        source="OCP (rotación de ofertas, «same set of winners and losers»); Cardinal",
        severity=Severity.MEDIUM,
        definition=rotation,
        defaults={"min_processes": 3},
    )
)
