"""Registry indicators: the process's parties against the local mirrors of S1, S2, S3 and 69-B.

Time-aware: a registry status matters at the moments it could have stopped the contract — the
bid, the award, each signature and each payment (``ProcessView.key_dates``) — so a sanction that
began after the last payment, or a 69-B listing later disproved, raises nothing. Each outcome is
about one party (``subject`` = its party id, or the servant's mirror id), and carries the matched
row: system, provider, date of sync and match kind (RFC, CURP or normalised name).
"""

import datetime

from django.utils.translation import gettext_lazy

from indicadores.engine.core import REGISTRIES, SEVERITY_RANK, Context, Indicator, register
from indicadores.engine.process import Party, ProcessView, iso
from indicadores.engine.registries import (
    SAT69B,
    Found,
    match_kind,
    mirror_evidence,
    servant_party,
)
from indicadores.engine.text import gettext as _
from indicadores.engine.text import gettext_noop
from indicadores.outcomes import Severity
from integraciones.models import S3Sanction, Sat69bEvent
from workflows.base.procedures import Stage

ALL_STAGES = frozenset(Stage)
FROM_TENDER = ALL_STAGES - {Stage.PLANNING}
FROM_AWARD = frozenset(
    {
        Stage.AWARD,
        Stage.CONTRACT,
        Stage.IMPLEMENTATION,
        Stage.CONTRACT_AMENDMENT,
        Stage.CONTRACT_TERMINATION,
        Stage.IMPLEMENTATION_UPDATE,
    }
)
MOMENTS = {
    "bid": gettext_noop("la presentación de propuestas"),
    "award": gettext_noop("la adjudicación"),
    "signature": gettext_noop("la firma del contrato"),
    "payment": gettext_noop("un pago"),
}
SYSTEM_NAMES = {
    "s1": gettext_noop("S1 (declaraciones)"),
    "s2": gettext_noop("S2 (servidores que intervienen en contrataciones)"),
    "s3": gettext_noop("S3 (sancionados)"),
    SAT69B: gettext_noop("lista 69-B del SAT"),
}
# Why a declarant matters to the process (MX-CONFLICT's ``link.kind``), as people read it.
S2_INTERVENED = "s2_intervened"
S1_ENTITY = "s1_entity"
LINK_KIND_LABELS = {
    S2_INTERVENED: gettext_lazy("servidor que intervino en el procedimiento (S2)"),
    S1_ENTITY: gettext_lazy("declarante del ente comprador (S1)"),
}
# Where MX-NEWCO took the date of incorporation from.
INCORPORATION_SOURCE_LABELS = {"rfc": gettext_lazy("parte de fecha del RFC")}
IDENTITY_PATHS = ("parties/identifier/id", "parties/name")
DATE_PATHS = ("awards/date", "contracts/dateSigned", "tender/tenderPeriod/endDate")


def _missing_registry(system: str) -> str:
    return _("%(system)s: el espejo local no tiene datos sincronizados") % {
        "system": _(SYSTEM_NAMES[system])
    }


def _identified(party: Party) -> bool:
    return bool(party.rfc or party.curp or len(party.name_normalised) >= 3)


def _moments_evidence(moments) -> list[dict]:
    return [{"moment": kind, "date": iso(date)} for kind, date in moments]


def _moment_text(kind: str, date: datetime.date) -> str:
    return _("%(moment)s (%(date)s)") % {"moment": _(MOMENTS[kind]), "date": date.isoformat()}


# --- MX-SANC ------------------------------------------------------------------------------------


def _periods(sanction: S3Sanction) -> list[tuple[datetime.date | None, datetime.date | None]]:
    """Inhabilitación periods; one without a start begins on the resolution date, one without an
    end has not ended."""
    return [
        (item.start or sanction.resolution_date, item.end)
        for item in sanction.disqualifications.all()
    ]


def _covers(period, date: datetime.date) -> bool:
    start, end = period
    return start is not None and start <= date and (end is None or date <= end)


def _sanction_evidence(found: Found, moments) -> dict:
    sanction = found.row
    periods = _periods(sanction)
    active = [(kind, date) for kind, date in moments if any(_covers(p, date) for p in periods)]
    return {
        "system": "s3",
        **mirror_evidence(sanction, found),
        "subject": sanction.subject,
        "serious": sanction.serious,
        "file_number": sanction.file_number,
        "authority": sanction.authority,
        "sanction_types": sanction.sanction_types,
        "resolution_date": iso(sanction.resolution_date),
        "disqualifications": [{"start": iso(s), "end": iso(e)} for s, e in periods],
        "undated": any(start is None for start, _end in periods),
        "active_on": _moments_evidence(active),
    }


