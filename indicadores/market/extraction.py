"""Unit-price rows of one compiled release: what was bought, from whom, at what unit price.

A price is the price agreed with a supplier, so rows come from the active awards: the items of the
award's contracts when they carry unit prices (the signed price), otherwise the award's own items
— never both, so one purchase counts once. Tender items are estimates and are left out. Party keys
are the engine's (``indicadores.engine.process``), so a supplier here matches the registries
exactly as the alerts do.
"""

import hashlib
from decimal import Decimal

from cms.models import Entity
from indicadores.engine.process import (
    INACTIVE_AWARD,
    Party,
    ProcessView,
    as_dict,
    as_list,
    to_date,
)
from ocds_pages.projections import to_decimal
from ocds_pages.search import fold

CUCOP_SCHEMES = frozenset({"CUCOP", "MX-CUCOP"})
FAMILY_DIGITS = 3  # the partida genérica, as the engine's CUCoP families (engine/statistics.py)
_STATE_BY_NAME = {fold(label): code for code, label in Entity.State.choices}


def description_key(folded: str) -> str:
    """The first 16 hex digits of the MD5 of a folded description: a short, indexable stand-in
    for a text of any length (a B-tree refuses entries over ≈ 2.7 kB). Migration mercado 0010
    computes the same with PostgreSQL's ``md5``."""
    return hashlib.md5(folded.encode(), usedforsecurity=False).hexdigest()[:16]


def supplier_key(party: Party) -> str:
    """RFC when known, else the normalised name: one supplier across processes and publishers."""
    return party.rfc or (f"N:{party.name_normalised}" if party.name_normalised else "")


def state_of_buyer(release: dict) -> str:
    """The state code of the buyer's address (reference data has no entity of ours)."""
    buyer_id = str(as_dict(release.get("buyer")).get("id") or "")
    for party in as_list(release.get("parties")):
        if str(party.get("id") or "") == buyer_id or "buyer" in (party.get("roles") or []):
            region = fold(str(as_dict(party.get("address")).get("region") or "")).strip()
            if region:
                return _STATE_BY_NAME.get(region, region.upper()[:4] if len(region) <= 4 else "")
    return ""


def _priced(items: list[dict]) -> list[dict]:
    return [
        item
        for item in items
        if (to_decimal(as_dict(as_dict(item.get("unit")).get("value")).get("amount")) or 0) > 0
    ]


def _award_items(view: ProcessView, award: dict) -> tuple[str, list[dict], object]:
    """(section, priced items, date) of an award: its contracts' items first."""
    award_id = str(award.get("id") or "")
    contracts = [
        contract
        for contract in view.contract_rows
        if str(contract.get("awardID") or "") == award_id and contract.get("status") != "cancelled"
    ]
    if not contracts and len(view.active_awards) == 1:
        contracts = [
            c for c in view.contract_rows if not c.get("awardID") and c.get("status") != "cancelled"
        ]
    contract_items = [item for c in contracts for item in _priced(as_list(c.get("items")))]
    if contract_items:
        signed = [to_date(c.get("dateSigned")) for c in contracts]
        signed = [date for date in signed if date]
        return "contract", contract_items, min(signed) if signed else to_date(award.get("date"))
    return "award", _priced(as_list(award.get("items"))), to_date(award.get("date"))


def _row(view, award_id, section, index, item, party, date) -> dict:
    classification, unit = as_dict(item.get("classification")), as_dict(item.get("unit"))
    price = as_dict(unit.get("value"))
    scheme = str(classification.get("scheme") or "")[:50]
    code = str(classification.get("id") or "")[:100]
    description = str(item.get("description") or "")
    unit_name = str(unit.get("name") or "")[:255]
    folded = fold(f"{description} {classification.get('description') or ''}")
    return {
        "row_key": f"{view.ocid}|{award_id}|{section}|{item.get('id', index)}|{index}"[:600],
        "ocid": view.ocid,
        "buyer_name": str(view.buyer.get("name") or "")[:500],
        "supplier_id": party.party_id[:255] if party else "",
        "supplier_rfc": party.rfc[:13] if party else "",
        "supplier_name": party.name[:500] if party else "",
        "supplier_key": supplier_key(party)[:500] if party else "",
        "classification_scheme": scheme,
        "classification_id": code,
        "family": code[:FAMILY_DIGITS] if scheme.upper() in CUCOP_SCHEMES else "",
        "description": description,
        "description_folded": folded,
        "description_key": description_key(folded),
        "unit_name": unit_name,
        "unit_key": " ".join(fold(unit_name).split()),
        "quantity": to_decimal(item.get("quantity")),
        "unit_price": to_decimal(price.get("amount")) or Decimal(0),
        "currency": str(price.get("currency") or "")[:3],
        "date": date,
        "year": date.year if date else None,
        "procurement_method": str(view.tender.get("procurementMethod") or "")[:20],
    }


def price_rows(ocid: str, release: dict) -> list[dict]:
    """The PriceObservation fields (without source, entity, dataset) of a compiled release."""
    view = ProcessView(ocid=ocid, entity_id=None, unit_id=None, release=release)
    rows = []
    for award in view.awards:
        if award.get("status") in INACTIVE_AWARD:
            continue
        suppliers = as_list(award.get("suppliers"))
        # An award to several suppliers does not say who sold which item; its prices still
        # describe the market, under its first supplier.
        party = view.party(suppliers[0]) if suppliers else None
        award_id = str(award.get("id") or "")
        section, items, date = _award_items(view, award)
        for index, item in enumerate(items):
            rows.append(_row(view, award_id, section, index, item, party, date))
    return rows
