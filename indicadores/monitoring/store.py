"""Keep the stored monitoring rows in step with the published records.

``refresh`` replaces the rows of a batch of processes (their contracts and events) with their
states as of today. It runs for every batch of ``calcular_indicadores`` (through the runner's
batch listeners) and for each publication (``on_release_published``), so the dashboards and the
API read indexed rows, never JSON.
"""

import logging
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from indicadores.engine import bulk
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


def _values(view: ProcessView, record_id: int, state: ContractState) -> dict:
    """The columns of a contract's row (by attribute name), without building the row: most
    rows of a night are compared by their digest and kept."""
    tender = view.tender
    flags = state.flags
    return {
        "record_id": record_id,
        "ocid": view.ocid,
        "contract_id": state.contract_id[:255],
        "entity_id": view.entity_id,
        "unit_id": view.unit_id,
        "title": state.title,
        "procurement_method": str(
            tender.get("procurementMethodDetails") or tender.get("procurementMethod") or ""
        )[:200],
        "category": str(tender.get("mainProcurementCategory") or "")[:20],
        "contract_status": state.contract_status[:20],
        "supplier_id": state.supplier_id[:255],
        "supplier_name": state.supplier_name[:500],
        "supplier_rfc": state.supplier_rfc[:13],
        "currency": state.currency[:3],
        "date_signed": state.date_signed,
        "start": state.start,
        "end": state.end,
        "original_amount": state.original_amount,
        "amount": state.amount,
        "paid": state.paid,
        "penalties_amount": state.penalties_amount,
        "value_increase": state.value_increase,
        "period_increase": state.period_increase,
        "amendments": len(state.amendments),
        "milestones": len(state.deliveries),
        "milestones_met": sum(1 for m in state.deliveries if m.is_met),
        "late_deliveries": state.late_deliveries,
        "physical": state.physical,
        "financial": state.financial,
        "days_to_end": state.days_to_end,
        "days_overdue": state.days_overdue,
        "overdue_grade": state.overdue_grade,
        "guarantee_expiry": state.guarantee_expiry,
        "guarantee_warning": state.guarantee_warning,
        "status": state.status,
        "overdue": flags.get(ContractStatus.OVERDUE, False),
        "at_risk": flags.get(ContractStatus.AT_RISK, False),
        "paid_ahead": flags.get(ContractStatus.PAID_AHEAD, False),
        "overpaid": flags.get(ContractStatus.OVERPAID, False),
        "over_amended": flags.get(ContractStatus.OVER_AMENDED, False),
        "detail": state.detail(),
        "assessed_on": state.assessed_on,
    }


def _happenings(state: ContractState) -> list[tuple]:
    """(kind, date, amount) of the contract's events, in the order they are written."""
    found = [("pago", p.date, p.amount) for p in state.payments if p.date]
    deliveries = state.deliveries
    if deliveries and state.amount:
        # A delivery's value: the amended value shared equally (OCDS milestones carry no value).
        share = (state.amount / len(deliveries)).quantize(Decimal("0.0001"))
        found += [("entrega", m.met, share) for m in deliveries if m.is_met and m.met]
    return found


def _events(row: MonitoredContract, happenings: list[tuple]) -> list[MonitoredEvent]:
    return [
        MonitoredEvent(contract=row, entity_id=row.entity_id, kind=kind, date=date, amount=amount)
        for kind, date, amount in happenings
    ]