def sanctioned_party(view: ProcessView, context: Context, indicator: Indicator):
    parties = view.suppliers + view.bidders
    data = context.registries
    if "s3" not in data.available:
        return [indicator.unknown([_missing_registry("s3")], subject=p.party_id) for p in parties]
    return [_sanctioned(view, data, indicator, party) for party in parties]


def _sanctioned(view, data, indicator, party: Party):
    evidence = {"party": party.as_evidence(), "registry_synced_at": data.available["s3"]}
    if not _identified(party):
        return indicator.unknown(IDENTITY_PATHS, subject=party.party_id, evidence=evidence)
    moments = view.key_dates(party)
    if not moments:
        return indicator.unknown(DATE_PATHS, subject=party.party_id, evidence=evidence)
    matches = [_sanction_evidence(found, moments) for found in data.s3_private.find(party)]
    evidence |= {"dates": _moments_evidence(moments), "matches": matches}
    active = [match for match in matches if match["active_on"]]
    if active:
        first = active[0]
        moment = first["active_on"][0]
        explanation = _(
            "%(name)s tenía una inhabilitación vigente en S3 (expediente %(file)s, coincidencia "
            "por %(kind)s) en %(moment)s."
        ) % {
            "name": party.name,
            "file": first["file_number"] or "—",
            "kind": first["match_label"],
            "moment": _moment_text(moment["moment"], datetime.date.fromisoformat(moment["date"])),
        }
        return indicator.flag(explanation, subject=party.party_id, evidence=evidence)
    if any(match["undated"] for match in matches):
        missing = [_("S3: fecha de inicio de la inhabilitación")]
        return indicator.unknown(missing, subject=party.party_id, evidence=evidence)
    return indicator.clear(subject=party.party_id, evidence=evidence)


register(
    Indicator(
        code="MX-SANC",
        version=1,
        name=gettext_lazy("Proveedor o licitante sancionado (S3)"),
        description=gettext_lazy(
            "Un proveedor o licitante tiene una inhabilitación vigente en el Sistema 3 de la PDN "
            "a la fecha de su propuesta, de la adjudicación, de la firma o de algún pago."
        ),
        family=REGISTRIES,
        stages=ALL_STAGES,
        data=(
            "parties/identifier/id",
            "parties/name",
            "awards/suppliers",
            "awards/date",
            "contracts/dateSigned",
            "contracts/implementation/transactions/date",
            "tender/tenderPeriod/endDate",
            "bids/details/date",
            "S3",
        ),
        source="OCP R046; IMCO (monto con sancionados); LAASSP art. 50 fracc. IV",
        severity=Severity.HIGH,
        definition=sanctioned_party,
    )
)


# --- MX-EFOS ------------------------------------------------------------------------------------

FLAGGING_STAGES = {
    Sat69bEvent.Stage.DEFINITIVE: Severity.HIGH,
    Sat69bEvent.Stage.PRESUMED: Severity.MEDIUM,
}
STAGE_LABELS = dict(Sat69bEvent.Stage.choices)


def _status_at(events: list, date: datetime.date) -> Sat69bEvent | None:
    """The taxpayer's 69-B stage in force on ``date``: the latest one published by then."""
    current = None
    for event in events:
        if event.date and event.date <= date:
            current = event
    return current


def efos_supplier(view: ProcessView, context: Context, indicator: Indicator):
    data = context.registries
    if SAT69B not in data.available:
        missing = [_missing_registry(SAT69B)]
        return [indicator.unknown(missing, subject=p.party_id) for p in view.suppliers]
    return [_efos(view, data, indicator, party) for party in view.suppliers]


