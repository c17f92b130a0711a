"""Selectors of the S6 endpoints: which published processes match a PDN query, in which order.

Filters run on the query projections of ocds_pages (indexed columns), text filters on
``<column>_folded LIKE '%term%'`` — case- and accent-insensitive "contains" on the stored folded
copy of the column, served on PostgreSQL by trigram indexes (ocds_pages migration 0007). The page
itself is the stored JSON text of each compiled release or record; nothing is parsed or serialised
again (docs/arquitectura.md, decision 3).
"""

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, F, Func, OuterRef, QuerySet, TextField, Value
from django.db.models.functions import Concat

from integraciones.s6_counts import cached_total
from integraciones.s6_request import S6Request, as_list
from ocds_pages.api_selectors import release_texts_by_ocid
from ocds_pages.models import ItemProjection, ProcessProjection, SupplierProjection
from ocds_pages.packages import record_json
from ocds_pages.search import JsonArrayMatch, SpanishOrder, fold, like_contains
from ocds_pages.validation import parse_datetime

SORT_COLUMNS = {"title": "title", "buyerName": "buyer_name"}


class FoldedContains(Func):
    """``<column>_folded LIKE '%<folded term>%'``, a boolean usable in ``filter()``.

    The folded copy is written with the projection (lower case, no accents), so checking a
    candidate row is a plain LIKE: folding in the query with unaccent() cost ≈ 6 µs per row,
    hundreds of ms for a common word at scale (docs/benchmarks.md).
    """

    output_field = BooleanField()

    def __init__(self, column: str, term: str):
        super().__init__(F(f"{column}_folded"))
        self.pattern = like_contains(fold(term))

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} LIKE %s ESCAPE '\\'", [*params, self.pattern]


def _with_supplier(queryset: QuerySet, name: str) -> QuerySet:
    suppliers = SupplierProjection.objects.filter(process=OuterRef("pk"))
    return queryset.filter(Exists(suppliers.filter(FoldedContains("name", name))))


def _with_item(queryset: QuerySet, description: str, section: str) -> QuerySet:
    items = ItemProjection.objects.filter(process=OuterRef("pk"), section=section)
    return queryset.filter(Exists(items.filter(FoldedContains("description", description))))


def _contains(queryset: QuerySet, column: str, term: str | None) -> QuerySet:
    return queryset.filter(FoldedContains(column, term)) if term else queryset


def _tender_period(queryset: QuerySet, start: str | None, end: str | None) -> QuerySet:
    # As SESNA's s6-api: the tender period starts on or after `start` and ends on or before `end`.
    if start:
        queryset = queryset.filter(tender_start__gte=parse_datetime(start))
    if end:
        queryset = queryset.filter(tender_end__lte=parse_datetime(end))
    return queryset


# --- POST /api/s6/contrataciones-abiertas ----------------------------------------------------


def contrataciones_queryset(request: S6Request) -> QuerySet[ProcessProjection]:
    """Processes matching the query of the 2023 S6 specification."""
    query = request.query
    queryset = ProcessProjection.objects.all()
    if query.get("ocid"):
        queryset = queryset.filter(ocid=query["ocid"])
    queryset = _contains(queryset, "title", query.get("title"))
    queryset = _contains(queryset, "buyer_name", query.get("buyerName"))
    if query.get("procurementMethod"):
        queryset = queryset.filter(procurement_method__in=query["procurementMethod"])
    if query.get("awardStatus"):
        queryset = queryset.filter(award_status__in=query["awardStatus"])
    if query.get("supplierName"):
        queryset = _with_supplier(queryset, query["supplierName"])
    if query.get("itemDescription"):
        queryset = _with_item(queryset, query["itemDescription"], ItemProjection.Section.AWARD)
    if "numberOfTenderers" in query:
        queryset = queryset.filter(number_of_tenderers=query["numberOfTenderers"])
    return _tender_period(queryset, query.get("tenderStartDate"), query.get("tenderEndDate"))


# The text filter on the same column as each sort: buyerName filters and sorts buyer_name.
FILTER_OF_SORT = {"title": "title", "buyerName": "buyerName"}


def ordering(sort: list[tuple[str, str]], query: dict | None = None) -> list:
    """Spanish collation on the requested columns; the primary key keeps pages stable.

    The key follows the direction of the first column, so a one-column sort reads the
    ``(column COLLATE "es-x-icu", id)`` index forwards or backwards (migration 0007). Except when
    the query also filters that column by text: the matching rows then sit together somewhere in
    the index, and walking it from the start to find them read 80,000 rows for 200 (420 ms at
    100,000 processes, docs/benchmarks.md). Sorting ``column || ''`` gives the same order from an
    expression no index serves, so PostgreSQL filters first and sorts the few rows found.
    """
    query = query or {}
    columns = []
    for name, direction in sort:
        column = F(SORT_COLUMNS[name])
        if query.get(FILTER_OF_SORT[name]):
            column = Concat(column, Value(""), output_field=TextField())
        expression = SpanishOrder(column)
        columns.append(expression.desc() if direction == "desc" else expression.asc())
    descending = bool(sort) and sort[0][1] == "desc"
    return [*columns, "-pk" if descending else "pk"]


