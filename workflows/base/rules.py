"""Rules of Mexican procurement law that a stage's draft must meet, in Spanish.

``capture_issues`` are blocking: the capturista cannot send the stage to review while any remains,
and the process page lists them as "what this stage still needs". ``review_warnings`` do not
block: the approver reads them before deciding (a shortened tender period, for instance, is legal
when it is justified).
"""

import re
from datetime import datetime

from django.utils.translation import gettext as _

from ocds_pages.party_keys import rfc_party_id
from ocds_pages.validation import ValidationIssue, parse_datetime
from workflows.base.procedures import COMPETITIVE, ProcedureType, Stage

# "artículo 41 fracción III" / "Art. 42, fr. I": both the article and the fraction are required.
ARTICLE = re.compile(r"\bart(?:[íi]culo|\.)\s*\d+", re.IGNORECASE)
FRACTION = re.compile(r"\bfr(?:acci[óo]n|\.)\s*[IVXLC]+\b", re.IGNORECASE)
# LAASSP art. 42 and LOPSRM art. 43 (amounts under the thresholds of the federal budget) have no
# fractions; every other exception to public tender is cited with its fraction.
THRESHOLD_ARTICLE = re.compile(r"\bart(?:[íi]culo|\.)\s*4[23]\b", re.IGNORECASE)
MINIMUM_INVITED = 3
BID_STATUSES = ("valid", "disqualified")


def _section(draft: dict, key: str) -> dict:
    value = draft.get(key)
    return value if isinstance(value, dict) else {}


def _first(draft: dict, key: str) -> dict:
    value = draft.get(key)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}


def _list(node: dict, key: str) -> list:
    value = node.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _missing(path: str, message: str) -> ValidationIssue:
    return ValidationIssue(path, message)


def capture_issues(*, procedure_type: str, stage: str, draft: dict) -> list[ValidationIssue]:
    """What the draft still lacks before it may go to review (empty: ready)."""
    if not isinstance(draft, dict) or not draft:
        return [_missing("", _("El borrador está vacío."))]
    checks = {
        Stage.PLANNING: _planning_issues,
        Stage.TENDER: _tender_issues,
        Stage.AWARD: _award_issues,
        Stage.CONTRACT: _contract_issues,
        Stage.IMPLEMENTATION: _implementation_issues,
        Stage.IMPLEMENTATION_UPDATE: _implementation_issues,
        Stage.TENDER_AMENDMENT: _tender_amendment_issues,
        Stage.CLARIFICATION_MEETING: _clarification_issues,
        Stage.CONTRACT_AMENDMENT: _contract_amendment_issues,
    }
    check = checks.get(Stage(stage), _status_reason_issues)
    return check(ProcedureType(procedure_type), Stage(stage), draft)


def _planning_issues(procedure_type, stage, draft) -> list[ValidationIssue]:
    if _section(draft, "planning").get("rationale"):
        return []
    return [_missing("planning/rationale", _("Falta la justificación de la necesidad."))]


def _tender_issues(procedure_type, stage, draft) -> list[ValidationIssue]:
    tender = _section(draft, "tender")
    issues = []
    if not _list(tender, "items"):
        issues.append(_missing("tender/items", _("Falta al menos una partida (item).")))
    if not (tender.get("value") or {}).get("amount"):
        issues.append(_missing("tender/value/amount", _("Falta el monto estimado.")))
    if procedure_type == ProcedureType.DIRECT:
        issues += _direct_award_rationale_issues(tender)
    else:
        issues += _tender_period_issues(tender)
    if procedure_type == ProcedureType.INV3:
        issues += _invited_issues(tender)
    return issues


def _direct_award_rationale_issues(tender: dict) -> list[ValidationIssue]:
    rationale = tender.get("procurementMethodRationale") or ""
    if ARTICLE.search(rationale) and (
        FRACTION.search(rationale) or THRESHOLD_ARTICLE.search(rationale)
    ):
        return []
    return [
        _missing(
            "tender/procurementMethodRationale",
            _(
                "La adjudicación directa requiere su fundamento legal con artículo y fracción "
                "(p. ej. «artículo 41, fracción III de la LAASSP»)."
            ),
        )
    ]


