"""Transparency and execution indicators: documents, dates, amendments, payments and amounts.

Amendments compare a contract with its *original* terms: the first value and period the record's
versioned release shows (``Record.versioned_release``, read only for processes whose contracts
have amendments). A candidate amendment is compared with the published original, so the approver
sees the increase it would cause before approving it.
"""

import datetime
import functools
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType

import orjson
from django.db.models import Min
from django.utils.translation import gettext_lazy

from indicadores.engine.core import TRANSPARENCY, Context, Indicator, register
from indicadores.engine.process import Contract, ProcessView, as_dict, iso, to_date
from indicadores.engine.process import amount as read_amount
from indicadores.engine.stats_model import OfficialHoliday
from indicadores.engine.text import gettext as _
from indicadores.engine.text import gettext_noop
from indicadores.outcomes import Severity
from ocds_pages.models import Record, Release
from workflows.base.procedures import Stage

FROM_TENDER = frozenset(Stage) - {Stage.PLANNING}
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
FROM_CONTRACT = FROM_AWARD - {Stage.AWARD}
PAYMENT_STAGES = frozenset(
    {Stage.IMPLEMENTATION, Stage.IMPLEMENTATION_UPDATE, Stage.CONTRACT_AMENDMENT}
)


def _money(value) -> str:
    return f"{Decimal(value):,.2f}"


def _number(value) -> float | None:
    return float(value) if value is not None else None


def _contracts(view: ProcessView) -> list[Contract]:
    """The contracts that still count (not cancelled)."""
    return [contract for contract in view.contracts if contract.status != "cancelled"]


# --- MX-DOCS key documents ----------------------------------------------------------------------

DOCUMENT_LABELS = {
    "tenderNotice": gettext_noop("convocatoria"),
    "clarifications": gettext_noop("acta de la junta de aclaraciones"),
    "evaluationReports": gettext_noop("acta de presentación y apertura de proposiciones"),
    "awardNotice": gettext_noop("acta de fallo"),
    "contractSigned": gettext_noop("contrato firmado"),
}


def required_documents(view: ProcessView, indicator: Indicator) -> list[str]:
    """The documentType codes the stage the process reached requires of its procedure."""
    method = view.tender.get("procurementMethod")
    rules = indicator.thresholds["required"]
    required = []
    if view.tender:
        required += rules.get(f"{method}:tender", [])
    if view.active_awards:
        required += rules.get(f"{method}:award", [])
    if _contracts(view):
        required += rules.get(f"{method}:contract", [])
    return list(dict.fromkeys(required))


def missing_documents(view: ProcessView, context: Context, indicator: Indicator):
    required = required_documents(view, indicator)
    if not required:
        return []
    present = {str(doc.get("documentType") or "") for doc in view.documents}
    missing = [code for code in required if code not in present]
    evidence = {"required": required, "present": sorted(present - {""}), "missing": missing}
    if missing:
        labels = [_(DOCUMENT_LABELS[code]) if code in DOCUMENT_LABELS else code for code in missing]
        names = ", ".join(labels)
        explanation = _("No se publicó: %(names)s.") % {"names": names}
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="MX-DOCS",
        version=1,
        name=gettext_lazy("Documentos clave sin publicar"),
        description=gettext_lazy(
            "Falta algún documento que la etapa alcanzada exige al procedimiento: convocatoria, "
            "acta de la junta de aclaraciones, acta de apertura, acta de fallo o contrato "
            "firmado (por documentType de OCDS)."
        ),
        family=TRANSPARENCY,
        stages=FROM_AWARD,
        data=(
            "tender/documents/documentType",
            "awards/documents/documentType",
            "contracts/documents/documentType",
        ),
        source="OCP R063; IMCO (transparencia); ProZorro RISK-1-15",
        severity=Severity.LOW,
        definition=missing_documents,
        defaults={
            "required": {
                "open:tender": ["tenderNotice"],
                "open:award": ["clarifications", "evaluationReports", "awardNotice"],
                "open:contract": ["contractSigned"],
                "selective:tender": ["tenderNotice"],
                "selective:award": ["evaluationReports", "awardNotice"],
                "selective:contract": ["contractSigned"],
                "direct:contract": ["contractSigned"],
            }
        },
    )
)


