"""One contract's monitoring state, computed from its compiled release (pure: no queries).

The day of the assessment is a parameter: the same record and day give the same state, so the
statuses are reproducible; the stored rows are refreshed daily by ``calcular_indicadores``.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from indicadores.engine.process import ProcessView, amount, as_dict, as_list, iso, to_date
from indicadores.indicators.transparency import original_terms
from indicadores.monitoring.choices import PRECEDENCE, ContractStatus, OverdueGrade

ZERO = Decimal(0)
# Documents that record the «recepción a entera satisfacción» of a delivery (OCDS documentType).
ACCEPTANCE_DOCUMENTS = frozenset({"completionCertificate", "physicalProgressReport"})
CLOSED = frozenset({"terminated"})
NOT_MONITORED = frozenset({"cancelled"})


@dataclass(frozen=True)
class Limits:
    """Thresholds of the statuses; ``indicators.limits()`` reads them from the indicators, so the
    national administrator edits them like any other threshold."""

    amendment_share: Decimal = Decimal("0.2")  # MX-AMEND: LAASSP art. 52
    overpay_tolerance: Decimal = ZERO  # MX-OVERPAY
    paid_ahead_margin: Decimal = Decimal("0.2")  # MX-PAYAHEAD
    risk_days: int = 15  # MX-OVERDUE: a pending milestone or the end this close is a risk
    risk_gap: Decimal = Decimal("0.3")  # time elapsed above physical progress by more than this
    moderate_days: int = 30  # MX-OVERDUE: more days late than this is moderate
    severe_days: int = 90  # … and more than this, severe
    guarantee_days: int = 30  # MX-GUARANTEE: warn this many days before a guarantee expires


@dataclass(frozen=True)
class Milestone:
    milestone_id: str
    title: str
    kind: str
    due: datetime.date | None
    met: datetime.date | None
    status: str
    accepted: bool  # an acceptance document is attached
    certificate: str = ""  # the address of its acceptance certificate, if it has one

    @property
    def is_met(self) -> bool:
        return self.status == "met" or (self.met is not None and self.status != "notMet")

    def late_days(self, today: datetime.date) -> int:
        """Days past due: until it was met, or until today when it is still pending."""
        if self.due is None:
            return 0
        end = self.met if self.is_met else today
        return max((end - self.due).days, 0) if end else 0

    def as_dict(self) -> dict:
        return {
            "id": self.milestone_id,
            "title": self.title,
            "type": self.kind,
            "dueDate": iso(self.due),
            "dateMet": iso(self.met),
            "status": self.status,
            "met": self.is_met,
            "accepted": self.accepted,
            "certificate": self.certificate,
        }


@dataclass(frozen=True)
class Money:
    date: datetime.date | None
    amount: Decimal
    label: str


@dataclass
class ContractState:
    """Everything the dashboards, the API and the public page show about one contract."""

    ocid: str
    contract_id: str
    title: str
    contract_status: str
    supplier_id: str
    supplier_name: str
    supplier_rfc: str
    currency: str
    date_signed: datetime.date | None
    start: datetime.date | None
    end: datetime.date | None
    original_amount: Decimal | None
    amount: Decimal | None  # the amended (current) value
    paid: Decimal = ZERO
    penalties_amount: Decimal = ZERO
    milestones: list[Milestone] = field(default_factory=list)
    payments: list[Money] = field(default_factory=list)
    penalties: list[dict] = field(default_factory=list)
    guarantees: list[dict] = field(default_factory=list)
    amendments: list[dict] = field(default_factory=list)
    surveillance: list[str] = field(default_factory=list)
    value_increase: Decimal | None = None
    period_increase: Decimal | None = None
    physical: Decimal | None = None  # share of deliveries met
    financial: Decimal | None = None  # share of the amended value paid
    elapsed: Decimal | None = None  # share of the contract's period gone by
    days_to_end: int | None = None
    days_overdue: int = 0
    overdue_grade: str = OverdueGrade.NONE
    guarantee_expiry: datetime.date | None = None
    guarantee_warning: str = ""  # "", "vencida", "por_vencer", "no_cubre"
    assessed_on: datetime.date | None = None
    late_deliveries: int = 0  # deliveries met after their due date, or due and still pending
    flags: dict[str, bool] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    status: str = ContractStatus.ON_TIME

    @cached_property
    def deliveries(self) -> list[Milestone]:
        """The milestones physical progress is measured on: the deliveries, or every milestone
        when none is typed as a delivery. Kept once computed (the milestones are set when the
        state is built and never change): the assessment, the stored row and the indicators ask
        for them about ten times per contract."""
        typed = [m for m in self.milestones if m.kind == "delivery"]
        return typed or self.milestones

    def detail(self) -> dict:
        """The JSON-ready lists shown on the contract's page and in the API (no personal data:
        suppliers and guarantors are organisations, payments name no person)."""
        return {
            "milestones": [m.as_dict() for m in self.milestones],
            "payments": [
                {"date": iso(p.date), "amount": float(p.amount), "id": p.label}
                for p in self.payments
            ],
            "penalties": self.penalties,
            "guarantees": self.guarantees,
            "amendments": self.amendments,
            "surveillance": self.surveillance,
            "reasons": self.reasons,
        }


def _share(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def _increase(new, old) -> Decimal | None:
    if new is None or not old:
        return None
    return ((Decimal(new) - Decimal(old)) / Decimal(old)).quantize(Decimal("0.0001"))


# --- reading the contract -----------------------------------------------------------------------


def _milestones(contract: dict) -> list[Milestone]:
    """Planned milestones (contracts/milestones) overlaid by what implementation reports for the
    same id (contracts/implementation/milestones)."""
    planned = as_list(contract.get("milestones"))
    actual = as_list(as_dict(contract.get("implementation")).get("milestones"))
    merged: dict[str, dict] = {}
    for index, row in enumerate([*planned, *actual]):
        key = str(row.get("id") or f"#{index}")
        merged[key] = {**merged.get(key, {}), **row}
    return [
        Milestone(
            milestone_id=key,
            title=str(row.get("title") or key),
            kind=str(row.get("type") or ""),
            due=to_date(row.get("dueDate")),
            met=to_date(row.get("dateMet")),
            status=str(row.get("status") or ""),
            accepted=bool(certificates),
            certificate=str(next((d.get("url") for d in certificates if d.get("url")), "")),
        )
        for key, row in merged.items()
        for certificates in [_certificates(row)]
    ]


def _certificates(milestone: dict) -> list[dict]:
    """The acceptance documents of a milestone (its acta de entrega-recepción)."""
    return [
        d
        for d in as_list(milestone.get("documents"))
        if isinstance(d, dict) and d.get("documentType") in ACCEPTANCE_DOCUMENTS
    ]


def _payments(contract: dict, currency: str) -> list[Money]:
    rows = []
    for transaction in as_list(as_dict(contract.get("implementation")).get("transactions")):
        value = as_dict(transaction.get("value") or transaction.get("amount"))
        paid = amount(value)
        if paid is None or (currency and value.get("currency") not in (None, currency)):
            continue  # another currency cannot be added to the contract's value
        rows.append(Money(to_date(transaction.get("date")), paid, str(transaction.get("id") or "")))
    return sorted(rows, key=lambda p: (p.date or datetime.date.min, p.label))


def _penalties(contract: dict) -> list[dict]:
    """Penas convencionales and deducciones (contracts/implementation/penalties, the project
    extension)."""
    rows = []
    for row in as_list(as_dict(contract.get("implementation")).get("penalties")):
        value = amount(row.get("value"))
        rows.append(
            {
                "id": str(row.get("id") or ""),
                "type": str(row.get("type") or ""),
                "amount": float(value) if value is not None else None,
                "reason": str(row.get("description") or ""),
                "date": iso(to_date(row.get("date"))),
            }
        )
    return rows


def _guarantees(contract: dict) -> list[dict]:
    rows = []
    for row in as_list(contract.get("guarantees")):
        period = as_dict(row.get("period"))
        value = amount(row.get("value"))
        rows.append(
            {
                "id": str(row.get("id") or ""),
                "type": str(row.get("type") or ""),
                "obligations": str(row.get("obligations") or ""),
                "amount": float(value) if value is not None else None,
                "guarantor": str(as_dict(row.get("guarantor")).get("name") or ""),
                "start": iso(to_date(period.get("startDate"))),
                "end": iso(to_date(period.get("endDate"))),
            }
        )
    return rows


def _amendments(contract: dict) -> list[dict]:
    return [
        {
            "id": str(row.get("id") or ""),
            "date": iso(to_date(row.get("date"))),
            "rationale": str(row.get("rationale") or ""),
        }
        for row in as_list(contract.get("amendments"))
    ]


def _surveillance(view: ProcessView) -> list[str]:
    """Testigo social, contraloría social (EDCA-MX surveillanceMechanisms on the tender)."""
    found = view.tender.get("surveillanceMechanisms")
    return [str(item) for item in found] if isinstance(found, list) else []


def _supplier(view: ProcessView, contract: dict) -> tuple[str, str, str]:
    award_id = str(contract.get("awardID") or "")
    awards = view.active_awards
    award = next((a for a in awards if str(a.get("id")) == award_id), None)
    if award is None and len(awards) == 1:
        award = awards[0]
    references = as_list((award or {}).get("suppliers"))
    if not references:
        return "", "", ""
    party = view.party(references[0])
    return party.party_id, party.name, party.rfc


# --- judging it ---------------------------------------------------------------------------------


def _overdue(state: ContractState, today: datetime.date, active: bool) -> int:
    """Days of the worst delay: a delivery due and not met, or the end passed with deliveries
    pending (a contract whose deliveries were all met is not late for lacking its closing)."""
    if not active:
        return 0
    days = [m.late_days(today) for m in state.deliveries if not m.is_met and m.due]
    pending = not state.deliveries or any(not m.is_met for m in state.deliveries)
    if state.end and state.end < today and pending:
        days.append((today - state.end).days)
    return max(days, default=0)


def _grade(days: int, limits: Limits) -> str:
    if days <= 0:
        return OverdueGrade.NONE
    if days > limits.severe_days:
        return OverdueGrade.SEVERE
    if days > limits.moderate_days:
        return OverdueGrade.MODERATE
    return OverdueGrade.MILD


def _guarantee_warning(state: ContractState, today: datetime.date, limits: Limits) -> str:
    if state.guarantee_expiry is None:
        return ""
    if state.guarantee_expiry < today:
        return "vencida"
    if (state.guarantee_expiry - today).days <= limits.guarantee_days:
        return "por_vencer"
    if state.end and state.guarantee_expiry < state.end:
        return "no_cubre"
    return ""


def _risk_reasons(state: ContractState, today: datetime.date, limits: Limits) -> list[str]:
    reasons = []
    horizon = today + datetime.timedelta(days=limits.risk_days)
    if any(not m.is_met and m.due and today <= m.due <= horizon for m in state.deliveries):
        reasons.append("entrega_proxima")
    if state.end and today <= state.end <= horizon and (state.physical or ZERO) < 1:
        reasons.append("fin_proximo")
    known = state.elapsed is not None and state.physical is not None and state.deliveries
    if known and state.elapsed - state.physical > limits.risk_gap:
        reasons.append("avance_lento")
    if state.guarantee_warning:
        reasons.append(f"garantia_{state.guarantee_warning}")
    return reasons


def _judge(state: ContractState, today: datetime.date, limits: Limits) -> None:
    active = state.contract_status not in CLOSED
    state.days_overdue = _overdue(state, today, active)
    state.overdue_grade = _grade(state.days_overdue, limits)
    state.guarantee_warning = _guarantee_warning(state, today, limits) if active else ""
    risk = _risk_reasons(state, today, limits) if active and not state.days_overdue else []
    gap = (
        state.financial - state.physical
        if state.financial is not None and state.physical is not None and state.deliveries
        else None
    )
    flags = {
        ContractStatus.OVERPAID: state.amount is not None
        and state.paid > state.amount * (1 + limits.overpay_tolerance),
        ContractStatus.PAID_AHEAD: gap is not None and gap > limits.paid_ahead_margin,
        ContractStatus.OVERDUE: state.days_overdue > 0,
        ContractStatus.OVER_AMENDED: any(
            share is not None and share > limits.amendment_share
            for share in (state.value_increase, state.period_increase)
        ),
        ContractStatus.AT_RISK: bool(risk),
    }
    state.flags = {str(key): value for key, value in flags.items()}
    state.reasons = risk
    headline = next((status for status in PRECEDENCE if flags.get(status)), None)
    state.status = headline or (ContractStatus.ON_TIME if active else ContractStatus.COMPLETED)


def assess_contract(
    view: ProcessView, contract: dict, versioned: dict, today: datetime.date, limits: Limits
) -> ContractState:
    value = as_dict(contract.get("value"))
    currency = str(value.get("currency") or "")
    period = as_dict(contract.get("period"))
    contract_id = str(contract.get("id") or "")
    supplier_id, supplier_name, supplier_rfc = _supplier(view, contract)
    state = ContractState(
        ocid=view.ocid,
        contract_id=contract_id,
        title=str(contract.get("title") or view.tender.get("title") or ""),
        contract_status=str(contract.get("status") or ""),
        supplier_id=supplier_id,
        supplier_name=supplier_name,
        supplier_rfc=supplier_rfc,
        currency=currency,
        date_signed=to_date(contract.get("dateSigned")),
        start=to_date(period.get("startDate")),
        end=to_date(period.get("endDate")),
        original_amount=None,
        amount=amount(value),
        milestones=_milestones(contract),
        payments=_payments(contract, currency),
        penalties=_penalties(contract),
        guarantees=_guarantees(contract),
        amendments=_amendments(contract),
        surveillance=_surveillance(view),
        assessed_on=today,
    )
    original = original_terms(versioned, contract_id) if state.amendments else {}
    state.original_amount = original.get("amount") or state.amount
    state.value_increase = _increase(state.amount, state.original_amount)
    if original.get("start") and original.get("end") and state.start and state.end:
        old_days = (original["end"] - original["start"]).days
        state.period_increase = _increase((state.end - state.start).days, old_days)
    state.paid = sum((p.amount for p in state.payments), ZERO)
    state.penalties_amount = sum(
        (Decimal(str(p["amount"])) for p in state.penalties if p["amount"] is not None), ZERO
    )
    deliveries = state.deliveries
    if deliveries:
        state.physical = _share(sum(1 for m in deliveries if m.is_met), len(deliveries))
    state.financial = _share(state.paid, state.amount)
    if state.start and state.end and state.end > state.start:
        gone = min(max((today - state.start).days, 0), (state.end - state.start).days)
        state.elapsed = _share(gone, (state.end - state.start).days)
    state.late_deliveries = sum(1 for m in deliveries if m.late_days(today) > 0)
    state.days_to_end = (state.end - today).days if state.end else None
    ends = [datetime.date.fromisoformat(g["end"]) for g in state.guarantees if g["end"]]
    state.guarantee_expiry = min(ends) if ends else None
    _judge(state, today, limits)
    return state


def assess(
    view: ProcessView, today: datetime.date, limits: Limits, versioned: dict | None = None
) -> list[ContractState]:
    """The state of every monitored contract of the process (cancelled ones are not followed)."""
    return [
        assess_contract(view, contract, versioned or {}, today, limits)
        for contract in view.contract_rows
        if contract.get("status") not in NOT_MONITORED
    ]