def _tender_period_issues(tender: dict) -> list[ValidationIssue]:
    period = tender.get("tenderPeriod") or {}
    if parse_datetime(period.get("startDate")) and parse_datetime(period.get("endDate")):
        return []
    return [
        _missing(
            "tender/tenderPeriod",
            _("Faltan las fechas de publicación y de presentación de proposiciones."),
        )
    ]


def _invited_issues(tender: dict) -> list[ValidationIssue]:
    # The stage form records the invitations as the tender's tenderers; invitedSuppliers is
    # accepted too (it keeps them apart from who finally bid).
    people = _list(tender, "invitedSuppliers") or _list(tender, "tenderers")
    invited = {supplier.get("id") for supplier in people}
    invited.discard(None)
    if len(invited) >= MINIMUM_INVITED:
        return []
    return [
        _missing(
            "tender/invitedSuppliers",
            _("La invitación requiere al menos %(minimum)s personas invitadas; hay %(count)s.")
            % {"minimum": MINIMUM_INVITED, "count": len(invited)},
        )
    ]


def _award_issues(procedure_type, stage, draft) -> list[ValidationIssue]:
    award = _first(draft, "awards")
    issues = []
    if not _list(award, "suppliers"):
        issues.append(_missing("awards/0/suppliers", _("Falta el proveedor adjudicado.")))
    if not (award.get("value") or {}).get("amount"):
        issues.append(_missing("awards/0/value/amount", _("Falta el monto adjudicado.")))
    if procedure_type in COMPETITIVE:
        issues += _bid_issues(draft)
    return issues


def bid_details(draft: dict) -> list[dict]:
    """The bids of a draft or release (``bids/details``, the OCDS bid extension)."""
    return _list(_section(draft, "bids"), "details")


def _bid_issues(draft: dict) -> list[ValidationIssue]:
    """Bids, when captured, must each say who bid, how much, and whether it was valid and why."""
    issues = []
    for index, bid in enumerate(bid_details(draft)):
        issues += _one_bid_issues(bid, f"bids/details/{index}")
    return issues


def _one_bid_issues(bid: dict, path: str) -> list[ValidationIssue]:
    issues = []
    if not _list(bid, "tenderers"):
        issues.append(_missing(f"{path}/tenderers", _("Falta el licitante de la proposición.")))
    if not (bid.get("value") or {}).get("amount"):
        issues.append(_missing(f"{path}/value/amount", _("Falta el monto de la proposición.")))
    if bid.get("status") not in BID_STATUSES:
        issues.append(
            _missing(f"{path}/status", _("El estado debe ser «valid» (solvente) o «disqualified»."))
        )
    elif bid.get("status") == "disqualified" and not bid.get("statusDetails"):
        issues.append(
            _missing(f"{path}/statusDetails", _("Falta el motivo por el que se desechó."))
        )
    return issues


def _contract_issues(procedure_type, stage, draft) -> list[ValidationIssue]:
    contract = _first(draft, "contracts")
    issues = []
    if not (contract.get("value") or {}).get("amount"):
        issues.append(_missing("contracts/0/value/amount", _("Falta el monto del contrato.")))
    if not parse_datetime(contract.get("dateSigned")):
        issues.append(_missing("contracts/0/dateSigned", _("Falta la fecha de firma.")))
    period = contract.get("period") or {}
    if not parse_datetime(period.get("endDate")):
        issues.append(_missing("contracts/0/period/endDate", _("Falta la fecha de término.")))
    return issues


def _implementation_issues(procedure_type, stage, draft) -> list[ValidationIssue]:
    implementation = _first(draft, "contracts").get("implementation") or {}
    if _list(implementation, "milestones") or _list(implementation, "transactions"):
        return []
    return [
        _missing(
            "contracts/0/implementation",
            _("Registre al menos un hito (entregas) o una transacción (pago)."),
        )
    ]


def _amendment_rationale_issues(node: dict, path: str) -> list[ValidationIssue]:
    amendments = _list(node, "amendments")
    if amendments and all(amendment.get("rationale") for amendment in amendments):
        return []
    return [_missing(f"{path}/amendments/0/rationale", _("Falta el motivo de la modificación."))]