# --- MX-LATEPUB published after the contract started --------------------------------------------


def _first_publications(processes: list[ProcessView]) -> dict[str, datetime.date]:
    rows = (
        Release.objects.filter(ocid__among=[view.ocid for view in processes])
        .values("ocid")
        .annotate(first=Min("date"))
        .values_list("ocid", "first")
    )
    return {ocid: first.date() for ocid, first in rows if first}


def late_publication(view: ProcessView, context: Context, indicator: Indicator):
    starts = [c.start for c in _contracts(view) if c.start]
    if not _contracts(view):
        return []
    if not starts:
        return [indicator.unknown(["contracts/period/startDate"])]
    published = context.part("first_published", _first_publications).get(view.ocid)
    pending = to_date(view.release.get("date"))  # a candidate not yet published: its own date
    dates = [date for date in (published, pending) if date]
    if not dates:
        return [indicator.unknown(["date"])]
    first, start = min(dates), min(starts)
    evidence = {"first_published": iso(first), "contract_start": iso(start)}
    late = (first - start).days
    if late > indicator.thresholds["days"]:
        explanation = _(
            "El proceso se publicó por primera vez el %(first)s, %(days)s días después de que "
            "empezó el contrato (%(start)s)."
        ) % {"first": iso(first), "days": late, "start": iso(start)}
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="MX-LATEPUB",
        version=1,
        name=gettext_lazy("Publicado después de iniciado el contrato"),
        description=gettext_lazy(
            "La primera entrega publicada del proceso es posterior, en más de «days» días, al "
            "inicio del periodo del contrato."
        ),
        family=TRANSPARENCY,
        stages=FROM_CONTRACT,
        data=("date (primera entrega)", "contracts/period/startDate"),
        source="IMCO; ProZorro RISK-1-6",
        severity=Severity.LOW,
        definition=late_publication,
        defaults={"days": 0},
    )
)


# --- MX-AMEND / MX-AMENDN contract amendments ---------------------------------------------------


def _versions(processes: list[ProcessView]) -> dict[str, dict]:
    ocids = [view.ocid for view in processes if any(c.amendments for c in view.contracts)]
    if not ocids:
        return {}
    rows = Record.objects.filter(ocid__among=ocids).values_list("ocid", "versioned_release")
    return {ocid: orjson.loads(text) for ocid, text in rows}


def _first(history) -> object:
    if isinstance(history, list) and history and isinstance(history[0], dict):
        return history[0].get("value")
    return None


def original_terms(versioned: dict, contract_id: str) -> dict:
    """The first published value and period of a contract in a versioned release."""
    for contract in versioned.get("contracts") or []:
        if not isinstance(contract, dict) or contract.get("id") != contract_id:
            continue
        value, period = as_dict(contract.get("value")), as_dict(contract.get("period"))
        return {
            "amount": read_amount({"amount": _first(value.get("amount"))}),
            "start": to_date(_first(period.get("startDate"))),
            "end": to_date(_first(period.get("endDate"))),
        }
    return {}


def _award_amount(view: ProcessView, contract: Contract):
    for award in view.active_awards:
        if str(award.get("id")) == contract.award_id:
            return read_amount(award.get("value"))
    return None


def _increase(new, old):
    return (Decimal(new) - Decimal(old)) / Decimal(old) if new is not None and old else None


def amendment_increase(view: ProcessView, context: Context, indicator: Indicator):
    amended = [c for c in _contracts(view) if c.amendments]
    if not amended:
        return []
    versions = context.part("versions", _versions).get(view.ocid, {})
    limit = Decimal(str(indicator.thresholds["share"]))
    return [_amendment(view, indicator, c, versions, limit) for c in amended]