def _efos(view, data, indicator, party: Party):
    evidence = {"party": party.as_evidence(), "registry_synced_at": data.available[SAT69B]}
    if not _identified(party):
        return indicator.unknown(IDENTITY_PATHS, subject=party.party_id, evidence=evidence)
    moments = view.key_dates(party, as_bidder=False)
    if not moments:
        return indicator.unknown(DATE_PATHS, subject=party.party_id, evidence=evidence)
    matches, worst = [], None
    for found in data.sat69b.find(party):
        taxpayer = found.row
        events = sorted(taxpayer.events.all(), key=lambda e: (e.date is None, e.date))
        statuses = []
        for kind, date in moments:
            event = _status_at(events, date)
            stage = event.stage if event else ""
            statuses.append({"moment": kind, "date": iso(date), "status": stage})
            rank = SEVERITY_RANK.get(FLAGGING_STAGES.get(stage), 9)
            if rank < (SEVERITY_RANK[worst[0]] if worst else 9):
                worst = (FLAGGING_STAGES[stage], stage, kind, date, event)
        matches.append(
            {
                "system": SAT69B,
                "source": taxpayer.source,
                "fetched_at": iso(taxpayer.fetched_at),
                "name": taxpayer.name,
                "rfc": taxpayer.rfc,
                "status": taxpayer.status,
                "in_latest_list": taxpayer.in_latest_list,
                "match_kind": found.kind,
                "match_label": found.label,
                "events": [
                    {
                        "stage": e.stage,
                        "date": iso(e.date),
                        "sat_notice": e.sat_notice,
                        "dof_notice": e.dof_notice,
                    }
                    for e in events
                ],
                "status_on": statuses,
                "undated": bool(events) and not any(e.date for e in events),
            }
        )
    evidence |= {"dates": _moments_evidence(moments), "matches": matches}
    if worst:
        severity, stage, kind, date, event = worst
        explanation = _(
            "%(name)s estaba como «%(stage)s» en la lista 69-B del SAT (publicado el %(published)s)"
            " en %(moment)s."
        ) % {
            "name": party.name,
            "stage": STAGE_LABELS[stage],
            "published": iso(event.date),
            "moment": _moment_text(kind, date),
        }
        return indicator.flag(
            explanation, subject=party.party_id, evidence=evidence, severity=severity
        )
    if any(match["undated"] for match in matches):
        missing = [_("lista 69-B: fechas de publicación del contribuyente")]
        return indicator.unknown(missing, subject=party.party_id, evidence=evidence)
    return indicator.clear(subject=party.party_id, evidence=evidence)


register(
    Indicator(
        code="MX-EFOS",
        version=1,
        name=gettext_lazy("Proveedor en la lista 69-B del SAT (EFOS)"),
        description=gettext_lazy(
            "El proveedor estaba publicado en la lista del artículo 69-B del CFF a la fecha de la "
            "adjudicación, de la firma o de algún pago: «Definitivo» es severidad alta y "
            "«Presunto», media; «Desvirtuado» y «Sentencia favorable» no levantan bandera."
        ),
        family=REGISTRIES,
        stages=FROM_AWARD,
        data=(
            "parties/identifier/id",
            "awards/suppliers",
            "awards/date",
            "contracts/dateSigned",
            "contracts/implementation/transactions/date",
            "SAT 69-B",
        ),
        source="OCP R046; IMCO (monto con RFC fantasma); CFF art. 69-B",
        severity=Severity.HIGH,
        definition=efos_supplier,
    )
)


# --- MX-CONFLICT --------------------------------------------------------------------------------


def _declarant_link(view, data, declaration) -> dict | None:
    """Why this declarant matters to the process: an S2 servant who intervened in it, or a
    declarant of the buying entity; None when neither."""
    for servant in data.servants_of(view):
        kind = match_kind(
            servant_party(servant),
            rfc=declaration.rfc,
            curp=declaration.curp,
            name=declaration.name_normalised,
        )
        if kind:
            return {
                "kind": S2_INTERVENED,
                "servant": {"system": "s2", **mirror_evidence(servant)},
                "declarant_match_kind": kind,
                "procedures": [
                    {"file_number": p.file_number, "area": p.area, "act": p.act}
                    for p in servant.procedures.all()
                    if "".join(p.file_number.split()).upper() in view.procedure_identifiers
                ],
            }
    if declaration.entity_name_normalised in data.buyer_names(view):
        return {"kind": S1_ENTITY, "entity_name": declaration.entity_name}
    return None


def conflict_of_interest(view: ProcessView, context: Context, indicator: Indicator):
    data = context.registries
    if "s1" not in data.available:
        missing = [_missing_registry("s1")]
        return [indicator.unknown(missing, subject=p.party_id) for p in view.suppliers]
    return [_conflict(view, data, indicator, party) for party in view.suppliers]


