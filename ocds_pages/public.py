"""Selectors behind the public pages: what a process, an entity and a supplier page show.

The process page reads the compiled release (the published truth) and the list of releases; the
entity, supplier and home figures are aggregates over the projections. Each result is cached under
a *generation* number that ``release_published`` moves forward, so a publication invalidates every
public page at once without knowing which pages it touched (an entity's figures, the supplier's,
the home page's totals and the process's own page all change together).
"""

import functools
import hashlib
import time
from collections.abc import Callable
from decimal import Decimal

import orjson
from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, Exists, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, NullIf
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.utils.translation import get_language

from cms.models import Entity
from ocds_pages import labels
from ocds_pages.models import ProcessProjection, Record, Release, SupplierProjection
from ocds_pages.public_search import supplier_match
from ocds_pages.signals import release_published
from ocds_pages.validation import parse_datetime

GENERATION_KEY = "sitio-publico:generacion"
CACHE_SECONDS = 60 * 60
# Search URLs are as many as visitors care to type: their pages leave the cache sooner.
SEARCH_CACHE_SECONDS = 10 * 60


# --- cache ---------------------------------------------------------------------------------------


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # A clock value, not 1: if the key was evicted, a restart at 1 could meet entries
        # cached under an old generation 1 and serve them stale.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def cached(name: str, key: str, build: Callable):
    """``build()`` cached until the next publication (or an hour, whichever comes first)."""
    cache_key = f"sitio-publico:{_generation()}:{name}:{key}"
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, CACHE_SECONDS)
    return value


def page_cache_key(request) -> str:
    """The key of a page's HTML: generation, language and the absolute URL (scheme, host, query).

    The host is part of it because the page writes its own absolute URL (canonical, og:url).
    """
    url = request.build_absolute_uri()
    digest = hashlib.sha256(f"{get_language()} {url}".encode()).hexdigest()
    return f"sitio-publico:{_generation()}:html:{digest}"


def _cacheable(request) -> bool:
    # Only what every anonymous visitor gets alike: never a signed-in user's page (staff may one
    # day see more), never a page built for a Content-Security-Policy nonce (a nonce served twice
    # is one an attacker may have read; the public site's policy has none, cms.security_headers).
    return (
        request.method == "GET"
        and not getattr(request, "csp_nonce", None)
        and not request.user.is_authenticated
    )


def cached_page(seconds: int):
    """Serve a public view's HTML from the shared cache to anonymous visitors.

    Rendering the template is most of a public page's cost (its data is already cached by
    ``cached``): under load, the process page and the search spent ≈ 70 % of their time there
    (docs/benchmarks.md «Carga»). The HTML is kept under the same generation as the data, so
    ``release_published`` makes it stale at once in every worker sharing the cache, and for at
    most ``seconds`` otherwise. Only 200 responses that set no cookie are kept; the security
    headers are added afresh to each response by the middleware, never stored.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            key = page_cache_key(request)
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, (response.content, response["Content-Type"]), seconds)
            return response

        return wrapper

    return decorator


@receiver(release_published, dispatch_uid="ocds_pages.public.invalidate")
def invalidate_public_pages(sender, **kwargs):
    """A new release changes its process page and every figure that sums it: start afresh."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted or never set: a new clock value is fresh
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


# --- helpers over OCDS JSON ----------------------------------------------------------------------


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _amount(value) -> Decimal | None:
    amount = _dict(value).get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int | float | str):
        return None
    try:
        return Decimal(str(amount))
    except ArithmeticError:
        return None


def _money(value) -> dict | None:
    amount = _amount(value)
    if amount is None:
        return None
    return {"amount": amount, "currency": _dict(value).get("currency") or ""}


def supplier_key(party: dict) -> str:
    """The key of a supplier's public page: its RFC (identifier/id) if known, else its party id."""
    identifier = _dict(party.get("identifier")).get("id")
    return str(identifier or party.get("id") or "")


# --- process page --------------------------------------------------------------------------------