def _amendment(view, indicator, contract: Contract, versions, limit):
    original = original_terms(versions, contract.contract_id)
    original_amount = original.get("amount")
    source = "versionedRelease"
    if original_amount is None:
        original_amount, source = _award_amount(view, contract), "awards/value"
    value_increase = _increase(contract.amount, original_amount)
    period_increase = None
    if original.get("start") and original.get("end") and contract.start and contract.end:
        old_days = (original["end"] - original["start"]).days
        new_days = (contract.end - contract.start).days
        period_increase = _increase(new_days, old_days)
    evidence = {
        "contract": contract.contract_id,
        "amendments": contract.amendments,
        "original_amount": _number(original_amount),
        "original_from": source,
        "amount": _number(contract.amount),
        "value_increase": _number(value_increase),
        "original_period": [iso(original.get("start")), iso(original.get("end"))],
        "period": [iso(contract.start), iso(contract.end)],
        "period_increase": _number(period_increase),
    }
    if value_increase is None and period_increase is None:
        missing = ["contracts/value/amount", "contracts/period"]
        return indicator.unknown(missing, subject=contract.contract_id, evidence=evidence)
    over = [
        (what, share)
        for what, share in (("value", value_increase), ("period", period_increase))
        if share is not None and share > limit
    ]
    if not over:
        return indicator.clear(subject=contract.contract_id, evidence=evidence)
    parts = {
        "value": _("el monto %(share).1f %%"),
        "period": _("el plazo %(share).1f %%"),
    }
    changes = ", ".join(parts[what] % {"share": share * 100} for what, share in over)
    explanation = _(
        "Los convenios modificatorios del contrato %(contract)s aumentan %(changes)s (más del "
        "%(limit)s %% de la LAASSP art. 52)."
    ) % {"contract": contract.contract_id, "changes": changes, "limit": int(limit * 100)}
    return indicator.flag(explanation, subject=contract.contract_id, evidence=evidence)


register(
    Indicator(
        code="MX-AMEND",
        version=1,
        name=gettext_lazy("Convenios que aumentan más del 20 % el monto o el plazo"),
        description=gettext_lazy(
            "Los convenios modificatorios elevan el monto o el plazo del contrato más de «share» "
            "(20 %) respecto de lo pactado originalmente (primera versión publicada)."
        ),
        family=TRANSPARENCY,
        stages=FROM_CONTRACT,
        data=("contracts/amendments", "contracts/value", "contracts/period", "versionedRelease"),
        source="LAASSP art. 52; OCP R059/R064; IMCO",
        severity=Severity.MEDIUM,
        definition=amendment_increase,
        defaults={"share": 0.2},
    )
)


def many_amendments(view: ProcessView, context: Context, indicator: Indicator):
    contracts = _contracts(view)
    if not contracts:
        return []
    outcomes = []
    for contract in contracts:
        evidence = {"contract": contract.contract_id, "amendments": contract.amendments}
        if contract.amendments >= indicator.thresholds["min_amendments"]:
            explanation = _(
                "El contrato %(contract)s tiene %(count)s convenios modificatorios."
            ) % {
                "contract": contract.contract_id,
                "count": contract.amendments,
            }
            outcomes.append(
                indicator.flag(explanation, subject=contract.contract_id, evidence=evidence)
            )
        else:
            outcomes.append(indicator.clear(subject=contract.contract_id, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="MX-AMENDN",
        version=1,
        name=gettext_lazy("Muchos convenios modificatorios"),
        description=gettext_lazy(
            "El contrato tiene «min_amendments» (3) o más convenios modificatorios."
        ),
        family=TRANSPARENCY,
        stages=FROM_CONTRACT,
        data=("contracts/amendments",),
        source="IMCO (promedio de convenios por procedimiento); OCP R059",
        severity=Severity.LOW,
        definition=many_amendments,
        defaults={"min_amendments": 3},
    )
)


# --- payments -----------------------------------------------------------------------------------


