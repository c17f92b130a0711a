"""Other processes of the same purchasing unit: what splitting, repetition and concentration read.

They come from the published projections (``ocds_pages.ProcessProjection`` and
``SupplierProjection``, indexed by unit and supplier), never from workflow drafts. The processes of
the batch itself are left out of the queries and added from their own compiled releases, so a
candidate record counts with the data being approved, not with its older published version.

A process belongs to its purchasing unit, or to its entity when no unit is known (imported data);
its date is that of its first active award, or of its first signature; its amount is the sum of
its active awards, or of its contracts. Only amounts in Mexican pesos (or without currency) add up.
"""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from indicadores.engine.process import Party, ProcessView, amount
from ocds_pages.models import ProcessProjection, SupplierProjection
from ocds_pages.party_keys import normalise_rfc

PESOS = frozenset({"MXN", ""})
LOOKBACK_DAYS = 366  # the widest window an indicator looks back (repeated direct awards)


def supplier_key(party: Party) -> str:
    return party.rfc or party.party_id


def group_of(unit_id, entity_id) -> tuple[str, int]:
    return ("unit", unit_id) if unit_id else ("entity", entity_id)


def _group_filter(group, prefix="") -> Q:
    kind, pk = group
    if kind == "unit":
        return Q(**{f"{prefix}unit_id": pk})
    return Q(**{f"{prefix}unit__isnull": True, f"{prefix}entity_id": pk})


@dataclass(frozen=True)
class Peer:
    """One process as the set-level indicators see it."""

    ocid: str
    group: tuple[str, int]
    method: str
    category: str
    date: datetime.date | None
    amount: Decimal | None
    suppliers: frozenset[str]


def peer_of(view: ProcessView) -> Peer:
    """The process as a peer, computed once per view (five indicators ask for it)."""
    if view.peer is None:
        view.peer = _peer_of(view)
    return view.peer


def _peer_of(view: ProcessView) -> Peer:
    awarded = [amount(a.get("value")) for a in view.active_awards]
    awarded = [value for value in awarded if value is not None]
    contracted = [
        c.amount for c in view.contracts if c.amount is not None and c.status != "cancelled"
    ]
    currency = {
        str((a.get("value") or {}).get("currency") or "")
        for a in view.active_awards
        if isinstance(a.get("value"), dict)
    }
    total = sum(awarded) if awarded else (sum(contracted) if contracted else None)
    if currency - PESOS:
        total = None
    signed = [c.date_signed for c in view.contracts if c.date_signed]
    return Peer(
        ocid=view.ocid,
        group=group_of(view.unit_id, view.entity_id),
        method=str(view.tender.get("procurementMethod") or ""),
        category=str(view.tender.get("mainProcurementCategory") or ""),
        date=view.award_date or (min(signed) if signed else None),
        amount=total,
        suppliers=frozenset(supplier_key(p) for p in view.suppliers),
    )


class Timeline:
    """The dated direct awards of one unit to one supplier, in (date, ocid) order, so that a
    window of days is two binary searches: a run asks for a window for every direct award, and
    the largest suppliers of a unit have thousands (a scan per award grew as their square)."""

    __slots__ = ("peers", "dates", "ordered")

    def __init__(self):
        self.peers: list[Peer] = []
        self.dates: list[datetime.date] = []
        self.ordered = True

    def add(self, peer: Peer) -> None:
        if peer.date is None:
            return  # an undated award is in no window
        self.peers.append(peer)
        self.ordered = False

    def between(self, start: datetime.date, end: datetime.date) -> list[Peer]:
        """The awards dated within [start, end], in (date, ocid) order."""
        if not self.ordered:
            self.peers.sort(key=lambda other: (other.date, other.ocid))
            self.dates = [other.date for other in self.peers]
            self.ordered = True
        low = bisect.bisect_left(self.dates, start)
        high = bisect.bisect_right(self.dates, end, lo=low)
        return self.peers[low:high]


def _date(moment, zone) -> datetime.date | None:
    """``timezone.localdate`` with the zone looked up once per query (asking Django for the
    current zone per row was ≈ 10 % of evaluating one process of a large unit)."""
    return moment.astimezone(zone).date() if moment else None