def _clarification_issues(procedure_type, stage, draft) -> list[ValidationIssue]:
    meetings = _list(_section(draft, "tender"), "clarificationMeetings")
    if meetings and all(parse_datetime(meeting.get("date")) for meeting in meetings):
        return []
    return [
        _missing(
            "tender/clarificationMeetings/0/date",
            _("Registre la fecha y hora de la junta de aclaraciones."),
        )
    ]


def _tender_amendment_issues(procedure_type, stage, draft) -> list[ValidationIssue]:
    return _amendment_rationale_issues(_section(draft, "tender"), "tender")


def _contract_amendment_issues(procedure_type, stage, draft) -> list[ValidationIssue]:
    contract = _first(draft, "contracts")
    issues = _amendment_rationale_issues(contract, "contracts/0")
    if not contract.get("value") and not contract.get("period"):
        issues.append(
            _missing(
                "contracts/0/value",
                _("El convenio modificatorio debe cambiar el monto o la vigencia del contrato."),
            )
        )
    return issues


def _status_reason_issues(procedure_type, stage, draft) -> list[ValidationIssue]:
    """Cancellations, desierta and termination need their reason (statusDetails)."""
    key = stage.status.section  # the object whose status the stage changes
    node = _section(draft, key) if key == "tender" else _first(draft, key)
    if node.get("statusDetails"):
        return []
    path = "tender/statusDetails" if key == "tender" else f"{key}/0/statusDetails"
    return [_missing(path, _("Falta el motivo."))]


# --- warnings the approver reads -----------------------------------------------------------------


def review_warnings(*, procedure_type: str, stage: str, draft: dict) -> list[str]:
    """Things the approver should weigh; they do not block approval."""
    procedure_type, stage = ProcedureType(procedure_type), Stage(stage)
    warnings = []
    if stage in (Stage.TENDER, Stage.TENDER_AMENDMENT):
        warnings += _short_tender_period_warnings(procedure_type, _section(draft, "tender"))
    if stage == Stage.TENDER and procedure_type == ProcedureType.DIRECT:
        warnings += _quotes_warnings(draft)
    if stage == Stage.AWARD and procedure_type in COMPETITIVE:
        warnings += _awarded_bid_warnings(draft)
    return warnings


def _missing_bids_warning() -> str:
    # A warning, not a block: an entity may have edited its award form without the bids group,
    # and a fallo can still be published; the approver decides.
    return _(
        "No se registraron las proposiciones del acto de presentación y apertura "
        "(licitantes, montos y resultado de la evaluación)."
    )


def tender_period_days(tender: dict) -> float | None:
    period = tender.get("tenderPeriod") or {}
    start, end = parse_datetime(period.get("startDate")), parse_datetime(period.get("endDate"))
    if not (isinstance(start, datetime) and isinstance(end, datetime)):
        return None
    return (end - start).total_seconds() / 86400


def _short_tender_period_warnings(procedure_type, tender: dict) -> list[str]:
    minimum = procedure_type.tender_period_minimum_days
    days = tender_period_days(tender)
    if minimum is None or days is None or days >= minimum:
        return []
    values = {"days": int(days), "minimum": minimum, "procedure": procedure_type.label}
    justification = tender.get("tenderPeriodReductionRationale")
    if justification:
        values["justification"] = justification
        return [
            _(
                "El plazo de presentación de proposiciones es de %(days)s días, menor al mínimo "
                "de %(minimum)s días para %(procedure)s. Se redujo con esta justificación: "
                "«%(justification)s». Verifique que la reducción esté autorizada."
            )
            % values
        ]
    return [
        _(
            "El plazo de presentación de proposiciones es de %(days)s días, menor al mínimo de "
            "%(minimum)s días para %(procedure)s, y no tiene justificación de reducción."
        )
        % values
    ]


def _quotes_warnings(draft: dict) -> list[str]:
    requests = _list(_section(draft, "planning"), "requestsForQuotes")
    if any(_list(request, "quotes") for request in requests):
        return []
    return [_("No se registraron cotizaciones de la investigación de mercado.")]


def organization_id(reference: dict) -> str | None:
    """The party id of an organization reference, also when the form gave only its RFC."""
    rfc = (reference.get("identifier") or {}).get("id")
    return reference.get("id") or (rfc_party_id(rfc) if rfc else None)