def overpayment(view: ProcessView, context: Context, indicator: Indicator):
    outcomes = []
    for contract in _contracts(view):
        if not contract.payments:
            continue
        subject = contract.contract_id
        paid = [p for p in contract.payments if p.amount is not None]
        currencies = {p.currency for p in paid if p.currency} | (
            {contract.currency} if contract.currency else set()
        )
        evidence = {
            "contract": subject,
            "contract_amount": _number(contract.amount),
            "payments": len(contract.payments),
        }
        if contract.amount is None or len(paid) < len(contract.payments) or len(currencies) > 1:
            missing = ["contracts/value/amount", "contracts/implementation/transactions/value"]
            outcomes.append(indicator.unknown(missing, subject=subject, evidence=evidence))
            continue
        total = sum(p.amount for p in paid)
        evidence["paid"] = _number(total)
        if total > contract.amount * (1 + Decimal(str(indicator.thresholds["tolerance"]))):
            explanation = _(
                "Se pagaron $%(paid)s por el contrato %(contract)s, de $%(value)s (con sus "
                "convenios)."
            ) % {"paid": _money(total), "contract": subject, "value": _money(contract.amount)}
            outcomes.append(indicator.flag(explanation, subject=subject, evidence=evidence))
        else:
            outcomes.append(indicator.clear(subject=subject, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="MX-OVERPAY",
        version=1,
        name=gettext_lazy("Pagos por encima del monto del contrato"),
        description=gettext_lazy(
            "La suma de los pagos publicados de un contrato supera su monto vigente (el ya "
            "modificado por convenios), más una tolerancia «tolerance» (0 por omisión)."
        ),
        family=TRANSPARENCY,
        stages=PAYMENT_STAGES,
        data=("contracts/value/amount", "contracts/implementation/transactions/value"),
        source="OCP (contract implementation); PODER",
        severity=Severity.MEDIUM,
        definition=overpayment,
        defaults={"tolerance": 0},
    )
)


def early_payment(view: ProcessView, context: Context, indicator: Indicator):
    outcomes = []
    for contract in _contracts(view):
        if not contract.payments:
            continue
        subject = contract.contract_id
        dates = [p.date for p in contract.payments]
        evidence = {"contract": subject, "date_signed": iso(contract.date_signed)}
        if contract.date_signed is None or None in dates:
            missing = ["contracts/dateSigned", "contracts/implementation/transactions/date"]
            outcomes.append(indicator.unknown(missing, subject=subject, evidence=evidence))
            continue
        early = sorted(date for date in dates if date < contract.date_signed)
        evidence["early_payments"] = [iso(date) for date in early]
        if early:
            explanation = _(
                "Se registró un pago el %(date)s, antes de la firma del contrato %(contract)s "
                "(%(signed)s)."
            ) % {"date": iso(early[0]), "contract": subject, "signed": iso(contract.date_signed)}
            outcomes.append(indicator.flag(explanation, subject=subject, evidence=evidence))
        else:
            outcomes.append(indicator.clear(subject=subject, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="MX-PAYEARLY",
        version=1,
        name=gettext_lazy("Pagos antes de la firma del contrato"),
        description=gettext_lazy(
            "Algún pago del contrato tiene fecha anterior a la de su firma (contracts/dateSigned)."
        ),
        family=TRANSPARENCY,
        stages=PAYMENT_STAGES,
        data=("contracts/dateSigned", "contracts/implementation/transactions/date"),
        source="PODER (fechas inconsistentes); OCP",
        severity=Severity.MEDIUM,
        definition=early_payment,
    )
)


# --- dates and amounts of the contract ----------------------------------------------------------