def _conflict(view, data, indicator, party: Party):
    evidence = {
        "party": party.as_evidence(),
        "registry_synced_at": data.available["s1"],
        "s2_available": "s2" in data.available,
        "servants_in_procedure": len(data.servants_of(view)),
    }
    if not _identified(party):
        return indicator.unknown(IDENTITY_PATHS, subject=party.party_id, evidence=evidence)
    matches = []
    for found in data.s1_participations.find(party):
        participation, declaration = found.row, found.row.declaration
        link = _declarant_link(view, data, declaration)
        if link is None:
            continue
        matches.append(
            {
                "system": "s1",
                **mirror_evidence(declaration),
                "match_kind": found.kind,
                "match_label": found.label,
                "declaration_type": declaration.declaration_type,
                "updated_at_source": iso(declaration.updated_at_source),
                "entity_name": declaration.entity_name,
                "job_title": declaration.job_title,
                "participation": {
                    "company": participation.company_name,
                    "rfc": participation.rfc,
                    "percentage": participation.percentage,
                    "kind": participation.kind,
                    "kind_label": participation.kind_label,
                    "relation": participation.relation,
                },
                "link": link,
            }
        )
    evidence["matches"] = matches
    if not matches:
        return indicator.clear(subject=party.party_id, evidence=evidence)
    first = matches[0]
    if first["link"]["kind"] == S2_INTERVENED:
        text = _(
            "%(declarant)s, que intervino en este procedimiento (S2), declaró en S1 una "
            "participación en %(name)s (coincidencia por %(kind)s)."
        )
    else:
        text = _(
            "%(declarant)s, declarante del ente comprador (S1), declaró una participación en "
            "%(name)s (coincidencia por %(kind)s)."
        )
    explanation = text % {
        "declarant": first["name"],
        "name": party.name,
        "kind": first["match_label"],
    }
    return indicator.flag(explanation, subject=party.party_id, evidence=evidence)


register(
    Indicator(
        code="MX-CONFLICT",
        version=1,
        name=gettext_lazy("Conflicto de interés declarado (S1 y S2)"),
        description=gettext_lazy(
            "Un servidor público que intervino en este procedimiento (S2) —o cualquier "
            "declarante del ente comprador (S1)— declaró una participación, acciones o un "
            "beneficio en la empresa proveedora. Se compara por RFC y luego por nombre "
            "normalizado, y se dice cuál."
        ),
        family=REGISTRIES,
        stages=FROM_AWARD,
        data=(
            "parties/identifier/id",
            "parties/name",
            "awards/suppliers",
            "buyer/name",
            "S1",
            "S2",
        ),
        source="OCP R043; LGRA arts. 47 y 58; LAASSP art. 50 fracc. II",
        severity=Severity.HIGH,
        definition=conflict_of_interest,
    )
)


# --- MX-SERV-SANC -------------------------------------------------------------------------------


def _procedure_dates(view: ProcessView) -> list[tuple[str, datetime.date]]:
    moments = [("tender", view.tender_start), ("award", view.award_date)]
    moments += [("signature", contract.date_signed) for contract in view.contracts]
    return [(kind, date) for kind, date in moments if date]


PROCEDURE_MOMENTS = {**MOMENTS, "tender": gettext_noop("el inicio del procedimiento")}


def sanctioned_servant(view: ProcessView, context: Context, indicator: Indicator):
    if not view.tender and not view.awards:
        return []
    data = context.registries
    missing = [_missing_registry(system) for system in ("s2", "s3") if system not in data.available]
    if missing:
        return [indicator.unknown(missing)]
    servants = data.servants_of(view)
    if not servants:
        missing = [_("S2: servidores públicos que intervinieron en este procedimiento")]
        return [
            indicator.unknown(missing, evidence={"identifiers": sorted(view.procedure_identifiers)})
        ]
    dates = _procedure_dates(view)
    return [_servant_outcome(data, indicator, servant, dates) for servant in servants]


def _servant_outcome(data, indicator, servant, dates):
    subject = f"s2:{servant.external_id}"
    person = servant_party(servant)
    evidence = {
        "servant": {"system": "s2", **mirror_evidence(servant), "job_title": servant.job_title},
        "dates": _moments_evidence(dates),
    }
    matches = []
    for found in data.s3_servants.find(person):
        periods = _periods(found.row)
        active = [(kind, date) for kind, date in dates if any(_covers(p, date) for p in periods)]
        match = _sanction_evidence(found, dates)
        match["active_on"] = _moments_evidence(active)
        matches.append(match)
    evidence["matches"] = matches
    if not matches:
        return indicator.clear(subject=subject, evidence=evidence)
    active = [match for match in matches if match["active_on"]]
    first = (active or matches)[0]
    values = {
        "name": servant.name,
        "file": first["file_number"] or "—",
        "kind": first["match_label"],
    }
    if active:
        moment = first["active_on"][0]
        values["moment"] = _(PROCEDURE_MOMENTS[moment["moment"]])
        text = _(
            "%(name)s, que intervino en este procedimiento, tenía una inhabilitación vigente en "
            "S3 (expediente %(file)s, coincidencia por %(kind)s) en %(moment)s."
        )
        return indicator.flag(text % values, subject=subject, evidence=evidence)
    text = _(
        "%(name)s, que intervino en este procedimiento, tiene una sanción en S3 (expediente "
        "%(file)s, coincidencia por %(kind)s)."
    )
    return indicator.flag(
        text % values, subject=subject, evidence=evidence, severity=Severity.MEDIUM
    )