def _awarded_bid_warnings(draft: dict) -> list[str]:
    bids = bid_details(draft)
    if not bids:
        return [_missing_bids_warning()]
    valid = {
        organization_id(tenderer)
        for bid in bids
        if bid.get("status") == "valid"
        for tenderer in _list(bid, "tenderers")
    }
    suppliers = _list(_first(draft, "awards"), "suppliers")
    return [
        _("El proveedor %(name)s no tiene una proposición solvente registrada.")
        % {"name": supplier.get("name") or supplier.get("id")}
        for supplier in suppliers
        if organization_id(supplier) not in valid
    ]


# --- impossible data: refused on save, whatever the form's definition says -----------------------


def impossible_data_issues(fragment: dict, published: dict | None = None) -> list[ValidationIssue]:
    """Values no real process can have: an end before its start, a negative amount or quantity.

    ``published`` is the process's compiled release so far: an amendment that only moves an end
    date is compared with the start already published. The form engine turns each issue into an
    error beside the field that wrote it (workflows/forms/forms_engine.py, ``StageForm``).
    """
    issues: list[ValidationIssue] = []
    _impossible(fragment, _Published(published, fragment), "", issues)
    return issues


class _Published:
    """The published release, read only when a period without its start asks for it."""

    def __init__(self, source, fragment: dict):
        self.source, self.fragment, self.value = source, fragment, None

    def start_of(self, path: str):
        """The published startDate of the period the fragment has at ``path``."""
        return _published_node(path, self.fragment, self.get()).get("startDate")

    def get(self) -> dict:
        if self.value is None:
            value = self.source() if callable(self.source) else self.source
            self.value = value if isinstance(value, dict) else {}
        return self.value


def _impossible(node, published: _Published, path: str, issues: list) -> None:
    if isinstance(node, list):
        for index, element in enumerate(node):
            _impossible(element, published, f"{path}/{index}", issues)
        return
    if not isinstance(node, dict):
        return
    issues += _inverted_period(node, published, path)
    issues += _negative(node, path)
    for key, value in node.items():
        _impossible(value, published, f"{path}/{key}" if path else key, issues)


def _published_node(fragment_path: str, fragment: dict, published: dict) -> dict:
    """The published counterpart of the fragment's object at ``fragment_path``: list elements
    are matched by id, else by position."""
    node, before = fragment, published
    for part in [p for p in fragment_path.split("/") if p]:
        if isinstance(node, list) and part.isdigit():
            index = int(part)
            element = node[index] if index < len(node) else {}
            before = _same_element(before, element, index)
            node = element
        elif isinstance(node, dict):
            node = node.get(part)
            before = before.get(part) if isinstance(before, dict) else {}
        else:
            return {}
    return before if isinstance(before, dict) else {}


def _same_element(before, element, index: int):
    """The published counterpart of a list element: same id, else same position."""
    if not isinstance(before, list):
        return {}
    if isinstance(element, dict) and element.get("id") is not None:
        for candidate in before:
            if isinstance(candidate, dict) and candidate.get("id") == element["id"]:
                return candidate
    return before[index] if index < len(before) else {}


def _day(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y")


def _inverted_period(node: dict, published: _Published, path: str) -> list[ValidationIssue]:
    end = parse_datetime(node.get("endDate"))
    if end is None:
        return []
    start = parse_datetime(node.get("startDate") or published.start_of(path))
    if not (start and end) or end >= start:
        return []
    values = {"end": _day(end), "start": _day(start)}
    if node.get("startDate"):
        message = _("La fecha de término (%(end)s) es anterior a la de inicio (%(start)s).")
    else:
        message = _(
            "La nueva fecha de término (%(end)s) es anterior al inicio ya publicado (%(start)s)."
        )
    return [ValidationIssue(f"{path}/endDate" if path else "endDate", message % values)]


def _negative(node: dict, path: str) -> list[ValidationIssue]:
    prefix = f"{path}/" if path else ""
    issues = []
    amount = node.get("amount")
    if "currency" in node and isinstance(amount, int | float) and amount < 0:
        issues.append(ValidationIssue(f"{prefix}amount", _("El monto no puede ser negativo.")))
    quantity = node.get("quantity")
    if isinstance(quantity, int | float) and quantity < 0:
        issues.append(ValidationIssue(f"{prefix}quantity", _("La cantidad no puede ser negativa.")))
    return issues