def _moments(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """The first and last moment of two days, in the installation's time zone (an index-friendly
    range on a timestamp column, unlike a per-row date conversion)."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end, datetime.time.max, tzinfo=zone),
    )


class PeerData:
    """Direct awards of the batch's units to the batch's suppliers, and the units' yearly awarded
    totals, read in four queries per batch."""

    def __init__(self, processes: list[ProcessView]):
        self.batch = [peer_of(view) for view in processes]
        dated = [peer for peer in self.batch if peer.date]
        direct = self._direct_awards(dated) + [p for p in dated if p.method == "direct"]
        self.direct: dict[tuple, Timeline] = defaultdict(Timeline)
        for peer in direct:
            for key in peer.suppliers:
                self.direct[(peer.group, key)].add(peer)
        self.totals, self.supplier_totals = self._yearly_totals(dated)

    # -- direct awards (splitting, repetition) --------------------------------------------------

    @staticmethod
    def _windows(direct: list[Peer], before: int, after: int) -> Q:
        """Per unit, the days around the batch's direct awards, overlapping spans merged: a batch
        in primary-key order may span years, and a unit's whole history need not be read."""
        spans: dict[tuple, list[list[datetime.date]]] = defaultdict(list)
        for peer in sorted(direct, key=lambda p: p.date):
            start = peer.date - datetime.timedelta(days=before)
            end = peer.date + datetime.timedelta(days=after)
            merged = spans[peer.group]
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        query = Q(pk__in=[])
        for group, ranges in spans.items():
            for start, end in ranges:
                query |= _group_filter(group, "process__") & (
                    Q(process__award_date__range=_moments(start, end))
                    | Q(
                        process__award_date__isnull=True,
                        process__contract_date_signed__range=_moments(start, end),
                    )
                )
        return query

    def _direct_awards(self, dated: list[Peer]) -> list[Peer]:
        direct = [peer for peer in dated if peer.method == "direct" and peer.suppliers]
        if not direct:
            return []
        keys = {key for peer in direct for key in peer.suppliers}
        rows = (
            SupplierProjection.objects.filter(self._windows(direct, LOOKBACK_DAYS, 7))
            .filter(Q(identifier__among=keys) | Q(party_id__among=keys))
            .filter(process__procurement_method="direct")
            .exclude(process__ocid__among=[peer.ocid for peer in self.batch])
            .values_list(
                "process__ocid",
                "process__unit_id",
                "process__entity_id",
                "process__main_procurement_category",
                "process__award_date",
                "process__contract_date_signed",
                "process__awarded_amount",
                "process__contracted_amount",
                "process__currency",
                "identifier",
                "party_id",
            )
        )
        found: dict[str, dict] = {}
        zone = timezone.get_current_timezone()
        for (
            ocid,
            unit,
            entity,
            category,
            awarded_on,
            signed_on,
            awarded,
            contracted,
            currency,
            rfc,
            party_id,
        ) in rows:
            entry = found.setdefault(
                ocid,
                {
                    "group": group_of(unit, entity),
                    "category": category,
                    "date": _date(awarded_on, zone) or _date(signed_on, zone),
                    "amount": (awarded if awarded is not None else contracted)
                    if currency in PESOS
                    else None,
                    "suppliers": set(),
                },
            )
            entry["suppliers"].add(normalise_rfc(rfc) or party_id)
        return [
            Peer(
                ocid,
                e["group"],
                "direct",
                e["category"],
                e["date"],
                e["amount"],
                frozenset(e["suppliers"]),
            )
            for ocid, e in found.items()
        ]

    def direct_awards(self, peer: Peer, supplier: str, start, end) -> list[Peer]:
        """Direct awards of the peer's group to ``supplier`` dated within [start, end]."""
        found = self.direct.get((peer.group, supplier))
        return found.between(start, end) if found else []

    # -- yearly totals (concentration) ----------------------------------------------------------

    def _yearly_totals(self, dated: list[Peer]):
        pairs = {(peer.group, peer.date.year) for peer in dated}
        totals: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
        by_supplier: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0])
        if not pairs:
            return totals, by_supplier
        batch = [peer.ocid for peer in self.batch]
        query = Q(pk__in=[])
        for group, year in pairs:
            query |= _group_filter(group) & Q(award_date__year=year)
        common = {"awarded_amount__isnull": False, "currency__in": PESOS}
        rows = (
            ProcessProjection.objects.filter(query, **common)
            .exclude(ocid__among=batch)
            .values_list("unit_id", "entity_id", ExtractYear("award_date"))
            .annotate(total=Sum("awarded_amount"), count=Count("id"))
        )
        for unit, entity, year, total, count in rows:
            entry = totals[(group_of(unit, entity), year)]
            entry[0] += total
            entry[1] += count
        keys = {key for peer in dated for key in peer.suppliers}
        supplier_query = Q(pk__in=[])
        for group, year in pairs:
            supplier_query |= _group_filter(group, "process__") & Q(process__award_date__year=year)
        rows = (
            SupplierProjection.objects.filter(supplier_query)
            .filter(Q(identifier__among=keys) | Q(party_id__among=keys))
            .filter(**{f"process__{name}": value for name, value in common.items()})
            .exclude(process__ocid__among=batch)
            .values_list(
                "process__unit_id",
                "process__entity_id",
                ExtractYear("process__award_date"),
                "identifier",
                "party_id",
            )
            .annotate(total=Sum("process__awarded_amount"), count=Count("process_id"))
        )
        for unit, entity, year, rfc, party_id, total, count in rows:
            entry = by_supplier[(group_of(unit, entity), year, normalise_rfc(rfc) or party_id)]
            entry[0] += total
            entry[1] += count
        for peer in dated:
            if peer.amount is None:
                continue
            entry = totals[(peer.group, peer.date.year)]
            entry[0] += peer.amount
            entry[1] += 1
            for key in peer.suppliers:
                entry = by_supplier[(peer.group, peer.date.year, key)]
                entry[0] += peer.amount
                entry[1] += 1
        return totals, by_supplier

    def year_totals(self, peer: Peer, supplier: str) -> tuple[Decimal, int, Decimal, int]:
        """(unit total, unit awards, supplier total, supplier awards) in the peer's year."""
        total, count = self.totals.get((peer.group, peer.date.year), (Decimal(0), 0))
        mine, mine_count = self.supplier_totals.get(
            (peer.group, peer.date.year, supplier), (Decimal(0), 0)
        )
        return total, count, mine, mine_count


