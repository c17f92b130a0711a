"""Registry look-ups for a batch of processes: a handful of queries whatever the batch size.

The rules are those of ``integraciones.matching`` (docs/arquitectura.md, decision 10): RFC first,
CURP second, normalised name last, and the kind of match is kept with the evidence. One rule is
added: a name alone never matches two parties whose RFCs (or CURPs) are both known and differ —
homonyms are common, an RFC is not. Rows are fetched for every key of every party of the batch at
once (``rfc IN …``, ``curp IN …``, ``name_normalised IN …`` on the mirrors' indexes) and indexed
in memory, so evaluating a process costs the same whether it is alone (a candidate record) or one
of a chunk of ``calcular_indicadores``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from cms.models import Entity
from indicadores.engine.process import Party, ProcessView, iso
from integraciones.matching import CURP_EXACT, NORMALISED_NAME, RFC_EXACT, STRENGTH
from integraciones.models import (
    RegistryProvider,
    S1Declaration,
    S1Participation,
    S2Procedure,
    S2PublicServant,
    S3Sanction,
    Sat69bTaxpayer,
)
from ocds_pages.party_keys import normalise_name

MIN_NAME_LENGTH = 3
SAT69B = "69b"
# The words the explanations and ``match_label`` use ("coincidencia por RFC"). They are part of
# each indicator's output: changing them changes stored findings, which would reopen dismissed
# alerts (alerts._differs) unless the indicators' versions change too. The screens name a match
# kind by integraciones.matching.MATCH_KIND_LABELS instead.
MATCH_LABELS = {RFC_EXACT: "RFC", CURP_EXACT: "CURP", NORMALISED_NAME: "nombre normalizado"}


def match_kind(party: Party, *, rfc: str = "", curp: str = "", name: str = "") -> str | None:
    """How ``party`` matches a registry row with these keys, or None."""
    if party.rfc and rfc and party.rfc == rfc:
        return RFC_EXACT
    if party.curp and curp and party.curp == curp:
        return CURP_EXACT
    if party.rfc and rfc or party.curp and curp:
        return None  # both sides identified, and differently: a namesake
    if len(party.name_normalised) >= MIN_NAME_LENGTH and party.name_normalised == name:
        return NORMALISED_NAME
    return None


@dataclass(frozen=True)
class Found:
    """A registry row that matched a party, and how."""

    kind: str
    row: Any

    @property
    def label(self) -> str:
        return MATCH_LABELS[self.kind]


class KeyIndex:
    """Rows indexed by RFC, CURP and normalised name, searched with :func:`match_kind`."""

    def __init__(self, rows: Iterable, *, rfc="rfc", curp="curp", name="name_normalised"):
        self.columns = (rfc, curp, name)
        self.by_key: dict[tuple[str, str], list] = defaultdict(list)
        for row in rows:
            for column in self.columns:
                value = getattr(row, column, "") if column else ""
                if value:
                    self.by_key[(column, value)].append(row)

    def find(self, party: Party) -> list[Found]:
        rfc, curp, name = self.columns
        candidates = {}
        for column, value in ((rfc, party.rfc), (curp, party.curp), (name, party.name_normalised)):
            for row in self.by_key.get((column, value), []) if column and value else []:
                candidates[id(row)] = row
        found = []
        for row in candidates.values():
            kind = match_kind(
                party,
                rfc=getattr(row, rfc, "") if rfc else "",
                curp=getattr(row, curp, "") if curp else "",
                name=getattr(row, name, "") if name else "",
            )
            if kind:
                found.append(Found(kind, row))
        return sorted(found, key=lambda f: (STRENGTH[f.kind], f.row.pk))


def key_filter(parties: Iterable[Party], *, rfc="rfc", curp="curp", name="name_normalised") -> Q:
    """Rows whose RFC, CURP or normalised name is one of the parties' (never every row)."""
    parties = list(parties)
    rfcs = {p.rfc for p in parties if p.rfc}
    curps = {p.curp for p in parties if p.curp}
    names = {p.name_normalised for p in parties if len(p.name_normalised) >= MIN_NAME_LENGTH}
    query = Q(pk__in=[])
    if rfc and rfcs:
        query |= Q(**{f"{rfc}__among": rfcs})
    if curp and curps:
        query |= Q(**{f"{curp}__among": curps})
    if name and names:
        query |= Q(**{f"{name}__among": names})
    return query


def servant_party(servant: S2PublicServant) -> Party:
    return Party(
        party_id=f"s2:{servant.pk}",
        name=servant.name,
        rfc=servant.rfc,
        curp=servant.curp,
        name_normalised=servant.name_normalised,
    )


