"""From a record as the API returns it to rows of the local mirror tables.

Each ``_parse_*`` function reads one record shape of the specification and returns the columns of
the mirror row plus its children (participations, procedures, beneficiaries, inhabilitaciones).
``store_records`` upserts a page of them on (provider, collection, external id) and replaces the
children of each upserted row, inside one transaction, so a page is either fully stored or not.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from integraciones.models import (
    RegistryProvider,
    S1Declaration,
    S1Participation,
    S2Beneficiary,
    S2Procedure,
    S2PublicServant,
    S3Disqualification,
    S3Sanction,
)
from ocds_pages.party_keys import normalise_curp, normalise_name, normalise_rfc, person_name


@dataclass
class Parsed:
    """Columns of one mirror row and its children, before they touch the database."""

    columns: dict[str, Any]
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def as_list(value: Any) -> list:
    """The v2 specifications give some blocks as an object in one place and a list in another."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def obj(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def to_date(value: Any) -> datetime.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_date(value[:10])
    except ValueError:
        return None


def to_datetime(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_datetime(value)
    except ValueError:
        return None


def identity(*, name: str, rfc: Any = "", curp: Any = "") -> dict[str, str]:
    return {
        "name": name[:500],
        "name_normalised": normalise_name(name)[:500],
        "rfc": normalise_rfc(rfc if isinstance(rfc, str) else ""),
        "curp": normalise_curp(curp if isinstance(curp, str) else ""),
    }


# -- S1 ----------------------------------------------------------------------------------------


def _s1_rfc(general: dict) -> str:
    """S1 splits the RFC into its ten-character root and the homoclave."""
    rfc = general.get("rfc")
    if isinstance(rfc, dict):
        return f"{rfc.get('rfc') or ''}{rfc.get('homoClave') or ''}"
    return rfc if isinstance(rfc, str) else ""


def _parse_s1(record: dict, collection: str) -> Parsed:
    declaration = obj(record.get("declaracion"))
    situation = obj(declaration.get("situacionPatrimonial"))
    general = obj(situation.get("datosGenerales"))
    job = obj(situation.get("datosEmpleoCargoComision"))
    metadata = obj(record.get("metadata"))
    name = person_name(
        general.get("nombre"), general.get("primerApellido"), general.get("segundoApellido")
    )
    entity = job.get("nombreEntePublico") or ""
    participations = []
    block = obj(obj(declaration.get("interes")).get("participacion"))
    for item in as_list(block.get("participacion")):
        item = obj(item)
        company = item.get("nombreEmpresaSociedadAsociacion") or ""
        kind = obj(item.get("tipoParticipacion"))
        percentage = item.get("porcentajeParticipacion")
        participations.append(
            {
                "company_name": company[:500],
                "name_normalised": normalise_name(company)[:500],
                "rfc": normalise_rfc(item.get("rfc") or ""),
                "percentage": percentage if isinstance(percentage, int) else None,
                "kind": (kind.get("clave") or "")[:10],
                "kind_label": (kind.get("valor") or "")[:100],
                "relation": (item.get("tipoRelacion") or "")[:30],
                "receives_pay": item.get("recibeRemuneracion")
                if isinstance(item.get("recibeRemuneracion"), bool)
                else None,
            }
        )
    return Parsed(
        columns={
            **identity(name=name, rfc=_s1_rfc(general), curp=general.get("curp")),
            "declaration_type": (metadata.get("tipo") or "")[:20],
            "updated_at_source": to_datetime(metadata.get("actualizacion")),
            "entity_name": entity[:500],
            "entity_name_normalised": normalise_name(entity)[:500],
            "job_title": (job.get("empleoCargoComision") or "")[:500],
        },
        children={"participations": participations},
    )


# -- S2 ----------------------------------------------------------------------------------------


def _parse_s2_v1(record: dict, collection: str) -> Parsed:
    name = person_name(
        record.get("nombres"), record.get("primerApellido"), record.get("segundoApellido")
    )
    return Parsed(
        columns={
            **identity(name=name, rfc=record.get("rfc"), curp=record.get("curp")),
            "entity_name": (obj(record.get("institucionDependencia")).get("nombre") or "")[:500],
            "job_title": (obj(record.get("puesto")).get("nombre") or "")[:500],
            "procedure_types": [
                obj(item).get("valor") or obj(item).get("clave")
                for item in as_list(record.get("tipoProcedimiento"))
            ],
            "areas": [
                obj(item).get("valor") or obj(item).get("clave")
                for item in as_list(record.get("tipoArea"))
            ],
        },
    )


def _procedure(act: str, area: str, data: dict) -> dict[str, Any]:
    return {
        "file_number": (data.get("numeroExpedienteFolio") or "")[:255],
        "act": act,
        "procedure_kind": (data.get("tipoProcedimiento") or "")[:60],
        "subject": (data.get("materia") or "")[:60],
        "area": (area or "")[:60],
        "start_date": to_date(
            data.get("fechaInicioProcedimiento") or data.get("fechaInicioVigencia")
        ),
        "end_date": to_date(
            data.get("fechaConclusionProcedimiento") or data.get("fechaConclusionVigencia")
        ),
    }


def _beneficiaries(people: Iterable, file_numbers: list[str]) -> list[dict[str, Any]]:
    rows = []
    for person in people:
        person = obj(person)
        name = person.get("razonSocial") or person_name(
            person.get("nombre"), person.get("primerApellido"), person.get("segundoApellido")
        )
        if name:
            rows.append(
                {
                    "name": name[:500],
                    "name_normalised": normalise_name(name)[:500],
                    "file_numbers": file_numbers,
                }
            )
    return rows


def _s2_v2_acts(record: dict) -> Iterable[tuple[str, str, list[dict], list]]:
    """(act, area, procedure data blocks, beneficiaries) for every block of an S2 v2 record."""
    for contracting in as_list(record.get("tipoContratacion")):
        contracting = obj(contracting)
        for act, key in (("contratacion", "contratacionAdquisicion"), ("obra", "contratacionObra")):
            block = obj(contracting.get(key))
            yield (
                act,
                block.get("tipoArea") or "",
                as_list(block.get("datosGeneralesProcedimientos")),
                as_list(block.get("informacionPersonasBeneficiarias")),
            )
    concession = obj(record.get("otorgamientoConcesion"))
    data = [obj(item) for item in as_list(concession.get("datosGeneralesConcesiones"))]
    holders = [
        {"razonSocial": item.get("denominacionPersonaMoral") or item.get("nombrePersonaFisica")}
        for item in data
    ]
    yield (
        "concesion",
        "",
        data,
        as_list(concession.get("informacionPersonasBeneficiarias")) + holders,
    )
    sale = obj(record.get("enajenacionBien"))
    yield "enajenacion", "", as_list(sale.get("datosEnajenacionesBienes")), []
    appraisal = obj(record.get("avaluosJustipreciacion"))
    yield "avaluo", "", as_list(appraisal.get("datosDictaminacionesAvaluos")), []


def _parse_s2_v2(record: dict, collection: str) -> Parsed:
    general = obj(record.get("datosGenerales"))
    job = obj(record.get("empleoCargoComision"))
    name = person_name(
        general.get("nombre"), general.get("primerApellido"), general.get("segundoApellido")
    )
    procedures, beneficiaries, areas = [], [], []
    for act, area, blocks, people in _s2_v2_acts(record):
        files = [obj(b).get("numeroExpedienteFolio") for b in blocks]
        procedures += [_procedure(act, area, obj(b)) for b in blocks]
        beneficiaries += _beneficiaries(people, [f for f in files if f])
        if area and blocks:
            areas.append(area)
    entity = job.get("nombreEntePublico") or obj(record.get("entePublico")).get("nombre") or ""
    return Parsed(
        columns={
            **identity(name=name, rfc=general.get("rfc"), curp=general.get("curp")),
            "entity_name": entity[:500],
            "job_title": (job.get("denominacion") or "")[:500],
            "procedure_types": [record["tipoProcedimiento"]]
            if record.get("tipoProcedimiento")
            else [],
            "areas": sorted(set(areas)),
        },
        children={"procedures": procedures, "beneficiaries": beneficiaries},
    )


# -- S3 ----------------------------------------------------------------------------------------


def _v1_disqualification(record: dict) -> list[dict[str, Any]]:
    block = obj(record.get("inhabilitacion"))
    if not block:
        return []
    return [
        {
            "start": to_date(block.get("fechaInicial")),
            "end": to_date(block.get("fechaFinal")),
            "term": str(block.get("plazo") or "")[:100],
        }
    ]


def _parse_s3_servant_v1(record: dict, collection: str) -> Parsed:
    person = obj(record.get("servidorPublicoSancionado"))
    name = person_name(
        person.get("nombres"), person.get("primerApellido"), person.get("segundoApellido")
    )
    return Parsed(
        columns={
            **identity(name=name, rfc=person.get("rfc"), curp=person.get("curp")),
            "subject": S3Sanction.Subject.SERVANT,
            "serious": None,
            "file_number": (record.get("expediente") or "")[:255],
            "authority": (
                record.get("autoridadSancionadora")
                or obj(record.get("institucionDependencia")).get("nombre")
                or ""
            )[:500],
            "sanction_types": [obj(t).get("clave") for t in as_list(record.get("tipoSancion"))],
            "resolution_date": to_date(obj(record.get("resolucion")).get("fechaResolucion")),
        },
        children={"disqualifications": _v1_disqualification(record)},
    )


def _parse_s3_private_v1(record: dict, collection: str) -> Parsed:
    party = obj(record.get("particularSancionado"))
    subject = (
        S3Sanction.Subject.COMPANY
        if party.get("tipoPersona") == "M"
        else S3Sanction.Subject.INDIVIDUAL
    )
    return Parsed(
        columns={
            **identity(name=party.get("nombreRazonSocial") or "", rfc=party.get("rfc")),
            "subject": subject,
            "serious": None,
            "file_number": (record.get("expediente") or "")[:255],
            "authority": (record.get("autoridadSancionadora") or "")[:500],
            "sanction_types": [obj(t).get("clave") for t in as_list(record.get("tipoSancion"))],
            "resolution_date": to_date(obj(record.get("resolucion")).get("fechaNotificacion")),
        },
        children={"disqualifications": _v1_disqualification(record)},
    )


def _v2_disqualifications(record: dict) -> list[dict[str, Any]]:
    rows = []
    for sanction in as_list(record.get("tipoSancion")):
        block = obj(obj(sanction).get("inhabilitacion"))
        if not block:
            continue
        term = ", ".join(
            f"{block[key]} {label}"
            for key, label in (
                ("plazoAnios", "años"),
                ("plazoMeses", "meses"),
                ("plazoDias", "días"),
            )
            if block.get(key)
        )
        rows.append(
            {
                "start": to_date(block.get("fechaInicial")),
                "end": to_date(block.get("fechaFinal")),
                "term": term[:100],
            }
        )
    return rows


V2_SUBJECTS = {
    "faltas_administrativas_graves": (S3Sanction.Subject.SERVANT, True),
    "faltas_administrativas_no_graves": (S3Sanction.Subject.SERVANT, False),
    "faltas_graves_personas_fisicas": (S3Sanction.Subject.INDIVIDUAL, True),
    "faltas_graves_personas_morales": (S3Sanction.Subject.COMPANY, True),
}


def _parse_s3_v2(record: dict, collection: str) -> Parsed:
    subject, serious = V2_SUBJECTS.get(collection, (S3Sanction.Subject.SERVANT, None))
    general = obj(record.get("datosGenerales"))
    if subject == S3Sanction.Subject.COMPANY:
        name = general.get("nombreRazonSocial") or ""
    else:
        name = person_name(
            general.get("nombres"), general.get("primerApellido"), general.get("segundoApellido")
        )
    resolution = obj(record.get("resolucion"))
    authority = resolution.get("autoridadResolutora") or obj(record.get("entePublico")).get(
        "nombre"
    )
    return Parsed(
        columns={
            **identity(name=name, rfc=general.get("rfc"), curp=general.get("curp")),
            "subject": subject,
            "serious": serious,
            "file_number": (record.get("expediente") or "")[:255],
            "authority": (authority or "")[:500],
            "sanction_types": [obj(t).get("clave") for t in as_list(record.get("tipoSancion"))],
            "resolution_date": to_date(
                resolution.get("fechaResolucionFirme") or resolution.get("fechaResolucion")
            ),
        },
        children={"disqualifications": _v2_disqualifications(record)},
    )


# -- storage -----------------------------------------------------------------------------------

# (system, version, collection or "*") -> (parser, mirror model, {child relation: child model})
PARSERS = {
    ("s1", "v2", "*"): (_parse_s1, S1Declaration, {"participations": S1Participation}),
    ("s2", "v1", "*"): (_parse_s2_v1, S2PublicServant, {}),
    (
        "s2",
        "v2",
        "*",
    ): (_parse_s2_v2, S2PublicServant, {"procedures": S2Procedure, "beneficiaries": S2Beneficiary}),
    ("s3", "v1", "ssancionados"): (
        _parse_s3_servant_v1,
        S3Sanction,
        {"disqualifications": S3Disqualification},
    ),
    ("s3", "v1", "psancionados"): (
        _parse_s3_private_v1,
        S3Sanction,
        {"disqualifications": S3Disqualification},
    ),
    ("s3", "v2", "*"): (_parse_s3_v2, S3Sanction, {"disqualifications": S3Disqualification}),
}

CHILD_PARENT_FIELD = {
    S1Participation: "declaration",
    S2Procedure: "servant",
    S2Beneficiary: "servant",
    S3Disqualification: "sanction",
}


def parser_for(provider: RegistryProvider, collection: str):
    key = (provider.system, provider.version)
    return PARSERS.get((*key, collection)) or PARSERS[(*key, "*")]


def _source_ids(model, *, provider: RegistryProvider, collection: str, external_ids) -> dict:
    rows = model.objects.filter(
        provider=provider, collection=collection, external_id__in=list(external_ids)
    )
    return dict(rows.values_list("external_id", "pk"))


@transaction.atomic
def store_records(
    *,
    provider: RegistryProvider,
    collection: str,
    records: list[dict],
    generation,
    fetched_at: datetime.datetime,
) -> int:
    """Upsert a page of records into the provider's mirror; returns how many were stored.

    A handful of queries per page whatever its size (bulk insert, bulk update, children replaced
    in bulk), because national registries run to hundreds of thousands of rows.
    """
    parse, model, child_models = parser_for(provider, collection)
    # A record repeated within a page (a server paging carelessly): the last copy wins.
    parsed = {str(record["id"])[:255]: (record, parse(record, collection)) for record in records}
    if not parsed:
        return 0
    known = _source_ids(model, provider=provider, collection=collection, external_ids=parsed)
    rows = [
        model(
            pk=known.get(external_id),
            provider=provider,
            collection=collection,
            external_id=external_id,
            generation=generation,
            fetched_at=fetched_at,
            raw=record,
            **result.columns,
        )
        for external_id, (record, result) in parsed.items()
    ]
    model.objects.bulk_create([row for row in rows if row.pk is None])
    updated_fields = ["generation", "fetched_at", "raw", *next(iter(parsed.values()))[1].columns]
    model.objects.bulk_update([row for row in rows if row.pk is not None], updated_fields)
    ids = _source_ids(model, provider=provider, collection=collection, external_ids=parsed)
    for relation, child_model in child_models.items():
        parent_field = CHILD_PARENT_FIELD[child_model]
        child_model.objects.filter(**{f"{parent_field}_id__in": ids.values()}).delete()
        child_model.objects.bulk_create(
            child_model(**{f"{parent_field}_id": ids[external_id]}, **values)
            for external_id, (_record, result) in parsed.items()
            for values in result.children.get(relation, [])
        )
    return len(parsed)


def mirror_models() -> tuple:
    return (S1Declaration, S2PublicServant, S3Sanction)


def sweep_stale_rows(*, provider: RegistryProvider, generation) -> int:
    """After a complete run: delete the provider's rows that the run did not see again."""
    deleted = 0
    for model in mirror_models():
        _total, per_model = (
            model.objects.filter(provider=provider).exclude(generation=generation).delete()
        )
        deleted += per_model.get(model._meta.label, 0)
    return deleted
