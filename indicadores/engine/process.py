"""What the indicators read of one process: its compiled release, parsed once into plain values.

A process is either a published record (``ocds_pages.models.Record``) or a candidate record (the
pending stage applied to what is already published, ``workflows.processes.integrity.Candidate``);
both are a compiled release, so every indicator has a single definition for both
(docs/arquitectura.md, decision 11). Dates are calendar dates in the offset the release gives them.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from ocds_pages.party_keys import RFC_SCHEME, normalise_curp, normalise_name, normalise_rfc
from ocds_pages.projections import to_decimal
from ocds_pages.validation import parse_datetime

INACTIVE_AWARD = frozenset({"cancelled", "unsuccessful"})
CURP_SCHEMES = frozenset({"MX-CURP", "CURP"})
RFC_PREFIX = f"{RFC_SCHEME}-"


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def to_date(value) -> datetime.date | None:
    moment = parse_datetime(value)
    return moment.date() if moment else None


def iso(value) -> str | None:
    return value.isoformat() if value else None


def amount(value) -> Decimal | None:
    return to_decimal(as_dict(value).get("amount"))


@dataclass(frozen=True)
class Party:
    """A supplier or tenderer with the keys the registries are searched by."""

    party_id: str
    name: str
    rfc: str
    curp: str
    name_normalised: str

    @property
    def is_company(self) -> bool:
        """A persona moral: its RFC has 12 characters (3 letters, 6 digits, 3 homoclave)."""
        return len(self.rfc) == 12

    def as_evidence(self) -> dict:
        return {"party_id": self.party_id, "name": self.name, "rfc": self.rfc, "curp": self.curp}


@dataclass(frozen=True)
class Payment:
    date: datetime.date | None
    amount: Decimal | None
    payee_id: str
    currency: str = ""


@dataclass(frozen=True)
class Contract:
    contract_id: str
    award_id: str
    status: str
    date_signed: datetime.date | None
    amount: Decimal | None
    payments: tuple[Payment, ...] = field(default_factory=tuple)
    currency: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    amendments: int = 0


def _party_keys(party: dict, reference: dict) -> Party:
    identifier = as_dict(party.get("identifier"))
    party_id = str(reference.get("id") or party.get("id") or "")
    rfc = identifier.get("id") if identifier.get("scheme") == RFC_SCHEME else ""
    if not rfc and party_id.startswith(RFC_PREFIX):
        rfc = party_id[len(RFC_PREFIX) :]
    curp = ""
    for extra in as_list(party.get("additionalIdentifiers")):
        if extra.get("scheme") == RFC_SCHEME and not rfc:
            rfc = extra.get("id")
        if extra.get("scheme") in CURP_SCHEMES:
            curp = extra.get("id")
    name = str(reference.get("name") or party.get("name") or identifier.get("legalName") or "")
    return Party(
        party_id=party_id,
        name=name,
        rfc=normalise_rfc(str(rfc or "")),
        curp=normalise_curp(str(curp or "")),
        name_normalised=normalise_name(name)[:500],
    )


class ProcessView:
    """The compiled release of one process, with the values indicators compare, parsed lazily."""

    def __init__(
        self,
        *,
        ocid: str,
        entity_id: int | None,
        unit_id: int | None,
        release: dict,
        stage: str = "",
        source_digest: str = "",
    ):
        self.ocid = ocid
        self.entity_id = entity_id
        self.unit_id = unit_id
        self.release = release if isinstance(release, dict) else {}
        self.stage = stage  # "" for a published record; the pending stage for a candidate
        # A digest of the stored text the release was parsed from, when a recompute read it
        # (engine/runner.py): what a derived row may key on instead of computing itself again.
        self.source_digest = source_digest
        self.peer = None  # indicadores.engine.peers.peer_of caches the process's peer row here
        self._party_cache: dict[tuple[str, str], Party] = {}
        self._bids: tuple | None = None  # bids_of caches the parsed bids here

    # -- sections -------------------------------------------------------------------------------

    @cached_property
    def tender(self) -> dict:
        return as_dict(self.release.get("tender"))

    @cached_property
    def buyer(self) -> dict:
        return as_dict(self.release.get("buyer"))

    @cached_property
    def parties(self) -> dict[str, dict]:
        return {str(p.get("id")): p for p in as_list(self.release.get("parties")) if p.get("id")}

    @cached_property
    def awards(self) -> list[dict]:
        return as_list(self.release.get("awards"))

    @cached_property
    def active_awards(self) -> list[dict]:
        return [award for award in self.awards if award.get("status") not in INACTIVE_AWARD]

    @cached_property
    def contract_rows(self) -> list[dict]:
        return as_list(self.release.get("contracts"))

    @cached_property
    def documents(self) -> list[dict]:
        """Every document of the process: planning, tender, awards, contracts and their
        implementation."""
        found = as_list(as_dict(self.release.get("planning")).get("documents"))
        found += as_list(self.tender.get("documents"))
        for award in self.awards:
            found += as_list(award.get("documents"))
        for contract in self.contract_rows:
            found += as_list(contract.get("documents"))
            found += as_list(as_dict(contract.get("implementation")).get("documents"))
        return found

    @cached_property
    def bids(self) -> list[dict]:
        return as_list(as_dict(self.release.get("bids")).get("details"))

    # -- parties --------------------------------------------------------------------------------

    def party(self, reference: dict) -> Party:
        """The party a reference names, computed once per (id, name) of the reference: the
        indicators ask for the same suppliers and bidders many times."""
        key = (repr(reference.get("id")), repr(reference.get("name")))
        found = self._party_cache.get(key)
        if found is None:
            found = _party_keys(self.parties.get(str(reference.get("id")), {}), reference)
            self._party_cache[key] = found
        return found

    @cached_property
    def suppliers(self) -> list[Party]:
        """Suppliers of the active awards, once each (the parties the contracts go to)."""
        found: dict[str, Party] = {}
        for award in self.active_awards:
            for reference in as_list(award.get("suppliers")):
                party = self.party(reference)
                found.setdefault(party.party_id or party.name_normalised, party)
        return list(found.values())

    @cached_property
    def tenderers(self) -> list[Party]:
        """Everyone who bid or was invited to: tender/tenderers, bid tenderers, role tenderer."""
        references = as_list(self.tender.get("tenderers"))
        for bid in self.bids:
            references += as_list(bid.get("tenderers"))
        references += [p for p in self.parties.values() if "tenderer" in (p.get("roles") or [])]
        found: dict[str, Party] = {}
        for reference in references:
            party = self.party(reference)
            found.setdefault(party.party_id or party.name_normalised, party)
        return list(found.values())

    @cached_property
    def bidders(self) -> list[Party]:
        """Tenderers who are not suppliers of an active award."""
        suppliers = {party.party_id for party in self.suppliers}
        return [party for party in self.tenderers if party.party_id not in suppliers]

    def supplier_award_ids(self, party: Party) -> set[str]:
        return {
            str(award.get("id"))
            for award in self.active_awards
            if any(str(ref.get("id")) == party.party_id for ref in as_list(award.get("suppliers")))
        }

    # -- contracts and payments -----------------------------------------------------------------

    @cached_property
    def contracts(self) -> list[Contract]:
        rows = []
        for contract in self.contract_rows:
            transactions = as_list(as_dict(contract.get("implementation")).get("transactions"))
            payments = tuple(
                Payment(
                    date=to_date(t.get("date")),
                    amount=amount(t.get("value") or t.get("amount")),
                    payee_id=str(as_dict(t.get("payee")).get("id") or ""),
                    currency=str(as_dict(t.get("value") or t.get("amount")).get("currency") or ""),
                )
                for t in transactions
            )
            rows.append(
                Contract(
                    contract_id=str(contract.get("id") or ""),
                    award_id=str(contract.get("awardID") or ""),
                    status=str(contract.get("status") or ""),
                    date_signed=to_date(contract.get("dateSigned")),
                    amount=amount(contract.get("value")),
                    payments=payments,
                    currency=str(as_dict(contract.get("value")).get("currency") or ""),
                    start=to_date(as_dict(contract.get("period")).get("startDate")),
                    end=to_date(as_dict(contract.get("period")).get("endDate")),
                    amendments=len(as_list(contract.get("amendments"))),
                )
            )
        return rows

    def contracts_of(self, party: Party) -> list[Contract]:
        """The contracts of the supplier's awards (all of them when the process has one award)."""
        awards = self.supplier_award_ids(party)
        if len(self.active_awards) <= 1:
            return list(self.contracts)
        return [contract for contract in self.contracts if contract.award_id in awards]

    # -- dates ----------------------------------------------------------------------------------

    @cached_property
    def tender_start(self) -> datetime.date | None:
        return to_date(as_dict(self.tender.get("tenderPeriod")).get("startDate"))

    @cached_property
    def tender_end(self) -> datetime.date | None:
        return to_date(as_dict(self.tender.get("tenderPeriod")).get("endDate"))

    @cached_property
    def award_date(self) -> datetime.date | None:
        dates = [to_date(award.get("date")) for award in self.active_awards]
        dates = [date for date in dates if date]
        return min(dates) if dates else None

    def bid_date(self, party: Party) -> datetime.date | None:
        """When the party bid: its bid's date, else the end of the submission period."""
        for bid in self.bids:
            if any(str(t.get("id")) == party.party_id for t in as_list(bid.get("tenderers"))):
                date = to_date(bid.get("date"))
                if date:
                    return date
        return self.tender_end

    def key_dates(self, party: Party, *, as_bidder: bool = True) -> list[tuple[str, datetime.date]]:
        """(what, date) of the moments a registry status matters for the party: its bid, the
        award, each signature and each payment of its contracts (those that are known)."""
        moments: list[tuple[str, datetime.date | None]] = []
        if as_bidder and any(t.party_id == party.party_id for t in self.tenderers):
            moments.append(("bid", self.bid_date(party)))
        award_ids = self.supplier_award_ids(party)
        for award in self.active_awards:
            if str(award.get("id")) in award_ids:
                moments.append(("award", to_date(award.get("date"))))
        for contract in self.contracts_of(party) if award_ids else []:
            moments.append(("signature", contract.date_signed))
            moments += [("payment", payment.date) for payment in contract.payments]
        return sorted({(kind, date) for kind, date in moments if date}, key=lambda m: m[1])

    # -- identity -------------------------------------------------------------------------------

    @cached_property
    def procedure_identifiers(self) -> set[str]:
        """The identifiers a registry may file this procedure under (S2 «numeroExpedienteFolio»):
        the ocid and the tender id, upper case without spaces."""
        return {"".join(value.split()).upper() for value in self.raw_procedure_identifiers}

    @cached_property
    def raw_procedure_identifiers(self) -> set[str]:
        return {value for value in (self.ocid, str(self.tender.get("id") or "")) if value}

    @cached_property
    def buyer_name_normalised(self) -> str:
        return normalise_name(str(self.buyer.get("name") or ""))


@dataclass(frozen=True)
class Bid:
    bid_id: str
    tenderers: frozenset[str]  # party ids
    status: str  # OCDS bidStatus: invited, pending, valid, disqualified, withdrawn
    amount: Decimal | None
    currency: str


def bids_of(view: ProcessView) -> tuple[Bid, ...]:
    """The bids of the process, read once per view (several indicators and measures ask)."""
    if view._bids is None:
        view._bids = _bids_of(view)
    return view._bids


def _bids_of(view: ProcessView) -> tuple[Bid, ...]:
    rows = []
    for index, bid in enumerate(view.bids):
        value = as_dict(bid.get("value"))
        rows.append(
            Bid(
                bid_id=str(bid.get("id") or index),
                tenderers=frozenset(str(t.get("id")) for t in as_list(bid.get("tenderers"))),
                status=str(bid.get("status") or ""),
                amount=to_decimal(value.get("amount")),
                currency=str(value.get("currency") or ""),
            )
        )
    return tuple(rows)


def winners_of(view: ProcessView) -> frozenset[str]:
    """Party ids of the suppliers of the active awards."""
    return frozenset(party.party_id for party in view.suppliers)
