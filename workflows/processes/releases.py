"""Build the OCDS release an approved stage publishes, from the process and the stage's fragment.

The fragment is what the stage form makes of what people captured, shaped like OCDS (computed
from the stage draft's values at approval). What the system knows for sure (ocid,
release id, date, tag, buyer, the procurement method of the procedure, the ids of the award and
contract, the status an event implies) is set here and wins over the draft.
"""

from collections.abc import Callable, Sequence

from ocds_pages.documents import build_document
from ocds_pages.party_keys import RFC_SCHEME, rfc_party_id
from ocds_pages.publication import ReleaseSlot
from workflows.base import currencies
from workflows.base.procedures import ProcedureType, Stage
from workflows.base.rules import bid_details, organization_id

DOCUMENT_SECTION = {
    Stage.PLANNING: "planning",
    Stage.TENDER: "tender",
    Stage.CLARIFICATION_MEETING: "tender",
    Stage.TENDER_AMENDMENT: "tender",
    Stage.AWARD: "awards",
    Stage.CONTRACT: "contracts",
    Stage.CONTRACT_AMENDMENT: "contracts",
}


# Parts other layers add to a stage's release (docs/arquitectura.md §4): ``part(release, stage,
# documents)`` completes the release in place from the stage's documents (the latest version of
# each). The market research adds its requestForQuotes to planning (indicadores/market/quotes.py).
ReleasePart = Callable[[dict, Stage, Sequence], None]
_release_parts: dict[str, ReleasePart] = {}


def register_release_part(name: str, part: ReleasePart) -> None:
    """Register (or replace) the part called ``name``; idempotent, for ``ready()``."""
    _release_parts[name] = part


def party_id(entity) -> str:
    """The buyer's party id: by RFC, or by the entity's key when it has none."""
    return rfc_party_id(entity.rfc) if entity.rfc else f"MX-ENTE-{entity.key}"


def buyer_party(entity) -> dict:
    party = {"id": party_id(entity), "name": entity.name, "roles": ["buyer", "procuringEntity"]}
    if entity.rfc:
        party["identifier"] = {"scheme": RFC_SCHEME, "id": entity.rfc, "legalName": entity.name}
    return party


def award_id(ocid: str, index: int = 0) -> str:
    return f"{ocid}-award-{index + 1}"


def contract_id(ocid: str, index: int = 0) -> str:
    return f"{ocid}-contract-{index + 1}"


def build_stage_release(
    *, stage_process, fragment: dict, slot: ReleaseSlot, documents=(), document_url=None
) -> dict:
    """The release for ``stage_process`` (a StageProcess) from the OCDS ``fragment`` its form
    produced (``process_services.stage_fragment``), in ``slot``: the id, date and previous release
    that publication assigns (``ocds_pages.publication.next_release_slot``)."""
    process = stage_process.contracting_process
    stage = Stage(stage_process.stage)
    release = _envelope(process, stage, slot)
    draft = _json_copy(fragment or {})
    release["parties"] = _parties(process, draft.pop("parties", []))
    for key, value in draft.items():
        if key not in release:
            release[key] = value

    def previous() -> str | None:
        return slot.previous_id

    _SECTION_BUILDERS[stage](release, process, stage, previous)
    _attach_documents(release, stage, documents, document_url)
    if documents:
        for part in _release_parts.values():
            part(release, stage, documents)
    _keep_roles(release, slot.party_roles)
    return release


def _keep_roles(release: dict, known) -> None:
    """A party named again repeats the roles it already has in the process: OCDS replaces the
    ``roles`` list whole when merging, so the record would otherwise forget them."""
    for party in release["parties"]:
        if party.get("id") in known:
            _add_role(party, *known[party["id"]])


def _json_copy(value):
    """A copy of a JSON tree (what a draft is): like copy.deepcopy, several times faster."""
    if isinstance(value, dict):
        return {key: _json_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_copy(item) for item in value]
    return value


def _envelope(process, stage: Stage, slot: ReleaseSlot) -> dict:
    ocid = process.ocid
    return {
        "ocid": ocid,
        "id": slot.id,
        "date": slot.date,
        "tag": [stage.release_tag],
        "language": "es",
        "initiationType": "tender",
        "buyer": {"id": party_id(process.entity), "name": process.entity.name},
    }


def _parties(process, captured) -> list[dict]:
    parties = [buyer_party(process.entity)]
    seen = {parties[0]["id"]}
    for party in captured if isinstance(captured, list) else []:
        if isinstance(party, dict) and party.get("id") not in seen:
            parties.append(party)
            seen.add(party.get("id"))
    return parties


