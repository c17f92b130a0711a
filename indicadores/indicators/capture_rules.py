"""Our capture rules (LAASSP) on published data: MX-LAASSP.

Our own capture refuses a release that breaks them (``ocds_pages.validation.capture_rule_issues``);
data imported from another system is checked against OCDS only and keeps them as warnings of the
import (docs/ocds.md). This indicator makes the same check an alert-system finding: it reads the
stored compiled release with ``ocds_pages.validation.capture_rule_breaches`` — the function the
importer's warnings come from — so ``release_published`` after an import and
``calcular_indicadores`` over the database give the same findings.
"""

import orjson
from django.utils.translation import gettext_lazy

from indicadores.engine.core import TRANSPARENCY, Context, Indicator, register
from indicadores.engine.process import ProcessView
from indicadores.outcomes import Severity
from ocds_pages.models import Release
from ocds_pages.validation import CAPTURE_RULES, capture_rule_breaches, parse_datetime
from workflows.base.procedures import Stage

SIGNED_STAGES = frozenset(
    {
        Stage.CONTRACT,
        Stage.IMPLEMENTATION,
        Stage.CONTRACT_AMENDMENT,
        Stage.CONTRACT_TERMINATION,
        Stage.IMPLEMENTATION_UPDATE,
    }
)


def _published_releases(processes: list[ProcessView]) -> dict[str, list[dict]]:
    """The stored releases, in publication order, of the published processes of the batch that
    break a rule (to name the release that published the offending value): one query, and none
    when no process breaks one."""
    ocids = [
        view.ocid for view in processes if not view.stage and capture_rule_breaches(view.release)
    ]
    if not ocids:
        return {}
    found: dict[str, list[dict]] = {}
    rows = Release.objects.filter(ocid__among=ocids).order_by("ocid", "date", "pk")
    for ocid, data in rows.values_list("ocid", "data"):
        found.setdefault(ocid, []).append(orjson.loads(data))
    return found


def capture_rules(view: ProcessView, context: Context, indicator: Indicator):
    contracts = [
        (index, contract)
        for index, contract in enumerate(view.release.get("contracts") or [])
        if isinstance(contract, dict) and contract.get("awardID") is not None
    ]
    if not contracts:
        return []
    breaches = capture_rule_breaches(view.release)
    if breaches and not view.stage:
        releases = context.part("capture_rule_releases", _published_releases).get(view.ocid, [])
        breaches = capture_rule_breaches(view.release, releases)
    broken = {breach.contract_index: breach for breach in breaches}
    award_dates = {
        award.get("id"): award.get("date")
        for award in view.release.get("awards") or []
        if isinstance(award, dict)
    }
    outcomes = []
    for index, contract in contracts:
        subject = str(contract.get("id") or "")
        breach = broken.get(index)
        if breach is not None:
            evidence = breach.as_evidence()
            outcomes.append(indicator.flag(breach.message, subject=subject, evidence=evidence))
            continue
        award_date = award_dates.get(contract.get("awardID"))
        missing = []
        if not parse_datetime(award_date):
            missing.append("awards/date")
        if not parse_datetime(contract.get("dateSigned")):
            missing.append("contracts/dateSigned")
        if missing:
            outcomes.append(indicator.unknown(missing, subject=subject))
            continue
        evidence = {
            "rule": "contract_signed_before_award",
            "contract": subject,
            "award": str(contract.get("awardID")),
            "date_signed": contract.get("dateSigned"),
            "award_date": award_date,
        }
        outcomes.append(indicator.clear(subject=subject, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="MX-LAASSP",
        version=1,
        name=gettext_lazy("Incumple una regla de captura de la LAASSP"),
        description=gettext_lazy(
            "El proceso rompe una regla que la captura propia exige y OCDS no: un contrato "
            "firmado antes de la adjudicación a la que remite. Los datos importados de otro "
            "sistema se aceptan si cumplen OCDS y la regla queda como aviso de la importación y "
            "como este hallazgo."
        ),
        family=TRANSPARENCY,
        stages=SIGNED_STAGES,
        data=("awards/id", "awards/date", "contracts/awardID", "contracts/dateSigned"),
        source="; ".join(sorted({str(rule["source"]) for rule in CAPTURE_RULES.values()})),
        severity=Severity.LOW,
        definition=capture_rules,
    )
)