@dataclass(frozen=True)
class Page:
    total: int
    texts: list[str]


def page_rows(queryset: QuerySet, order: list, start: int, size: int) -> QuerySet:
    """The rows of one page, found on the projection alone and only then joined to their JSON.

    A harvest asks for page 30, 31… of pageSize 100: with ``OFFSET`` on the join itself,
    PostgreSQL joined and sorted every matching process with its compiled release to skip the
    first 2,900 (33 ms at 3,000 processes). Choosing the page's keys first is an index-only walk
    of the key, then 100 lookups by key (1.6 ms); the outer query sorts those 100 again.
    """
    keys = queryset.order_by(*order).values("pk")[start : start + size]
    return ProcessProjection.objects.filter(pk__in=keys).order_by(*order)


def contrataciones_page(request: S6Request) -> Page:
    """One page of compiled releases (stored text) and the exact total (cached, s6_counts)."""
    queryset = contrataciones_queryset(request)
    total = cached_total(endpoint="contrataciones", query=request.query, count=queryset.count)
    start = (request.page - 1) * request.page_size
    if start >= total:
        return Page(total=total, texts=[])
    order = ordering(request.sort, request.query)
    rows = page_rows(queryset, order, start, request.page_size)
    return Page(total=total, texts=list(rows.values_list("record__compiled_release", flat=True)))


# --- POST /api/s6/v1/records (2025 variant) -------------------------------------------------


def _award_filters(queryset: QuerySet, awards: dict) -> QuerySet:
    if awards.get("suppliers", {}).get("name"):
        queryset = _with_supplier(queryset, awards["suppliers"]["name"])
    if awards.get("items", {}).get("description"):
        description = awards["items"]["description"]
        queryset = _with_item(queryset, description, ItemProjection.Section.AWARD)
    conditions = {}
    if awards.get("title"):
        conditions["contains"] = {"title": fold(awards["title"])}
    if awards.get("status"):
        conditions["any_of"] = {"status": as_list(awards["status"])}
    if conditions:
        compiled = F("record__compiled_release")
        queryset = queryset.filter(JsonArrayMatch(compiled, array_key="awards", **conditions))
    return queryset


def _tender_filters(queryset: QuerySet, tender: dict) -> QuerySet:
    queryset = _contains(queryset, "title", tender.get("title"))
    if tender.get("procurementMethod"):
        methods = as_list(tender["procurementMethod"])
        queryset = queryset.filter(procurement_method__in=methods)
    if tender.get("items", {}).get("description"):
        description = tender["items"]["description"]
        queryset = _with_item(queryset, description, ItemProjection.Section.TENDER)
    period = tender.get("tenderPeriod", {})
    return _tender_period(queryset, period.get("startDate"), period.get("endDate"))


def _json_filters(queryset: QuerySet, query: dict) -> QuerySet:
    """Contract titles and parties have no projection column: matched in the compiled JSON."""
    compiled = F("record__compiled_release")
    if query.get("contracts", {}).get("title"):
        title = fold(query["contracts"]["title"])
        match = JsonArrayMatch(compiled, array_key="contracts", contains={"title": title})
        queryset = queryset.filter(match)
    parties = query.get("parties", {})
    if parties:
        contains = {"name": fold(parties["name"])} if parties.get("name") else None
        any_of = {"roles": as_list(parties["roles"])} if parties.get("roles") else None
        match = JsonArrayMatch(compiled, array_key="parties", contains=contains, any_of=any_of)
        queryset = queryset.filter(match)
    return queryset


def records_queryset(request: S6Request) -> QuerySet[ProcessProjection]:
    """Processes matching the nested, OCDS-shaped query of the 2025 variant."""
    query = request.query
    queryset = ProcessProjection.objects.all()
    if query.get("ocid"):
        queryset = queryset.filter(ocid=query["ocid"])
    queryset = _contains(queryset, "buyer_name", query.get("buyer", {}).get("name"))
    queryset = _award_filters(queryset, query.get("awards", {}))
    queryset = _tender_filters(queryset, query.get("tender", {}))
    return _json_filters(queryset, query)


def records_page(request: S6Request) -> Page:
    """One page of records (releases embedded, compiledRelease) from stored text."""
    queryset = records_queryset(request)
    total = cached_total(endpoint="records", query=request.query, count=queryset.count)
    start = (request.page - 1) * request.page_size
    if start >= total:
        return Page(total=total, texts=[])
    rows = list(
        page_rows(queryset, ["pk"], start, request.page_size).values_list(
            "ocid", "record__compiled_release"
        )
    )
    releases = release_texts_by_ocid([ocid for ocid, _compiled in rows])
    texts = [
        record_json(ocid=ocid, releases=releases.get(ocid, []), compiled=compiled, versioned=None)
        for ocid, compiled in rows
    ]
    return Page(total=total, texts=texts)
