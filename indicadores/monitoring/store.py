"""Keep the stored monitoring rows in step with the published records.

``refresh`` replaces the rows of a batch of processes (their contracts and events) with their
states as of today. It runs for every batch of ``calcular_indicadores`` (through the runner's
batch listeners) and for each publication (``on_release_published``), so the dashboards and the
API read indexed rows, never JSON.
"""

import logging
from decimal import Decimal

from django.db import transaction

from indicadores.engine.core import Context
from indicadores.engine.process import ProcessView
from indicadores.engine.runner import view_of_record
from indicadores.monitoring.assess import ContractState
from indicadores.monitoring.choices import ContractStatus
from indicadores.monitoring.indicators import states_of
from indicadores.monitoring.models import MonitoredContract, MonitoredEvent
from indicadores.monitoring.public import PANELS
from ocds_pages.models import Record

logger = logging.getLogger(__name__)


def _row(view: ProcessView, record_id: int, state: ContractState) -> MonitoredContract:
    tender = view.tender
    flags = state.flags
    return MonitoredContract(
        record_id=record_id,
        ocid=view.ocid,
        contract_id=state.contract_id[:255],
        entity_id=view.entity_id,
        unit_id=view.unit_id,
        title=state.title,
        procurement_method=str(
            tender.get("procurementMethodDetails") or tender.get("procurementMethod") or ""
        )[:200],
        category=str(tender.get("mainProcurementCategory") or "")[:20],
        contract_status=state.contract_status[:20],
        supplier_id=state.supplier_id[:255],
        supplier_name=state.supplier_name[:500],
        supplier_rfc=state.supplier_rfc[:13],
        currency=state.currency[:3],
        date_signed=state.date_signed,
        start=state.start,
        end=state.end,
        original_amount=state.original_amount,
        amount=state.amount,
        paid=state.paid,
        penalties_amount=state.penalties_amount,
        value_increase=state.value_increase,
        period_increase=state.period_increase,
        amendments=len(state.amendments),
        milestones=len(state.deliveries),
        milestones_met=sum(1 for m in state.deliveries if m.is_met),
        late_deliveries=state.late_deliveries,
        physical=state.physical,
        financial=state.financial,
        days_to_end=state.days_to_end,
        days_overdue=state.days_overdue,
        overdue_grade=state.overdue_grade,
        guarantee_expiry=state.guarantee_expiry,
        guarantee_warning=state.guarantee_warning,
        status=state.status,
        overdue=flags.get(ContractStatus.OVERDUE, False),
        at_risk=flags.get(ContractStatus.AT_RISK, False),
        paid_ahead=flags.get(ContractStatus.PAID_AHEAD, False),
        overpaid=flags.get(ContractStatus.OVERPAID, False),
        over_amended=flags.get(ContractStatus.OVER_AMENDED, False),
        detail=state.detail(),
        assessed_on=state.assessed_on,
    )


def _events(row: MonitoredContract, state: ContractState) -> list[MonitoredEvent]:
    events = [
        MonitoredEvent(
            contract=row, entity_id=row.entity_id, kind="pago", date=p.date, amount=p.amount
        )
        for p in state.payments
        if p.date
    ]
    deliveries = state.deliveries
    if deliveries and state.amount:
        # A delivery's value: the amended value shared equally (OCDS milestones carry no value).
        share = (state.amount / len(deliveries)).quantize(Decimal("0.0001"))
        events += [
            MonitoredEvent(
                contract=row, entity_id=row.entity_id, kind="entrega", date=m.met, amount=share
            )
            for m in deliveries
            if m.is_met and m.met
        ]
    return events


def refresh(views: list[ProcessView], context: Context | None = None) -> int:
    """Replace the rows of the published processes among ``views``; the contracts stored."""
    views = [v for v in views if not v.stage and v.entity_id]
    if not views:
        return 0
    context = context or Context(views)
    records = dict(
        Record.objects.filter(ocid__in=[v.ocid for v in views]).values_list("ocid", "pk")
    )
    pairs = [
        (_row(view, records[view.ocid], state), state)
        for view in views
        if view.ocid in records
        for state in states_of(view, context)
    ]
    with transaction.atomic():
        ocids = list(records)
        MonitoredEvent.objects.filter(contract__ocid__in=ocids).delete()
        MonitoredContract.objects.filter(ocid__in=ocids).delete()
        rows = MonitoredContract.objects.bulk_create([row for row, _state in pairs])
        events = [
            event
            for row, (_r, state) in zip(rows, pairs, strict=True)
            for event in _events(row, state)
        ]
        MonitoredEvent.objects.bulk_create(events)
        transaction.on_commit(PANELS.bump)  # the public sections show the new rows
    return len(rows)


def on_release_published(sender, *, ocid, record, **kwargs) -> None:
    """Refresh the published process's contracts; like the indicators, a failure is logged and
    the next ``calcular_indicadores`` catches up (the publication itself already committed)."""
    try:
        refresh([view_of_record(record)])
    except Exception:
        logger.exception("Seguimiento: fallo al calcular los contratos de %s", ocid)
        return
