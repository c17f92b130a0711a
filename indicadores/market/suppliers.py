"""The supplier directory and profile: what a supplier sold, to whom, at what unit prices.

A supplier is its ``supplier_key`` (RFC, or «N:» and the normalised name), the same key for this
installation's processes and the reference data. The profile adds the processes this installation
published in which the supplier won (``ocds_pages`` projections).
"""

from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet

from indicadores.market.models import PriceObservation
from ocds_pages.models import SupplierProjection
from ocds_pages.search import fold

DIRECTORY_SIZE = 100


def directory(text: str = "", classification: str = "") -> QuerySet:
    """Suppliers with prices, most processes first; by name or RFC text, or by CUCoP key."""
    rows = PriceObservation.objects.exclude(supplier_key="")
    if classification:
        code = classification.strip()
        rows = rows.filter(family=code) if len(code) == 3 else rows.filter(classification_id=code)
    for word in fold(text).split():
        rows = rows.filter(Q(supplier_name__icontains=word) | Q(supplier_rfc__iexact=word))
    return (
        rows.values("supplier_key")
        .annotate(
            name=Max("supplier_name"),
            rfc=Max("supplier_rfc"),
            processes=Count("ocid", distinct=True),
            buyers=Count("buyer_name", distinct=True),
            since=Min("date"),
            last=Max("date"),
        )
        .order_by("-processes", "name")[:DIRECTORY_SIZE]
    )


@dataclass
class Profile:
    key: str
    name: str
    rfc: str
    supplier_id: str
    since: object
    last: object
    processes: list  # this installation's awarded processes (ProcessProjection rows)
    items: list  # per classification and unit: count, min, median-free summary
    buyers: list
    categories: list
    sources: list


def _supplier_filter(key: str) -> Q:
    if key.startswith("N:"):
        return Q(normalized_name=key[2:])
    return Q(identifier__iexact=key)


def profile(key: str) -> Profile | None:
    prices = PriceObservation.objects.filter(supplier_key=key)
    first = prices.values("supplier_name", "supplier_rfc", "supplier_id").first()
    local = (
        SupplierProjection.objects.filter(_supplier_filter(key))
        .select_related("process")
        .order_by("-process__award_date", "process__ocid")
    )
    processes = [row.process for row in local[:200]]
    if first is None and not processes:
        return None
    span = prices.aggregate(since=Min("date"), last=Max("date"))
    items = list(
        prices.values("classification_id", "unit_name")
        .annotate(
            count=Count("pk"),
            low=Min("unit_price"),
            high=Max("unit_price"),
            description=Max("description"),
        )
        .order_by("-count", "classification_id")[:100]
    )
    buyers = list(
        prices.values("buyer_name")
        .annotate(count=Count("ocid", distinct=True))
        .order_by("-count")[:50]
    )
    categories = sorted(
        {p.main_procurement_category for p in processes if p.main_procurement_category}
    )
    sources = sorted(
        {name or "local" for name in prices.values_list("dataset__name", flat=True).distinct()}
    )
    name = first["supplier_name"] if first else local[0].name
    return Profile(
        key=key,
        name=name,
        rfc=first["supplier_rfc"] if first else local[0].identifier,
        supplier_id=first["supplier_id"] if first else local[0].party_id,
        since=span["since"],
        last=span["last"],
        processes=processes,
        items=items,
        buyers=buyers,
        categories=categories,
        sources=sources,
    )


def awarded_total(processes) -> object:
    return sum((p.awarded_amount or 0 for p in processes), 0)