def _dict(release: dict, key: str) -> dict:
    value = release.get(key)
    if not isinstance(value, dict):
        value = release[key] = {}
    return value


def _objects(release: dict, key: str) -> list[dict]:
    value = release.get(key)
    if not isinstance(value, list) or not value:
        value = release[key] = [{}]
    return [item for item in value if isinstance(item, dict)]


# --- per stage -----------------------------------------------------------------------------------


def _planning(release, process, stage, previous):
    planning = _dict(release, "planning")
    lines = [line for line in process.budget_lines or [] if isinstance(line, dict)]
    total = sum(float(line.get("amount") or 0) for line in lines)
    budget = {
        "id": f"{process.ocid}-budget",
        "description": _budget_description(process, lines),
        "amount": {"amount": total, "currency": currencies.default_currency()},
        "project": process.title,
    }
    budget.update(planning.get("budget") or {})
    planning["budget"] = budget
    if process.replaces_id:
        release["relatedProcesses"] = [_replaced_process(process.replaces)]


def _budget_description(process, lines) -> str:
    keys = ", ".join(str(line.get("id")) for line in lines if line.get("id"))
    text = f"Ejercicio fiscal {process.fiscal_year}"
    return f"{text}. Partidas: {keys}" if keys else text


def _replaced_process(previous) -> dict:
    return {
        "id": "1",
        "relationship": ["unsuccessfulProcess"],
        "title": previous.title,
        "scheme": "ocid",
        "identifier": previous.ocid,
    }


def _tender(release, process, stage, previous):
    tender = _dict(release, "tender")
    tender.setdefault("title", process.title)
    if process.description:
        tender.setdefault("description", process.description)
    _status(release, stage)
    tender.update(_tender_identity(process))


def _tender_identity(process) -> dict:
    """The fields the procedure type decides; a draft cannot change them."""
    procedure = ProcedureType(process.procedure_type)
    return {
        "id": f"{process.ocid}-tender",
        "procurementMethod": procedure.procurement_method,
        "procurementMethodDetails": str(procedure.label),
        "mainProcurementCategory": process.main_procurement_category,
    }


def _tender_event(release, process, stage, previous):
    tender = _dict(release, "tender")
    tender["id"] = f"{process.ocid}-tender"
    _amendment_ids(tender, release, previous)
    _status(release, stage)


def _clarification_meeting(release, process, stage, previous):
    """Each junta gets an id of its release: OCDS merges meetings by id, and the form numbers its
    rows from 1, so a second junta would otherwise replace the first in the record."""
    _tender_event(release, process, stage, previous)
    for index, meeting in enumerate(release["tender"].get("clarificationMeetings") or []):
        if isinstance(meeting, dict):
            meeting["id"] = f"{release['id']}-{index + 1}"


def _awards(release, process, stage, previous):
    for index, award in enumerate(_objects(release, "awards")):
        award["id"] = award_id(process.ocid, index)
        award.setdefault("date", release["date"])
    if stage == Stage.AWARD:
        # The fallo ends the tendering: its status is no longer «active» (tenderStatus codelist:
        # «complete: the tender process is complete»), as consumers read a process's progress.
        _dict(release, "tender")["status"] = "complete"
    if "tender" in release:
        _dict(release, "tender")["id"] = f"{process.ocid}-tender"
    if "bids" in release:
        _bid_parties(release)
    _status(release, stage)


def _bid_parties(release) -> None:
    """Bidders captured by name and RFC become parties (role tenderer), referenced by id."""
    parties = {party.get("id"): party for party in release["parties"]}
    for bid in bid_details(release):
        tenderers = bid.get("tenderers") or []
        bid["tenderers"] = [_party_reference(parties, t, "tenderer") for t in tenderers]
    release["parties"] = list(parties.values())


def _contracts(release, process, stage, previous):
    for index, contract in enumerate(_objects(release, "contracts")):
        contract["id"] = contract_id(process.ocid, index)
        contract.setdefault("awardID", award_id(process.ocid, 0))
        _amendment_ids(contract, release, previous)
        _implementation_ids(contract, release)
        _payments(release, contract)
    _status(release, stage)


def _implementation_ids(contract: dict, release: dict) -> None:
    """Payments and milestones the form only numbered (1, 2…) get an id of their release.

    OCDS merges them by id: each «Actualización de la ejecución» numbers its rows from 1 again,
    so without this the second update's first milestone would replace the first one's in the
    record and the indicators would lose it. An id the form captured (the CFDI folio of a
    payment) is kept.
    """
    implementation = contract.get("implementation")
    if not isinstance(implementation, dict):
        return
    for key in ("transactions", "milestones"):
        for element in implementation.get(key) or []:
            if isinstance(element, dict) and str(element.get("id", "")).isdigit():
                element["id"] = f"{release['id']}-{element['id']}"