def refresh(views: list[ProcessView], context: Context | None = None) -> int:
    """Replace the rows of the published processes among ``views`` whose contracts or events
    changed; the contracts computed.

    A process whose rows would come out as they are stored keeps them, and only its day of
    assessment moves to today (one UPDATE for the batch): rewriting every contract of every
    process each night was ≈ 11 % of the nightly ``calcular_indicadores`` (docs/benchmarks.md,
    «Motor de indicadores»). The rows of a process are compared as a whole, contracts and events
    in order, so a kept row is exactly the row a rewrite would have written."""
    views = [v for v in views if not v.stage and v.entity_id]
    if not views:
        return 0
    context = context or Context(views)
    records = dict(
        Record.objects.filter(ocid__among=[v.ocid for v in views]).values_list("ocid", "pk")
    )
    # (columns, events) of every contract; a model instance only for the rows written.
    pairs = [
        (_values(view, records[view.ocid], state), _happenings(state))
        for view in views
        if view.ocid in records
        for state in states_of(view, context)
    ]
    with transaction.atomic():
        computed = _fingerprints(pairs)
        stored = _stored_fingerprints(list(records))
        changed = [ocid for ocid in records if computed.get(ocid, []) != stored.get(ocid, [])]
        wanted = set(changed)
        kept = [ocid for ocid in records if ocid not in wanted]
        MonitoredEvent.objects.filter(contract__ocid__in=changed).delete()
        MonitoredContract.objects.filter(ocid__in=changed).delete()
        fresh = [
            (MonitoredContract(**values), happenings)
            for values, happenings in pairs
            if values["ocid"] in wanted
        ]
        # COPY, not bulk_create: its arrays of JSON were most of this write (engine/bulk.py).
        bulk.bulk_insert(MonitoredContract, [row for row, _h in fresh], with_keys=True)
        events = [event for row, happenings in fresh for event in _events(row, happenings)]
        bulk.bulk_insert(MonitoredEvent, events)
        for day in {values["assessed_on"] for values, _h in pairs if values["ocid"] not in wanted}:
            MonitoredContract.objects.filter(ocid__among=kept).exclude(assessed_on=day).update(
                assessed_on=day
            )
        transaction.on_commit(PANELS.bump)  # the public sections show the new rows
    return len(pairs)


# What a contract's row is compared by: every column but its key, its day of assessment and
# its digest of the others (by attribute name, the keys of ``_values``).
_COMPARED = [
    f.attname
    for f in MonitoredContract._meta.concrete_fields
    if not f.primary_key and f.name not in ("assessed_on", "digest")
]


def _fingerprint(values: dict, happenings: list[tuple]) -> str:
    """The row's digest (engine/bulk.py, ``fingerprint``) of its compared columns and its
    events in order (the same as ``bulk.row_fingerprint`` of the row would give); set in
    ``values``, so the row written stores it."""
    columns = bulk.fingerprint(*(values[name] for name in _COMPARED))
    values["digest"] = bulk.fingerprint(columns, happenings)
    return values["digest"]


def _fingerprints(pairs: list[tuple[dict, list]]) -> dict[str, list[str]]:
    """Per ocid, the digests of its contracts in the order they are written."""
    found: dict[str, list[str]] = defaultdict(list)
    for values, happenings in pairs:
        found[values["ocid"]].append(_fingerprint(values, happenings))
    return found


def _stored_fingerprints(ocids: list[str]) -> dict[str, list[str]]:
    """Per ocid, the stored digests of its contracts in the order they were written (read
    without the rows themselves: comparing them was a fifth of the nightly recompute)."""
    found: dict[str, list[str]] = defaultdict(list)
    # Not trusted (bulk.verifying): an empty digest, which matches no computed one, so every
    # process with stored rows is written again, or emptied if it has no contract any more.
    trusted = bulk.trusting()
    rows = MonitoredContract.objects.filter(ocid__among=ocids).order_by("pk")
    for ocid, digest in rows.values_list("ocid", "digest"):
        found[ocid].append(digest if trusted else "")
    return found


def on_release_published(sender, *, ocid, record, **kwargs) -> None:
    """Refresh the published process's contracts; like the indicators, a failure is logged and
    the next ``calcular_indicadores`` catches up (the publication itself already committed)."""
    try:
        refresh([view_of_record(record)])
    except Exception:
        logger.exception("Seguimiento: fallo al calcular los contratos de %s", ocid)
        return