def mirror_evidence(row, found: Found | None = None) -> dict[str, Any]:
    """Where a mirrored row came from: system, provider, date of sync and the match kind."""
    evidence = {
        "source": row.provider.name,
        "supplier_name": row.provider.supplier_name,
        "fetched_at": iso(row.fetched_at),
        "name": row.name,
        "rfc": row.rfc,
        "curp": row.curp,
        "external_id": row.external_id,
    }
    if found:
        evidence |= {"match_kind": found.kind, "match_label": found.label}
    return evidence


class RegistryData:
    """The mirrored rows that concern a batch of processes, fetched once and indexed."""

    def __init__(self, processes: list[ProcessView]):
        self.available = self._available_systems()
        parties = [party for view in processes for party in (*view.suppliers, *view.tenderers)]
        self.s3_private = KeyIndex(self._s3(key_filter(parties), servants=False))
        self.sat69b = KeyIndex(self._sat69b(parties), curp=None)
        self.s1_participations = KeyIndex(self._s1(parties), curp=None)
        self.servants_by_file = self._servants(processes)
        servants = {s.pk: s for group in self.servants_by_file.values() for s in group}.values()
        servant_parties = [servant_party(s) for s in servants]
        self.s3_servants = KeyIndex(self._s3(key_filter(servant_parties), servants=True))
        self.entity_names = self._entity_names(processes)

    # -- queries --------------------------------------------------------------------------------

    @staticmethod
    def _available_systems() -> dict[str, str | None]:
        """Systems with data: a complete sync of one provider, or rows in the mirror (loaded by
        other means). Value: the date of the last complete sync, when there is one."""
        synced: dict[str, str | None] = {}
        for system, moment in RegistryProvider.objects.filter(
            last_success_at__isnull=False
        ).values_list("system", "last_success_at"):
            synced[system] = max(filter(None, [synced.get(system), iso(moment)]))
        for system, model in (("s1", S1Declaration), ("s2", S2PublicServant), ("s3", S3Sanction)):
            if system not in synced and model.objects.exists():
                synced[system] = None
        latest = Sat69bTaxpayer.objects.order_by("-fetched_at").values_list("fetched_at").first()
        if latest:
            synced[SAT69B] = iso(latest[0])
        return synced

    @staticmethod
    def _s3(query: Q, *, servants: bool) -> list[S3Sanction]:
        subjects = S3Sanction.objects.filter(query)
        if servants:
            subjects = subjects.filter(subject=S3Sanction.Subject.SERVANT)
        else:
            subjects = subjects.exclude(subject=S3Sanction.Subject.SERVANT)
        return list(subjects.select_related("provider").prefetch_related("disqualifications"))

    @staticmethod
    def _sat69b(parties: list[Party]) -> list[Sat69bTaxpayer]:
        query = key_filter(parties, curp=None)
        return list(Sat69bTaxpayer.objects.filter(query).prefetch_related("events"))

    @staticmethod
    def _s1(parties: list[Party]) -> list[S1Participation]:
        query = key_filter(parties, curp=None)
        return list(S1Participation.objects.filter(query).select_related("declaration__provider"))

    @staticmethod
    def _servants(processes: list[ProcessView]) -> dict[str, list[S2PublicServant]]:
        identifiers = {
            value
            for view in processes
            for value in view.procedure_identifiers | view.raw_procedure_identifiers
        }
        by_file: dict[str, list[S2PublicServant]] = defaultdict(list)
        if not identifiers:
            return by_file
        procedures = S2Procedure.objects.filter(file_number__among=identifiers).select_related(
            "servant__provider"
        )
        for procedure in procedures:
            servants = by_file["".join(procedure.file_number.split()).upper()]
            if procedure.servant not in servants:
                servants.append(procedure.servant)
        return by_file

    @staticmethod
    def _entity_names(processes: list[ProcessView]) -> dict[int, str]:
        ids = {view.entity_id for view in processes if view.entity_id}
        rows = Entity.objects.filter(pk__in=ids).values_list("pk", "name")
        return {pk: normalise_name(name) for pk, name in rows}

    # -- per process ----------------------------------------------------------------------------

    def servants_of(self, view: ProcessView) -> list[S2PublicServant]:
        """S2 servants who declared they intervened in this procedure (by its file number)."""
        found: dict[int, S2PublicServant] = {}
        for identifier in view.procedure_identifiers:
            for servant in self.servants_by_file.get(identifier, []):
                found.setdefault(servant.pk, servant)
        return sorted(found.values(), key=lambda s: s.pk)

    def buyer_names(self, view: ProcessView) -> set[str]:
        """The normalised names the buying entity goes by (its record and the release's buyer)."""
        names = {view.buyer_name_normalised, self.entity_names.get(view.entity_id, "")}
        return {name for name in names if name}