def _payments(release: dict, contract: dict) -> None:
    """Each payment names who pays and who is paid as references to parties, so consumers join
    payments to the buyer and to the supplier by ``parties[].id`` (OCDS Transaction).

    The payer is the buyer; the payee is the organization captured by name and RFC (the party
    the supplier already is, since its id comes from the same RFC). The CFDI folio is the
    transaction id, written upper case as the SAT prints it, so the same CFDI captured twice is
    one payment.
    """
    implementation = contract.get("implementation")
    if not isinstance(implementation, dict):
        return
    transactions = [t for t in implementation.get("transactions") or [] if isinstance(t, dict)]
    if not transactions:
        return
    parties = {party.get("id"): party for party in release["parties"]}
    buyer = release["buyer"]
    _add_role(parties[buyer["id"]], "payer")
    for transaction in transactions:
        if isinstance(transaction.get("id"), str):
            transaction["id"] = transaction["id"].upper()
        transaction["payer"] = {"id": buyer["id"], "name": buyer["name"]}
        payee = transaction.get("payee")
        if isinstance(payee, dict) and organization_id(payee):
            transaction["payee"] = _party_reference(parties, payee, "payee")
    release["parties"] = list(parties.values())


def _party_reference(parties: dict, organization: dict, role: str) -> dict:
    """The reference to ``organization`` (captured by name and RFC), its party added to
    ``parties`` with ``role``."""
    party_id = organization_id(organization)
    party = parties.setdefault(party_id, {"id": party_id, "name": organization.get("name")})
    if organization.get("identifier"):
        party.setdefault("identifier", {**organization["identifier"], "scheme": RFC_SCHEME})
    _add_role(party, role)
    return {"id": party_id, "name": party.get("name") or organization.get("name")}


def _add_role(party: dict, *roles: str) -> None:
    party["roles"] = sorted({*party.get("roles", []), *roles})


def _amendment_ids(node: dict, release: dict, previous_id) -> None:
    amendments = node.get("amendments") or []
    previous = previous_id() if any(isinstance(item, dict) for item in amendments) else None
    for index, amendment in enumerate(amendments):
        if not isinstance(amendment, dict):
            continue
        amendment.setdefault("id", f"{release['id']}-{index + 1}")
        amendment.setdefault("date", release["date"])
        amendment["releaseID"] = release["id"]
        if previous:
            amendment["amendsReleaseID"] = previous


def _status(release, stage: Stage) -> None:
    """The status the stage gives (workflows.base.procedures): an event's overrides the draft, a
    main stage's is the default of the object it creates."""
    effect = stage.status
    if effect is None:
        return
    if effect.section == "tender":
        targets = [_dict(release, "tender")]
    elif effect.forced:
        targets = _objects(release, effect.section)[:1]
    else:
        targets = _objects(release, effect.section)
    for target in targets:
        if effect.forced:
            target["status"] = effect.status
        else:
            target.setdefault("status", effect.status)


_SECTION_BUILDERS = {
    Stage.PLANNING: _planning,
    Stage.TENDER: _tender,
    Stage.CLARIFICATION_MEETING: _clarification_meeting,
    Stage.TENDER_AMENDMENT: _tender_event,
    Stage.TENDER_CANCELLATION: _tender_event,
    Stage.TENDER_UNSUCCESSFUL: _tender_event,
    Stage.AWARD: _awards,
    Stage.AWARD_CANCELLATION: _awards,
    Stage.CONTRACT: _contracts,
    Stage.CONTRACT_AMENDMENT: _contracts,
    Stage.CONTRACT_TERMINATION: _contracts,
    Stage.IMPLEMENTATION: _contracts,
    Stage.IMPLEMENTATION_UPDATE: _contracts,
}


# --- documents -----------------------------------------------------------------------------------


def _attach_documents(release, stage, documents, document_url) -> None:
    """The latest version of each document of the stage, with its hash, in its section."""
    section = DOCUMENT_SECTION.get(stage)
    if section is None or not documents:
        return
    built = [_document(document, release, document_url) for document in documents]
    target = _dict(release, section) if section in ("planning", "tender") else None
    if target is None:
        target = _objects(release, section)[0]
    target["documents"] = (target.get("documents") or []) + built


def _document(document, release, document_url) -> dict:
    built = build_document(
        document_id=document.document_id,
        url=document_url(document),
        title=document.title,
        document_type=document.document_type,
        date_published=release["date"],
        file_format=document.content_type,
    )
    built["sha256"] = document.sha256
    return built
