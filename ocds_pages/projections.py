"""Query projections: indexed rows derived from a compiled release, rebuilt whenever it changes.

The JSON stays the source of truth; these rows exist so that search, filters, indicators and
market research run on btree/trigram indexes instead of parsing JSON (docs/arquitectura.md,
decision 4).
"""

import re
from decimal import Decimal, InvalidOperation

from ocds_pages.models import ItemProjection, ProcessProjection, Record, SupplierProjection
from ocds_pages.party_keys import normalise_name, strip_accents
from ocds_pages.search import fold
from ocds_pages.validation import parse_datetime

# DecimalField(max_digits=22, decimal_places=4): anything larger cannot be stored.
_AMOUNT_LIMIT = Decimal(10) ** 18
_EXCLUDED_AWARD_STATUSES = {"cancelled", "unsuccessful"}


def normalize_name(name: str) -> str:
    """Search text: upper case, no accents, no punctuation, single spaces ("Constructora Pérez,
    S.A." -> "CONSTRUCTORA PEREZ S A"). Legal forms stay, so people can search for them; matching
    against registries uses ocds_pages.party_keys.normalise_name instead."""
    return " ".join(re.sub(r"[^\w]+", " ", strip_accents(name or "").upper()).split())


def to_decimal(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.0001"))
    except InvalidOperation:
        return None
    return number if abs(number) < _AMOUNT_LIMIT else None


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value, limit: int | None = None) -> str:
    text = value if isinstance(value, str) else ""
    return text[:limit] if limit else text


def _sum_amounts(objects: list[dict], excluded_statuses: set[str]) -> tuple[Decimal | None, str]:
    total, currency = None, ""
    for obj in objects:
        if obj.get("status") in excluded_statuses:
            continue
        value = _dict(obj.get("value"))
        amount = to_decimal(value.get("amount"))
        if amount is None:
            continue
        this = _text(value.get("currency"), 3)
        if currency and this and this != currency:
            continue  # never add two currencies (no rate is published): the first one's sum
        currency = currency or this
        total = (total or Decimal(0)) + amount
    return (total if total is None or abs(total) < _AMOUNT_LIMIT else None), currency


def _first_date(objects: list[dict], key: str):
    dates = [parse_datetime(obj.get(key)) for obj in objects]
    dates = [date for date in dates if date]
    return min(dates) if dates else None


def _last_status(objects: list[dict]) -> str:
    return _text(objects[-1].get("status"), 20) if objects else ""


def process_fields(compiled: dict) -> dict:
    """The ProcessProjection columns of a compiled release."""
    tender, buyer = _dict(compiled.get("tender")), _dict(compiled.get("buyer"))
    awards, contracts = _list(compiled.get("awards")), _list(compiled.get("contracts"))
    period, value = _dict(tender.get("tenderPeriod")), _dict(tender.get("value"))
    awarded, award_currency = _sum_amounts(awards, _EXCLUDED_AWARD_STATUSES)
    contracted, contract_currency = _sum_amounts(contracts, {"cancelled"})
    tenderers = tender.get("numberOfTenderers")
    title, buyer_name = _text(tender.get("title")), _text(buyer.get("name"), 500)
    return {
        "buyer_id": _text(buyer.get("id"), 255),
        "buyer_name": buyer_name,
        "buyer_name_folded": fold(buyer_name),
        "title": title,
        "title_folded": fold(title),
        "description": _text(tender.get("description")),
        "procurement_method": _text(tender.get("procurementMethod"), 20),
        "procurement_method_details": _text(tender.get("procurementMethodDetails"), 500),
        "main_procurement_category": _text(tender.get("mainProcurementCategory"), 20),
        "tender_status": _text(tender.get("status"), 20),
        "award_status": _last_status(awards),
        "contract_status": _last_status(contracts),
        "tender_amount": to_decimal(value.get("amount")),
        "tender_currency": _text(value.get("currency"), 3),
        "awarded_amount": awarded,
        "contracted_amount": contracted,
        "currency": award_currency or contract_currency,
        "tender_start": parse_datetime(period.get("startDate")),
        "tender_end": parse_datetime(period.get("endDate")),
        "award_date": _first_date(awards, "date"),
        "contract_date_signed": _first_date(contracts, "dateSigned"),
        "number_of_tenderers": tenderers if isinstance(tenderers, int) and tenderers >= 0 else None,
        "last_release_date": parse_datetime(compiled.get("date")),
        "search_text": search_text(compiled),
    }