register(
    Indicator(
        code="MX-SERV-SANC",
        version=1,
        name=gettext_lazy("Servidor público sancionado que intervino en el procedimiento"),
        description=gettext_lazy(
            "Un servidor público que S2 registra como participante en este procedimiento tiene "
            "una sanción en S3: severidad alta si su inhabilitación estaba vigente durante el "
            "procedimiento, media si es otra sanción."
        ),
        family=REGISTRIES,
        stages=FROM_TENDER,
        data=("ocid", "tender/id", "tender/tenderPeriod/startDate", "awards/date", "S2", "S3"),
        source="LGRA art. 52; PDN S2 y S3",
        severity=Severity.HIGH,
        definition=sanctioned_servant,
    )
)


# --- MX-NEWCO -----------------------------------------------------------------------------------


def rfc_date(rfc: str, reference: datetime.date) -> datetime.date | None:
    """The date part of a persona moral's RFC (AAA YYMMDD XXX): its constitution date, in the
    latest century that does not put it after ``reference``; None if it is not a valid date."""
    digits = rfc[3:9]
    if len(rfc) != 12 or not digits.isdigit():
        return None
    year, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    for century in (2000, 1900):
        try:
            date = datetime.date(century + year, month, day)
        except ValueError:
            return None
        if date <= reference:
            return date
    return None


def new_company(view: ProcessView, context: Context, indicator: Indicator):
    outcomes = []
    for party in view.suppliers:
        if party.rfc and not party.is_company:
            continue  # a persona física: the RFC's date is a birth date, not an incorporation
        outcomes.append(_new_company(view, indicator, party))
    return outcomes


def _new_company(view, indicator, party: Party):
    evidence = {"party": party.as_evidence()}
    if not party.rfc:
        return indicator.unknown(["parties/identifier/id (RFC)"], subject=party.party_id)
    award_dates = [date for kind, date in view.key_dates(party, as_bidder=False) if kind == "award"]
    if not award_dates:
        return indicator.unknown(["awards/date"], subject=party.party_id, evidence=evidence)
    award = min(award_dates)
    incorporated = rfc_date(party.rfc, award)
    if incorporated is None:
        missing = [_("fecha de constitución (la parte de fecha del RFC no es válida)")]
        return indicator.unknown(missing, subject=party.party_id, evidence=evidence)
    age = (award - incorporated).days
    evidence |= {
        "award_date": iso(award),
        "incorporated": iso(incorporated),
        "incorporation_source": "rfc",
        "incorporation_note": _(
            "Fecha tomada de la parte de fecha del RFC: no hay otra fuente de la fecha de "
            "constitución."
        ),
        "age_days": age,
    }
    if age < indicator.thresholds["days"]:
        explanation = _(
            "%(name)s se constituyó %(days)s días antes de la adjudicación (fecha tomada del "
            "RFC: %(date)s)."
        ) % {"name": party.name, "days": age, "date": iso(incorporated)}
        return indicator.flag(explanation, subject=party.party_id, evidence=evidence)
    return indicator.clear(subject=party.party_id, evidence=evidence)


register(
    Indicator(
        code="MX-NEWCO",
        version=1,
        name=gettext_lazy("Empresa de reciente creación"),
        description=gettext_lazy(
            "La empresa adjudicada se constituyó menos de «days» días antes de la adjudicación. "
            "Sin otra fuente, la fecha de constitución se toma de la parte de fecha del RFC de "
            "la persona moral, y así se dice en la evidencia."
        ),
        family=REGISTRIES,
        stages=FROM_AWARD,
        data=("parties/identifier/id", "awards/suppliers", "awards/date"),
        source="IMCO IRC (empresas de reciente creación); DIGIWHIST INTEGRITY_NEW_COMPANY",
        severity=Severity.MEDIUM,
        definition=new_company,
        defaults={"days": 365},
    )
)
