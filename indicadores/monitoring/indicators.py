"""The monitoring statuses that are red flags, registered as indicators (docs/indicadores.md).

Over-payment and amendments beyond LAASSP art. 52 already are indicators (MX-OVERPAY, MX-AMEND,
``indicadores.indicators.transparency``); the states read their thresholds rather than declaring
their own, so the dashboard's «pagado de más» and the alert agree. New here: a delivery or the
contract's end overdue (MX-OVERDUE, severity by days late), payments ahead of deliveries
(MX-PAYAHEAD) and a guarantee expired or expiring while the contract is in force (MX-GUARANTEE).

The states of a batch are computed once (``states_of``) and shared by these indicators and the
stored rows (``indicadores.monitoring.store``).
"""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy

from indicadores.engine.core import TRANSPARENCY, Context, Indicator, indicator, register
from indicadores.engine.process import ProcessView, iso
from indicadores.engine.text import gettext as _
from indicadores.engine.text import gettext_noop
from indicadores.indicators.transparency import FROM_CONTRACT, PAYMENT_STAGES, _versions
from indicadores.monitoring.assess import ContractState, Limits, assess
from indicadores.monitoring.choices import ContractStatus, OverdueGrade
from indicadores.outcomes import Severity


def limits() -> Limits:
    """The thresholds of the statuses, from the indicators that own them."""
    overdue = indicator("MX-OVERDUE").thresholds
    return Limits(
        amendment_share=Decimal(str(indicator("MX-AMEND").thresholds["share"])),
        overpay_tolerance=Decimal(str(indicator("MX-OVERPAY").thresholds["tolerance"])),
        paid_ahead_margin=Decimal(str(indicator("MX-PAYAHEAD").thresholds["margin"])),
        risk_days=int(overdue["risk_days"]),
        risk_gap=Decimal(str(overdue["risk_gap"])),
        moderate_days=int(overdue["moderate_days"]),
        severe_days=int(overdue["severe_days"]),
        guarantee_days=int(indicator("MX-GUARANTEE").thresholds["days"]),
    )


def states_of(view: ProcessView, context: Context) -> list[ContractState]:
    """The contract states of ``view``, computed once for the whole batch of ``context``."""

    def build(processes):
        versions = context.part("versions", _versions)
        today, current = timezone.localdate(), limits()
        return {p.ocid: assess(p, today, current, versions.get(p.ocid)) for p in processes}

    return context.part("monitoring", build).get(view.ocid, [])


def _number(value):
    return float(value) if value is not None else None


def _evidence(state: ContractState) -> dict:
    return {
        "contract": state.contract_id,
        "status": state.status,
        "physical": _number(state.physical),
        "financial": _number(state.financial),
        "amount": _number(state.amount),
        "paid": _number(state.paid),
        "end": iso(state.end),
        "days_overdue": state.days_overdue,
        "late": [
            m.as_dict()
            for m in state.deliveries
            if not m.is_met and m.due and m.due < state.assessed_on
        ],
    }


# --- MX-OVERDUE ---------------------------------------------------------------------------------

GRADE_SEVERITY = {
    OverdueGrade.MILD: Severity.LOW,
    OverdueGrade.MODERATE: Severity.MEDIUM,
    OverdueGrade.SEVERE: Severity.HIGH,
}


def overdue(view: ProcessView, context: Context, item: Indicator):
    outcomes = []
    for state in states_of(view, context):
        if state.status == ContractStatus.COMPLETED or state.contract_status == "terminated":
            continue  # a closed contract is judged by its payments, not its calendar
        evidence = _evidence(state)
        if not state.milestones and state.end is None:
            missing = ["contracts/implementation/milestones/dueDate", "contracts/period/endDate"]
            outcomes.append(item.unknown(missing, subject=state.contract_id, evidence=evidence))
            continue
        if not state.days_overdue:
            outcomes.append(item.clear(subject=state.contract_id, evidence=evidence))
            continue
        explanation = _("El contrato %(contract)s lleva %(days)s días de atraso: %(what)s.") % {
            "contract": state.contract_id,
            "days": state.days_overdue,
            "what": _late_what(state),
        }
        outcomes.append(
            item.flag(
                explanation,
                subject=state.contract_id,
                evidence=evidence,
                severity=GRADE_SEVERITY[state.overdue_grade],
            )
        )
    return outcomes


def _late_what(state: ContractState) -> str:
    pending = [m for m in state.deliveries if not m.is_met and m.late_days(state.assessed_on)]
    if len(pending) == 1:
        return _("una entrega vencida sin cumplir, «%(title)s» del %(due)s") % {
            "title": pending[0].title,
            "due": _day(pending[0].due),
        }
    if pending:
        return _("%(count)s entregas vencidas sin cumplir, la primera «%(title)s» del %(due)s") % {
            "count": len(pending),
            "title": pending[0].title,
            "due": _day(pending[0].due),
        }
    return _("su vigencia terminó el %(end)s con entregas pendientes") % {"end": _day(state.end)}


def _day(value) -> str:
    """A date as people read it in the explanation (07/08/2026)."""
    return value.strftime("%d/%m/%Y") if value else "—"