STAGES = [
    ("planning", "planeacion"),
    ("tender", "licitacion"),
    ("award", "adjudicacion"),
    ("contract", "contrato"),
    ("implementation", "ejecucion"),
]
STAGE_LABELS = {
    "planning": labels.RELEASE_TAG["planning"],
    "tender": labels.RELEASE_TAG["tender"],
    "award": labels.RELEASE_TAG["award"],
    "contract": labels.RELEASE_TAG["contract"],
    "implementation": labels.RELEASE_TAG["implementation"],
}


def _stage_of(tag: str) -> str | None:
    for stage, _anchor in STAGES:
        if tag.startswith(stage):
            return stage
    return "contract" if tag == "contractTermination" else None


def _documents(section: dict, where: str) -> list[dict]:
    return [
        {
            "title": document.get("title") or document.get("id"),
            "type": labels.label("documentType", document.get("documentType")),
            "url": document.get("url") or "",
            "format": document.get("format") or "",
            "date": parse_datetime(document.get("datePublished")),
            "sha256": document.get("sha256") or "",
            "where": where,
        }
        for document in _list(section.get("documents"))
    ]


def _items(items: list[dict]) -> list[dict]:
    rows = []
    for item in items:
        unit = _dict(item.get("unit"))
        price = _money(unit.get("value"))
        quantity = _amount({"amount": item.get("quantity")})
        total = price["amount"] * quantity if price and quantity is not None else None
        classification = _dict(item.get("classification"))
        rows.append(
            {
                "description": item.get("description") or "",
                "classification": classification.get("id") or "",
                "scheme": classification.get("scheme") or "",
                "quantity": quantity,
                "unit": unit.get("name") or "",
                "price": price,
                "total": total,
            }
        )
    return rows


def _parties_with_role(compiled: dict, role: str) -> list[dict]:
    parties = _list(compiled.get("parties"))
    return [
        {"name": party.get("name") or party.get("id"), "key": supplier_key(party)}
        for party in parties
        if role in (party.get("roles") or [])
    ]


def _award(award: dict, parties: dict) -> dict:
    suppliers = []
    for reference in _list(award.get("suppliers")):
        party = parties.get(reference.get("id")) or reference
        suppliers.append(
            {"name": reference.get("name") or party.get("name"), "key": supplier_key(party)}
        )
    return {
        "id": award.get("id"),
        "title": award.get("title") or "",
        "status": labels.label("awardStatus", award.get("status")),
        "date": parse_datetime(award.get("date")),
        "value": _money(award.get("value")),
        "suppliers": suppliers,
        "items": _items(_list(award.get("items"))),
    }