def slow_signature(view: ProcessView, context: Context, indicator: Indicator):
    contracts = _contracts(view)
    if not contracts:
        return []
    awards = {str(award.get("id")): to_date(award.get("date")) for award in view.active_awards}
    single = next(iter(awards.values())) if len(awards) == 1 else None
    outcomes = []
    for contract in contracts:
        awarded = awards.get(contract.award_id, single)
        subject = contract.contract_id
        if awarded is None or contract.date_signed is None:
            missing = ["awards/date", "contracts/dateSigned"]
            outcomes.append(indicator.unknown(missing, subject=subject))
            continue
        days = (contract.date_signed - awarded).days
        evidence = {
            "contract": subject,
            "award_date": iso(awarded),
            "date_signed": iso(contract.date_signed),
            "days": days,
        }
        if days > indicator.thresholds["days"]:
            explanation = _(
                "El contrato %(contract)s se firmó %(days)s días después de la adjudicación."
            ) % {"contract": subject, "days": days}
            outcomes.append(indicator.flag(explanation, subject=subject, evidence=evidence))
        else:
            outcomes.append(indicator.clear(subject=subject, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="R060",
        version=1,
        name=gettext_lazy("Firma tardía del contrato"),
        description=gettext_lazy(
            "Entre la adjudicación y la firma del contrato pasaron más de «days» días naturales "
            "(la LAASSP, art. 46, da 15 días desde la notificación del fallo)."
        ),
        family=TRANSPARENCY,
        stages=FROM_CONTRACT,
        data=("awards/date", "contracts/dateSigned", "contracts/awardID"),
        source="OCP R060; ProZorro RISK-1-16; LAASSP art. 46",
        severity=Severity.LOW,
        definition=slow_signature,
        defaults={"days": 15},
    )
)


def long_contract(view: ProcessView, context: Context, indicator: Indicator):
    outcomes = []
    for contract in _contracts(view):
        subject = contract.contract_id
        if contract.start is None or contract.end is None:
            outcomes.append(indicator.unknown(["contracts/period"], subject=subject))
            continue
        days = (contract.end - contract.start).days
        evidence = {"contract": subject, "start": iso(contract.start), "end": iso(contract.end)}
        evidence["days"] = days
        if days > indicator.thresholds["days"]:
            explanation = _("El contrato %(contract)s dura %(days)s días.") % {
                "contract": subject,
                "days": days,
            }
            outcomes.append(indicator.flag(explanation, subject=subject, evidence=evidence))
        else:
            outcomes.append(indicator.clear(subject=subject, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="MX-LONG",
        version=1,
        name=gettext_lazy("Contrato de duración extrema"),
        description=gettext_lazy("El periodo del contrato dura más de «days» (1000) días."),
        family=TRANSPARENCY,
        stages=FROM_CONTRACT,
        data=("contracts/period/startDate", "contracts/period/endDate"),
        source="PODER",
        severity=Severity.LOW,
        definition=long_contract,
        defaults={"days": 1000},
    )
)


def round_amount(view: ProcessView, context: Context, indicator: Indicator):
    outcomes = []
    modulus = Decimal(10) ** indicator.thresholds["zeros"]
    for contract in _contracts(view):
        subject = contract.contract_id
        if contract.amount is None:
            outcomes.append(indicator.unknown(["contracts/value/amount"], subject=subject))
            continue
        evidence = {"contract": subject, "amount": _number(contract.amount)}
        if contract.amount > 0 and contract.amount % modulus == 0:
            explanation = _("El monto del contrato %(contract)s es redondo: $%(amount)s.") % {
                "contract": subject,
                "amount": _money(contract.amount),
            }
            outcomes.append(indicator.flag(explanation, subject=subject, evidence=evidence))
        else:
            outcomes.append(indicator.clear(subject=subject, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="MX-ROUND",
        version=1,
        name=gettext_lazy("Monto redondo"),
        description=gettext_lazy(
            "El monto del contrato termina en «zeros» (5) ceros: un precio que no sale de "
            "cantidades y precios unitarios."
        ),
        family=TRANSPARENCY,
        stages=FROM_CONTRACT,
        data=("contracts/value/amount",),
        source="PODER",
        severity=Severity.LOW,
        definition=round_amount,
        defaults={"zeros": 5},
    )
)


# --- MX-HOLIDAY key dates on official holidays --------------------------------------------------


def _nth_monday(year: int, month: int, nth: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(7 - first.weekday()) % 7 + 7 * (nth - 1))