def search_text(compiled: dict) -> str:
    """The words the public search matches, normalised like supplier names so that "medicamentos"
    finds "MEDICAMENTOS" and "Pérez" finds "Perez" on every database backend."""
    tender, buyer = _dict(compiled.get("tender")), _dict(compiled.get("buyer"))
    parts = [
        compiled.get("ocid"),
        tender.get("title"),
        tender.get("description"),
        buyer.get("name"),
    ]
    parts += [row["name"] for row in supplier_rows(compiled)]
    for _section, items in _sections_items(compiled):
        for item in items:
            classification = _dict(item.get("classification"))
            parts += [item.get("description"), classification.get("id")]
            parts.append(classification.get("description"))
    return normalize_name(" ".join(str(part) for part in parts if part))


def supplier_rows(compiled: dict) -> list[dict]:
    """Suppliers named in awards, plus parties with the supplier role, one per party id."""
    parties = {party.get("id"): party for party in _list(compiled.get("parties"))}
    references = [
        ref for award in _list(compiled.get("awards")) for ref in _list(award.get("suppliers"))
    ]
    references += [party for party in parties.values() if "supplier" in (party.get("roles") or [])]
    rows = {}
    for reference in references:
        party = parties.get(reference.get("id")) or reference
        name = _text(reference.get("name") or party.get("name"), 500)
        key = _text(reference.get("id"), 255) or name
        if key and key not in rows:
            identifier = _dict(party.get("identifier"))
            rows[key] = {
                "party_id": key,
                "identifier": _text(identifier.get("id"), 255),
                "name": name,
                "name_folded": fold(name),
                "normalized_name": normalise_name(name)[:500],
            }
    return list(rows.values())


def _sections_items(compiled: dict):
    yield ItemProjection.Section.TENDER, _list(_dict(compiled.get("tender")).get("items"))
    for award in _list(compiled.get("awards")):
        yield ItemProjection.Section.AWARD, _list(award.get("items"))
    for contract in _list(compiled.get("contracts")):
        yield ItemProjection.Section.CONTRACT, _list(contract.get("items"))


def item_rows(compiled: dict) -> list[dict]:
    rows = []
    for section, items in _sections_items(compiled):
        for item in items:
            classification, unit = _dict(item.get("classification")), _dict(item.get("unit"))
            price = _dict(unit.get("value"))
            description = _text(item.get("description"))
            rows.append(
                {
                    "section": section,
                    "item_id": _text(str(item.get("id", "")), 255),
                    "classification_scheme": _text(classification.get("scheme"), 50),
                    "classification_id": _text(str(classification.get("id", "")), 100),
                    "description": description,
                    "description_folded": fold(description),
                    "quantity": to_decimal(item.get("quantity")),
                    "unit_name": _text(unit.get("name"), 255),
                    "unit_price": to_decimal(price.get("amount")),
                    "unit_price_currency": _text(price.get("currency"), 3),
                }
            )
    return rows


def process_row(*, record: Record, compiled: dict) -> dict:
    """The ProcessProjection fields of ``record`` (also used by the bulk data generator)."""
    fields = process_fields(compiled)
    fields["last_release_date"] = fields["last_release_date"] or record.last_release_date
    fields |= {"ocid": record.ocid, "entity_id": record.entity_id, "unit_id": record.unit_id}
    return fields


def project_record(*, record: Record, compiled: dict) -> ProcessProjection:
    """Create or replace the projection rows of ``record`` from its compiled release.

    Written with plain UPDATE/INSERT/DELETE (no update_or_create, whose savepoints and locking
    select double the queries): the caller already holds the record's lock.
    """
    fields = process_row(record=record, compiled=compiled)
    process = ProcessProjection.objects.filter(record=record).only("pk").first()
    if process is None:
        process = ProcessProjection.objects.create(record=record, **fields)
    else:
        ProcessProjection.objects.filter(pk=process.pk).update(**fields)
        SupplierProjection.objects.filter(process=process).delete()
        ItemProjection.objects.filter(process=process).delete()
    _insert_children(process, compiled)
    return process


def _insert_children(process: ProcessProjection, compiled: dict) -> None:
    suppliers = [SupplierProjection(process=process, **row) for row in supplier_rows(compiled)]
    items = [ItemProjection(process=process, **row) for row in item_rows(compiled)]
    if suppliers:
        SupplierProjection.objects.bulk_create(suppliers)
    if items:
        ItemProjection.objects.bulk_create(items)