def _sums_by_currency(transactions: list[dict]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for transaction in transactions:
        value = transaction["value"]
        if value and value["amount"] is not None:
            currency = value["currency"] or ""
            sums[currency] = sums.get(currency, Decimal(0)) + value["amount"]
    return sums


def _progress(contract: dict, transactions: list[dict]) -> dict | None:
    """Paid against the contract value, in the contract's currency only.

    Amounts in another currency are never added in (no rate is published to convert them): they
    are listed apart, one sum per currency.
    """
    value = _money(contract.get("value"))
    if not value or not value["amount"]:
        return None
    sums = _sums_by_currency(transactions)
    paid = sums.pop(value["currency"], Decimal(0))
    percent = min(int(paid * 100 / value["amount"]), 100)
    return {
        "paid": paid,
        "currency": value["currency"],
        "total": value["amount"],
        "percent": percent,
        "other_currencies": [
            {"amount": amount, "currency": currency} for currency, amount in sorted(sums.items())
        ],
    }


def _contract(contract: dict) -> dict:
    implementation = _dict(contract.get("implementation"))
    transactions = [
        {
            "date": parse_datetime(transaction.get("date")),
            "value": _money(transaction.get("value") or transaction.get("amount")),
            "payee": _dict(transaction.get("payee")).get("name") or "",
            "id": transaction.get("id"),
        }
        for transaction in _list(implementation.get("transactions"))
    ]
    period = _dict(contract.get("period"))
    return {
        "id": contract.get("id"),
        "title": contract.get("title") or "",
        "description": contract.get("description") or "",
        "status": labels.label("contractStatus", contract.get("status")),
        "date_signed": parse_datetime(contract.get("dateSigned")),
        "start": parse_datetime(period.get("startDate")),
        "end": parse_datetime(period.get("endDate")),
        "value": _money(contract.get("value")),
        "items": _items(_list(contract.get("items"))),
        "amendments": [
            {
                "date": parse_datetime(amendment.get("date")),
                "rationale": amendment.get("rationale") or "",
                "description": amendment.get("description") or "",
            }
            for amendment in _list(contract.get("amendments"))
        ],
        "milestones": _milestones(implementation),
        "transactions": transactions,
        "progress": _progress(contract, transactions),
    }


def _milestones(implementation: dict) -> list[dict]:
    return [
        {
            "title": milestone.get("title") or milestone.get("id"),
            "type": labels.label("milestoneType", milestone.get("type")),
            "status": labels.label("milestoneStatus", milestone.get("status")),
            "met": milestone.get("status") == "met",
            "due": parse_datetime(milestone.get("dueDate")),
            "date_met": parse_datetime(milestone.get("dateMet")),
        }
        for milestone in _list(implementation.get("milestones"))
    ]


def _all_documents(compiled: dict) -> list[dict]:
    documents = _documents(_dict(compiled.get("planning")), str(labels.RELEASE_TAG["planning"]))
    documents += _documents(_dict(compiled.get("tender")), str(labels.RELEASE_TAG["tender"]))
    for award in _list(compiled.get("awards")):
        documents += _documents(award, str(labels.RELEASE_TAG["award"]))
    for contract in _list(compiled.get("contracts")):
        documents += _documents(contract, str(labels.RELEASE_TAG["contract"]))
        implementation = _dict(contract.get("implementation"))
        documents += _documents(implementation, str(labels.RELEASE_TAG["implementation"]))
    return documents


def _timeline(releases: list[dict]) -> list[dict]:
    """One step per stage reached, dated by its first release, then every release in order."""
    stages: dict[str, dict] = {}
    for release in releases:
        for tag in release["tags"]:
            stage = _stage_of(tag)
            if stage and stage not in stages:
                stages[stage] = {"stage": stage, "date": release["date"]}
    anchors = dict(STAGES)
    return [
        {
            "label": STAGE_LABELS[stage],
            "anchor": anchors[stage],
            "date": stages[stage]["date"] if stage in stages else None,
            "reached": stage in stages,
        }
        for stage, _anchor in STAGES
    ]


def _release_rows(ocid: str) -> list[dict]:
    rows = Release.objects.filter(ocid=ocid).order_by("date", "pk")
    return [
        {
            "id": release_id,
            "date": date,
            "tags": list(tags or []),
            "tag_labels": [labels.label("releaseTag", tag) for tag in tags or []],
        }
        for release_id, date, tags in rows.values_list("release_id", "date", "tags")
    ]


def _summary(compiled: dict, record: Record) -> dict:
    tender = _dict(compiled.get("tender"))
    projection = getattr(record, "projection", None)
    return {
        "ocid": record.ocid,
        "title": tender.get("title") or record.ocid,
        "description": tender.get("description") or "",
        "buyer": _dict(compiled.get("buyer")).get("name") or record.entity.name,
        "entity": {"key": record.entity.key, "name": record.entity.name},
        "unit": record.unit.name if record.unit_id else "",
        "method": labels.label("procurementMethod", tender.get("procurementMethod")),
        "method_details": tender.get("procurementMethodDetails") or "",
        "category": labels.label("mainProcurementCategory", tender.get("mainProcurementCategory")),
        "status": labels.label("tenderStatus", tender.get("status")),
        "tender_value": _money(tender.get("value")),
        "awarded": projection.awarded_amount if projection else None,
        "contracted": projection.contracted_amount if projection else None,
        "currency": projection.currency if projection else "",
        "number_of_tenderers": tender.get("numberOfTenderers"),
        "tender_period": _period(tender.get("tenderPeriod")),
        "last_update": record.last_release_date,
    }


def _period(value) -> dict:
    period = _dict(value)
    return {
        "start": parse_datetime(period.get("startDate")),
        "end": parse_datetime(period.get("endDate")),
    }


def _planning(compiled: dict) -> dict | None:
    planning = _dict(compiled.get("planning"))
    if not planning:
        return None
    budget = _dict(planning.get("budget"))
    return {
        "rationale": planning.get("rationale") or "",
        "budget": _money(budget.get("amount")),
        "budget_description": budget.get("description") or "",
    }


def _build_process(ocid: str) -> dict | None:
    record = Record.objects.select_related("entity", "unit", "projection").filter(ocid=ocid).first()
    if record is None:
        return None
    compiled = orjson.loads(record.compiled_release)
    parties = {party.get("id"): party for party in _list(compiled.get("parties"))}
    releases = _release_rows(ocid)
    tender = _dict(compiled.get("tender"))
    return {
        "summary": _summary(compiled, record),
        "planning": _planning(compiled),
        "timeline": _timeline(releases),
        "releases": releases,
        "tender_items": _items(_list(tender.get("items"))),
        "tenderers": _parties_with_role(compiled, "tenderer"),
        "awards": [_award(award, parties) for award in _list(compiled.get("awards"))],
        "contracts": [_contract(contract) for contract in _list(compiled.get("contracts"))],
        "documents": _all_documents(compiled),
    }


def process_detail(*, ocid: str) -> dict:
    """Everything the process page shows (3 queries when not cached); Http404 if unpublished."""
    detail = cached("proceso", ocid, lambda: _build_process(ocid) or {})
    if not detail:
        raise Http404(ocid)
    return detail


# --- aggregates ----------------------------------------------------------------------------------


def _amount_expression():
    """A process's amount for the sums (contracted, else awarded, else estimated), only when it is
    in the installation's currency: the pages add them up as MXN and never convert (no rate is
    published), so an amount in another currency is left out of the sum rather than mixed in."""
    local = Q(currency=settings.DEFAULT_CURRENCY) | Q(currency="")
    tender_local = Q(tender_currency=settings.DEFAULT_CURRENCY) | Q(tender_currency="")
    outcome = Q(contracted_amount__isnull=False) | Q(awarded_amount__isnull=False)
    return Case(
        When(outcome & local, then=Coalesce("contracted_amount", "awarded_amount")),
        When(~outcome & tender_local, then="tender_amount"),
        default=None,
        output_field=ProcessProjection._meta.get_field("tender_amount"),
    )


def _year_expression():
    return ExtractYear(
        Coalesce("tender_start", "award_date", "contract_date_signed", "last_release_date")
    )


def _figures_by(rows) -> list[dict]:
    return [
        {
            "code": row["key"],
            "label": labels.label("procurementMethod", row["key"]) or "—",
            "count": row["count"],
            "amount": row["amount"],
        }
        for row in rows
    ]


def _entity_figures(entity: Entity) -> dict:
    rows = list(
        ProcessProjection.objects.filter(entity=entity)
        .annotate(year=_year_expression())
        .values("year", "procurement_method")
        .annotate(count=Count("pk"), amount=Sum(_amount_expression()))
        .order_by("-year", "procurement_method")
    )
    return _group_figures(rows)


def _group_figures(rows: list[dict]) -> dict:
    by_method: dict[str, dict] = {}
    by_year: dict[int, dict] = {}
    for row in rows:
        for groups, key in ((by_method, row["procurement_method"]), (by_year, row["year"])):
            group = groups.setdefault(key, {"key": key, "count": 0, "amount": Decimal(0)})
            group["count"] += row["count"]
            group["amount"] += row["amount"] or 0
    table = [
        {
            "year": row["year"],
            "method": labels.label("procurementMethod", row["procurement_method"]) or "—",
            "count": row["count"],
            "amount": row["amount"],
        }
        for row in rows
    ]
    return {
        "count": sum(group["count"] for group in by_year.values()),
        "amount": sum((group["amount"] for group in by_year.values()), Decimal(0)),
        "by_method": _figures_by(sorted(by_method.values(), key=lambda g: -g["count"])),
        "by_year": sorted(by_year.values(), key=lambda g: -(g["key"] or 0)),
        "table": table,
    }


def entity_detail(*, key: str) -> dict:
    """The entity, its figures and its latest processes (3 queries when not cached)."""

    def build():
        entity = Entity.objects.filter(key=key).first()
        if entity is None or not Record.objects.filter(entity=entity).exists():
            return {}
        recent = ProcessProjection.objects.filter(entity=entity).select_related("entity", "unit")
        return {
            "entity": {
                "key": entity.key,
                "name": entity.name,
                "acronym": entity.acronym,
                "level": entity.get_level_display(),
                "state": entity.get_state_display(),
            },
            "figures": _entity_figures(entity),
            "recent": list(recent.order_by("-last_release_date", "-pk")[:20]),
        }

    detail = cached("ente", key, build)
    if not detail:
        raise Http404(key)
    return detail


def entity_list() -> list[dict]:
    """Entities that have published processes, with their count and amount (one query)."""

    def build():
        rows = (
            ProcessProjection.objects.values("entity__key", "entity__name", "entity__acronym")
            .annotate(count=Count("pk"), amount=Sum(_amount_expression()))
            .order_by("entity__name")
        )
        return list(rows)

    return cached("entes", "todos", build)


def supplier_detail(*, key: str) -> dict:
    """A supplier's name, its buyers (entities) and its processes (3 queries when not cached)."""

    def build():
        first = SupplierProjection.objects.filter(supplier_match(key)).order_by("pk").first()
        if first is None:
            return {}
        won = ProcessProjection.objects.filter(
            Exists(SupplierProjection.objects.filter(supplier_match(key), process=OuterRef("pk")))
        )
        buyers = list(
            won.values("entity__key", "entity__name")
            .annotate(count=Count("pk"), amount=Sum(_amount_expression()))
            .order_by("-amount", "entity__name")
        )
        return {
            "supplier": {"key": key, "name": first.name, "identifier": first.identifier},
            "buyers": buyers,
            "count": sum(buyer["count"] for buyer in buyers),
            "amount": sum((buyer["amount"] or 0 for buyer in buyers), Decimal(0)),
            "processes": list(
                won.select_related("entity").order_by("-last_release_date", "-pk")[:100]
            ),
        }

    detail = cached("proveedor", key, build)
    if not detail:
        raise Http404(key)
    return detail


def site_figures() -> dict:
    """Totals for the home page (two queries when not cached)."""

    def build():
        totals = ProcessProjection.objects.aggregate(
            processes=Count("pk"),
            entities=Count("entity", distinct=True),
            contracted=Sum(
                "contracted_amount",
                filter=Q(currency=settings.DEFAULT_CURRENCY) | Q(currency=""),
            ),
        )
        suppliers = SupplierProjection.objects.aggregate(
            count=Count(Coalesce(NullIf("identifier", Value("")), "party_id"), distinct=True)
        )
        totals["suppliers"] = suppliers["count"]
        totals["contracted"] = totals["contracted"] or Decimal(0)
        return totals

    return cached("portada", "cifras", build)


def latest_processes(*, limit: int = 5) -> list:
    """The most recently updated processes for the home page (one query when not cached)."""
    return cached(
        "portada",
        f"recientes-{limit}",
        lambda: list(
            ProcessProjection.objects.select_related("entity").order_by(
                "-last_release_date", "-pk"
            )[:limit]
        ),
    )