register(
    Indicator(
        code="MX-OVERDUE",
        version=1,
        name=gettext_lazy("Contrato con entregas o vigencia vencidas"),
        description=gettext_lazy(
            "Una entrega del contrato venció sin cumplirse, o su vigencia terminó con entregas "
            "pendientes y sigue activo. Severidad por días de atraso: baja hasta "
            "«moderate_days» (30), media hasta «severe_days» (90), alta después. «risk_days» (15) "
            "y «risk_gap» (0.3) definen el estado «en riesgo» del seguimiento, que no es alerta."
        ),
        family=TRANSPARENCY,
        stages=FROM_CONTRACT,
        data=(
            "contracts/milestones",
            "contracts/implementation/milestones",
            "contracts/period/endDate",
            "contracts/status",
        ),
        source="LAASSP art. 45 fr. XIV y art. 53 (penas por atraso); OCP (contract implementation)",
        severity=Severity.MEDIUM,
        definition=overdue,
        defaults={"moderate_days": 30, "severe_days": 90, "risk_days": 15, "risk_gap": 0.3},
    )
)


# --- MX-PAYAHEAD --------------------------------------------------------------------------------


def paid_ahead(view: ProcessView, context: Context, item: Indicator):
    outcomes = []
    for state in states_of(view, context):
        if not state.payments:
            continue
        evidence = _evidence(state)
        if state.physical is None or state.financial is None:
            missing = ["contracts/implementation/milestones", "contracts/value/amount"]
            outcomes.append(item.unknown(missing, subject=state.contract_id, evidence=evidence))
            continue
        if not state.flags.get(ContractStatus.PAID_AHEAD):
            outcomes.append(item.clear(subject=state.contract_id, evidence=evidence))
            continue
        explanation = _(
            "Del contrato %(contract)s se ha pagado el %(financial).0f %% pero sólo se ha "
            "entregado el %(physical).0f %%."
        ) % {
            "contract": state.contract_id,
            "financial": state.financial * 100,
            "physical": state.physical * 100,
        }
        outcomes.append(item.flag(explanation, subject=state.contract_id, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="MX-PAYAHEAD",
        version=1,
        name=gettext_lazy("Pagos por delante de las entregas"),
        description=gettext_lazy(
            "La proporción pagada del monto vigente supera la de entregas cumplidas en más de "
            "«margin» (20 puntos)."
        ),
        family=TRANSPARENCY,
        stages=PAYMENT_STAGES,
        data=("contracts/implementation/transactions", "contracts/implementation/milestones"),
        source="OCP (contract implementation: pagos sin avance); LAASSP art. 51",
        severity=Severity.MEDIUM,
        definition=paid_ahead,
        defaults={"margin": 0.2},
    )
)


# --- MX-GUARANTEE -------------------------------------------------------------------------------

GUARANTEE_TEXT = {
    "vencida": gettext_noop(
        "La garantía del contrato %(contract)s venció el %(date)s y el contrato sigue activo."
    ),
    "por_vencer": gettext_noop("La garantía del contrato %(contract)s vence el %(date)s."),
    "no_cubre": gettext_noop(
        "La garantía del contrato %(contract)s vence el %(date)s, antes que el contrato (%(end)s)."
    ),
}


def guarantee(view: ProcessView, context: Context, item: Indicator):
    outcomes = []
    for state in states_of(view, context):
        if not state.guarantees or state.contract_status == "terminated":
            continue
        evidence = {
            "contract": state.contract_id,
            "guarantees": state.guarantees,
            "expiry": iso(state.guarantee_expiry),
            "end": iso(state.end),
            "warning": state.guarantee_warning,
        }
        if state.guarantee_expiry is None:
            missing = ["contracts/guarantees/period/endDate"]
            outcomes.append(item.unknown(missing, subject=state.contract_id, evidence=evidence))
            continue
        if not state.guarantee_warning:
            outcomes.append(item.clear(subject=state.contract_id, evidence=evidence))
            continue
        text = _(GUARANTEE_TEXT[state.guarantee_warning]) % {
            "contract": state.contract_id,
            "date": _day(state.guarantee_expiry),
            "end": _day(state.end),
        }
        severity = Severity.MEDIUM if state.guarantee_warning == "vencida" else Severity.LOW
        outcomes.append(
            item.flag(
                text,
                subject=state.contract_id,
                evidence=evidence,
                severity=severity,
            )
        )
    return outcomes


register(
    Indicator(
        code="MX-GUARANTEE",
        version=1,
        name=gettext_lazy("Garantía vencida o por vencer"),
        description=gettext_lazy(
            "Una garantía del contrato (extensión guarantees de EDCA-MX) venció, vence en «days» "
            "(30) días o menos, o vence antes que el contrato, mientras éste sigue activo."
        ),
        family=TRANSPARENCY,
        stages=FROM_CONTRACT,
        data=("contracts/guarantees/period/endDate", "contracts/period/endDate"),
        source="LAASSP art. 48 y 49 (garantía de cumplimiento); EDCA-MX guarantees",
        severity=Severity.LOW,
        definition=guarantee,
        defaults={"days": 30},
    )
)