def _groups_filter(groups, prefix="") -> Q:
    units = [pk for kind, pk in groups if kind == "unit"]
    entities = [pk for kind, pk in groups if kind == "entity"]
    query = Q(pk__in=[])
    if units:
        query |= Q(**{f"{prefix}unit_id__in": units})
    if entities:
        query |= Q(**{f"{prefix}unit__isnull": True, f"{prefix}entity_id__in": entities})
    return query


class RunPeers:
    """The same answers as :class:`PeerData` for a set-based run over published records, with
    each unit's direct awards and yearly totals read once per run instead of once per batch.

    A run walks the records in primary-key order, so every batch touches the whole history of its
    units; reading a unit once and keeping it for the rest of the run (``cache``, owned by the
    run) turns a cost that grows with batches × history into one read of each unit. The records
    of a run are published, so their projection rows are their own data: nothing is added from
    the batch (unlike a candidate, whose data is not published yet).
    """

    def __init__(self, processes: list[ProcessView], cache: dict):
        self.cache = cache
        for view in processes:
            peer_of(view)
        groups = {group_of(view.unit_id, view.entity_id) for view in processes}
        missing = groups - cache.keys()
        if missing:
            self._load(missing)

    def _load(self, groups) -> None:
        loaded = {
            group: {"direct": defaultdict(Timeline), "totals": {}, "suppliers": {}}
            for group in groups
        }
        rows = (
            SupplierProjection.objects.filter(_groups_filter(groups, "process__"))
            .filter(process__procurement_method="direct")
            .values_list(
                "process__ocid",
                "process__unit_id",
                "process__entity_id",
                "process__main_procurement_category",
                "process__award_date",
                "process__contract_date_signed",
                "process__awarded_amount",
                "process__contracted_amount",
                "process__currency",
                "identifier",
                "party_id",
            )
        )
        found: dict[str, dict] = {}
        zone = timezone.get_current_timezone()
        for (
            ocid,
            unit,
            entity,
            category,
            awarded_on,
            signed_on,
            awarded,
            contracted,
            currency,
            rfc,
            party_id,
        ) in rows:
            entry = found.setdefault(
                ocid,
                {
                    "group": group_of(unit, entity),
                    "category": category,
                    "date": _date(awarded_on, zone) or _date(signed_on, zone),
                    "amount": (awarded if awarded is not None else contracted)
                    if currency in PESOS
                    else None,
                    "suppliers": set(),
                },
            )
            entry["suppliers"].add(normalise_rfc(rfc) or party_id)
        for ocid, e in found.items():
            peer = Peer(
                ocid,
                e["group"],
                "direct",
                e["category"],
                e["date"],
                e["amount"],
                frozenset(e["suppliers"]),
            )
            for key in peer.suppliers:
                loaded[peer.group]["direct"][key].add(peer)
        common = {
            "award_date__isnull": False,
            "awarded_amount__isnull": False,
            "currency__in": PESOS,
        }
        totals = (
            ProcessProjection.objects.filter(_groups_filter(groups), **common)
            .values_list("unit_id", "entity_id", ExtractYear("award_date"))
            .annotate(total=Sum("awarded_amount"), count=Count("id"))
        )
        for unit, entity, year, total, count in totals:
            loaded[group_of(unit, entity)]["totals"][year] = (total, count)
        by_supplier = (
            SupplierProjection.objects.filter(_groups_filter(groups, "process__"))
            .filter(**{f"process__{name}": value for name, value in common.items()})
            .values_list(
                "process__unit_id",
                "process__entity_id",
                ExtractYear("process__award_date"),
                "identifier",
                "party_id",
            )
            .annotate(total=Sum("process__awarded_amount"), count=Count("process_id"))
        )
        for unit, entity, year, rfc, party_id, total, count in by_supplier:
            suppliers = loaded[group_of(unit, entity)]["suppliers"]
            key = (year, normalise_rfc(rfc) or party_id)
            old_total, old_count = suppliers.get(key, (Decimal(0), 0))
            suppliers[key] = (old_total + total, old_count + count)
        self.cache.update(loaded)

    def direct_awards(self, peer: Peer, supplier: str, start, end) -> list[Peer]:
        found = self.cache.get(peer.group, {}).get("direct", {}).get(supplier)
        return found.between(start, end) if found else []

    def year_totals(self, peer: Peer, supplier: str) -> tuple[Decimal, int, Decimal, int]:
        unit = self.cache.get(peer.group, {})
        total, count = unit.get("totals", {}).get(peer.date.year, (Decimal(0), 0))
        mine, mine_count = unit.get("suppliers", {}).get(
            (peer.date.year, supplier), (Decimal(0), 0)
        )
        return total, count, mine, mine_count
