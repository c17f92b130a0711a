"""The portfolio of a set of contracts (a unit, an entity, the country): the dashboard's figures.

Each figure is one aggregate query over the indexed rows, whatever the number of contracts, so
the page costs the same for a unit of ten contracts and for the largest entity (docs/benchmarks.md).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from indicadores.monitoring.choices import PRECEDENCE, ContractStatus
from indicadores.monitoring.models import MonitoredEvent

ZERO = Decimal(0)
LIST_SIZE = 10
MONTHS = 12


@dataclass
class Portfolio:
    total: int = 0
    amount: Decimal = ZERO
    paid: Decimal = ZERO
    by_status: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    months: list[dict] = field(default_factory=list)
    at_risk: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    amended: list = field(default_factory=list)
    guarantees: list = field(default_factory=list)
    suppliers: list[dict] = field(default_factory=list)


def _by_status(contracts: QuerySet) -> list[dict]:
    rows = {
        row["status"]: row
        for row in contracts.values("status").annotate(n=Count("pk"), amount=Sum("amount"))
    }
    return [
        {
            "status": status,
            "label": ContractStatus(status).label,
            "n": rows.get(status, {}).get("n", 0),
            "amount": rows.get(status, {}).get("amount") or ZERO,
        }
        for status in PRECEDENCE
    ]


def _counts(contracts: QuerySet, today: datetime.date) -> dict:
    soon = today + datetime.timedelta(days=60)
    return contracts.aggregate(
        total=Count("pk"),
        amount=Sum("amount"),
        paid=Sum("paid"),
        overdue=Count("pk", filter=Q(overdue=True)),
        at_risk=Count("pk", filter=Q(at_risk=True)),
        paid_ahead=Count("pk", filter=Q(paid_ahead=True)),
        overpaid=Count("pk", filter=Q(overpaid=True)),
        amended=Count("pk", filter=Q(amendments__gt=0)),
        over_amended=Count("pk", filter=Q(over_amended=True)),
        guarantees_expiring=Count(
            "pk", filter=Q(guarantee_expiry__lte=soon) & ~Q(contract_status="terminated")
        ),
        penalties=Sum("penalties_amount"),
    )


def month_starts(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    first = today.replace(day=1)
    starts = []
    for _step in range(count):
        starts.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return starts[::-1]


def _months(contracts: QuerySet, today: datetime.date) -> list[dict]:
    """Value delivered (executed) and paid per month over the last twelve months."""
    starts = month_starts(today)
    events = (
        MonitoredEvent.objects.filter(contract__in=contracts, date__gte=starts[0], date__lte=today)
        .annotate(month=TruncMonth("date"))
        .values("month", "kind")
        .annotate(total=Sum("amount"))
    )
    sums = {(_as_date(row["month"]), row["kind"]): row["total"] for row in events}
    return [
        {
            "month": start,
            "executed": sums.get((start, MonitoredEvent.Kind.DELIVERY), ZERO),
            "paid": sums.get((start, MonitoredEvent.Kind.PAYMENT), ZERO),
        }
        for start in starts
    ]


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _suppliers(contracts: QuerySet) -> list[dict]:
    return list(
        contracts.filter(late_deliveries__gt=0)
        .values("supplier_rfc", "supplier_name")
        .annotate(late=Sum("late_deliveries"), contracts=Count("pk"), days=Sum("days_overdue"))
        .order_by("-late", "-days", "supplier_name")[:LIST_SIZE]
    )


def portfolio(contracts: QuerySet, today: datetime.date) -> Portfolio:
    """Every figure of the dashboard for ``contracts`` (already scoped and filtered)."""
    counts = _counts(contracts, today)
    listed = contracts.select_related("unit").only(
        "ocid",
        "contract_id",
        "title",
        "supplier_name",
        "status",
        "days_overdue",
        "days_to_end",
        "physical",
        "financial",
        "value_increase",
        "period_increase",
        "amendments",
        "guarantee_expiry",
        "guarantee_warning",
        "unit__key",
        "unit__name",
    )
    return Portfolio(
        total=counts["total"],
        amount=counts["amount"] or ZERO,
        paid=counts["paid"] or ZERO,
        by_status=_by_status(contracts),
        counts=counts,
        months=_months(contracts, today),
        at_risk=list(listed.filter(at_risk=True).order_by("days_to_end", "pk")[:LIST_SIZE]),
        overdue=list(listed.filter(overdue=True).order_by("-days_overdue", "pk")[:LIST_SIZE]),
        amended=list(
            listed.filter(amendments__gt=0).order_by("-over_amended", "-value_increase", "pk")[
                :LIST_SIZE
            ]
        ),
        guarantees=list(
            listed.exclude(guarantee_warning="").order_by("guarantee_expiry", "pk")[:LIST_SIZE]
        ),
        suppliers=_suppliers(contracts),
    )
