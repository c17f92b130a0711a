"""MX-PRECIO-MERCADO: an awarded unit price above the reference of the process's market research.

Basis of the default share (10 %): LAASSP art. 2, fracc. XI defines «precio no aceptable» as one
that, from the market research carried out, is more than ten per cent above the median observed
in that research. The installation may change the share (``umbral``) as any threshold; the
comparison is against the reference price of the latest market-research report of the same
process, item (CUCoP key) and unit of measure (docs/mercado.md, docs/indicadores.md).
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy

from indicadores.engine.core import COMPETITION, Context, Indicator, register
from indicadores.engine.process import ProcessView, as_dict, as_list
from indicadores.engine.text import gettext as _
from indicadores.market.models import MarketReport
from indicadores.market.selectors import fold_unit
from indicadores.outcomes import Severity
from ocds_pages.projections import to_decimal
from workflows.base.procedures import Stage

AWARD_STAGES = frozenset(
    {Stage.AWARD, Stage.CONTRACT, Stage.CONTRACT_AMENDMENT, Stage.IMPLEMENTATION}
)


def _references(processes: list[ProcessView]) -> dict[str, list[MarketReport]]:
    """The newest report with a reference price per process (ocid), for the whole batch."""
    ocids = {view.ocid for view in processes}
    found: dict[str, list[MarketReport]] = {}
    reports = (
        MarketReport.objects.filter(
            study__process__ocid__among=ocids, reference_price__isnull=False
        )
        .select_related("study__process")
        .defer("pdf", "xlsx")
        .order_by("-created_at", "-pk")
    )
    for report in reports:
        found.setdefault(report.study.process.ocid, []).append(report)
    return found


def _priced_items(view: ProcessView) -> list[tuple[str, dict]]:
    items = []
    for award in view.active_awards:
        for item in as_list(award.get("items")):
            price = to_decimal(as_dict(as_dict(item.get("unit")).get("value")).get("amount"))
            if price and price > 0:
                items.append((str(award.get("id") or ""), item))
    return items


def _matching(reports: list[MarketReport], item: dict) -> MarketReport | None:
    code = str(as_dict(item.get("classification")).get("id") or "")
    unit = fold_unit(str(as_dict(item.get("unit")).get("name") or ""))
    for report in reports:  # newest first
        if report.classification_id and report.classification_id != code:
            continue
        if report.unit_key and unit and report.unit_key != unit:
            continue
        return report
    return None


def above_market(view: ProcessView, context: Context, indicator: Indicator):
    items = _priced_items(view)
    if not items:
        return []  # nothing awarded with a unit price yet: not eligible
    reports = context.part("market_reports", _references).get(view.ocid, [])
    share = Decimal(str(indicator.thresholds["share"]))
    outcomes = []
    for award_id, item in items:
        subject = f"{award_id}:{item.get('id', '')}"
        report = _matching(reports, item)
        if report is None:
            missing = [_("reporte de investigación de mercado con precio de referencia")]
            outcomes.append(indicator.unknown(missing, subject=subject))
            continue
        price = to_decimal(as_dict(as_dict(item.get("unit")).get("value")).get("amount"))
        limit = report.reference_price * (1 + share)
        evidence = {
            "item": str(item.get("description") or ""),
            "classification": report.classification_id,
            "awarded_unit_price": str(price),
            "reference_price": str(report.reference_price),
            "method": report.method,
            "limit": str(limit.quantize(Decimal("0.0001"))),
            "report_data_sha256": report.data_sha256,
        }
        if price > limit:
            excess = (price / report.reference_price - 1) * 100
            text = _(
                "El precio unitario adjudicado de «%(item)s» (%(price)s) supera en %(excess).1f %% "
                "el precio de referencia de la investigación de mercado (%(reference)s)."
            ) % {
                "item": evidence["item"][:80],
                "price": price,
                "excess": excess,
                "reference": report.reference_price,
            }
            outcomes.append(indicator.flag(text, subject=subject, evidence=evidence))
        else:
            outcomes.append(indicator.clear(subject=subject, evidence=evidence))
    return outcomes


register(
    Indicator(
        code="MX-PRECIO-MERCADO",
        version=1,
        name=gettext_lazy("Precio adjudicado arriba de la investigación de mercado"),
        description=gettext_lazy(
            "Un precio unitario adjudicado supera en más de «share» (10 % por omisión) el precio "
            "de referencia del reporte de investigación de mercado del mismo proceso, partida "
            "y unidad."
        ),
        family=COMPETITION,
        stages=AWARD_STAGES,
        data=("awards/items/unit/value/amount", "awards/items/classification/id", "mercado"),
        source="LAASSP art. 2 fracc. XI (precio no aceptable: más de 10 % sobre la mediana)",
        severity=Severity.MEDIUM,
        definition=above_market,
        defaults={"share": 0.10},
    )
)