@functools.lru_cache(maxsize=256)
def official_holidays(year: int, extra: tuple[str, ...] = ()) -> Mapping[datetime.date, str]:
    """Días de descanso obligatorio of the Ley Federal del Trabajo, art. 74, plus ``extra``
    (ISO dates the installation adds: local holidays, election days). Worked out once per year
    and ``extra`` (MX-HOLIDAY asks for every date of every process), so read-only: no caller
    can change what the next one reads."""
    days = {
        datetime.date(year, 1, 1): "1 de enero",
        _nth_monday(year, 2, 1): "primer lunes de febrero",
        _nth_monday(year, 3, 3): "tercer lunes de marzo",
        datetime.date(year, 5, 1): "1 de mayo",
        datetime.date(year, 9, 16): "16 de septiembre",
        _nth_monday(year, 11, 3): "tercer lunes de noviembre",
        datetime.date(year, 12, 25): "25 de diciembre",
    }
    if (year - 2024) % 6 == 0:
        days[datetime.date(year, 10, 1)] = "transmisión del Poder Ejecutivo Federal"
    for value in extra:
        date = datetime.date.fromisoformat(value)
        if date.year == year:
            days.setdefault(date, "día inhábil de la instalación")
    return MappingProxyType(days)


HOLIDAY_DATES = (
    ("tender/tenderPeriod/startDate", lambda v: [v.tender_start]),
    ("tender/tenderPeriod/endDate", lambda v: [v.tender_end]),
    ("awards/date", lambda v: [to_date(a.get("date")) for a in v.active_awards]),
    ("contracts/dateSigned", lambda v: [c.date_signed for c in _contracts(v)]),
)


def _installation_days(processes) -> dict[datetime.date, tuple[bool, str]]:
    """date → (non-working, reason) of the administrator's rows, the newest per date (a Context
    part: one query per batch)."""
    rows = OfficialHoliday.objects.order_by("recorded_at", "pk").values_list(
        "date", "non_working", "name"
    )
    return {date: (non_working, name) for date, non_working, name in rows}


def holiday_dates(view: ProcessView, context: Context, indicator: Indicator):
    if not view.active_awards:
        return []
    checked, hits = [], []
    extra = tuple(indicator.thresholds["extra_holidays"])
    installation = context.part("holidays", _installation_days)
    for path, read in HOLIDAY_DATES:
        for date in read(view):
            if date is None:
                continue
            checked.append({"path": path, "date": iso(date)})
            reason = official_holidays(date.year, extra).get(date)
            if date in installation:
                non_working, name = installation[date]
                reason = name if non_working else None
            if reason is None and indicator.thresholds["sundays"] and date.weekday() == 6:
                reason = "domingo"
            if reason:
                hits.append({"path": path, "date": iso(date), "reason": reason})
    if not checked:
        return [indicator.unknown(["awards/date", "contracts/dateSigned"])]
    evidence = {"checked": checked, "holidays": hits}
    if hits:
        first = hits[0]
        explanation = _("La fecha %(path)s (%(date)s) cae en día inhábil: %(reason)s.") % first
        return [indicator.flag(explanation, evidence=evidence)]
    return [indicator.clear(evidence=evidence)]


register(
    Indicator(
        code="MX-HOLIDAY",
        version=1,
        name=gettext_lazy("Fechas clave en día inhábil"),
        description=gettext_lazy(
            "El inicio o fin del periodo de propuestas, la adjudicación o la firma caen en un "
            "día de descanso obligatorio (LFT art. 74, más los días inhábiles que registre el "
            "administrador) o en domingo."
        ),
        family=TRANSPARENCY,
        stages=FROM_AWARD,
        data=(
            "tender/tenderPeriod/startDate",
            "tender/tenderPeriod/endDate",
            "awards/date",
            "contracts/dateSigned",
        ),
        source="PODER (fechas sospechosas); LFT art. 74",
        severity=Severity.LOW,
        definition=holiday_dates,
        defaults={"sundays": True, "extra_holidays": []},
    )
)
