"""What the OIC's risk dashboard shows, as named tables (the page, the charts and every export
read the same ones), in a fixed number of queries whatever the number of processes.

Filters: entity, unit, year, procedure type, category. Without procedure type or category the
figures are sums of the stored aggregates (``RiskScore``, one row per entity or unit and year);
with either, sums of the processes' own tallies (``ProcessRisk``) — the same numbers, finer cut.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import Entity, PurchasingUnit
from indicadores.models import Alert, AlertStatus
from indicadores.risk.measures import COMPONENTS
from indicadores.risk.models import ProcessRisk, RiskScore
from indicadores.risk.score import Score
from indicadores.risk.tally import add
from ocds_pages.models import SupplierProjection

METHODS = {
    "open": _("Licitación pública"),
    "selective": _("Invitación a cuando menos tres"),
    "limited": _("Limitado"),
    "direct": _("Adjudicación directa"),
}
CATEGORIES = {"goods": _("Bienes"), "works": _("Obra pública"), "services": _("Servicios")}
AGE_BUCKETS = ((30, _("hasta 30 días")), (90, _("31 a 90 días")), (180, _("91 a 180 días")))
OLDEST = _("más de 180 días")
TOP_SUPPLIERS = 15
TOP_PAIRS = 20


@dataclass
class Filters:
    """The cleaned filters; ``entity_ids`` is the user's scope (None: every entity)."""

    entity_ids: list[int] | None
    entity: Entity | None = None
    unit: PurchasingUnit | None = None
    year: int | None = None
    method: str = ""
    category: str = ""

    @property
    def fine(self) -> bool:
        """Whether the cut needs the processes' own rows (not the stored aggregates)."""
        return bool(self.method or self.category)

    def query(self, **extra) -> dict:
        """The filters as the dashboard's GET parameters (for links and exports)."""
        params = {
            "ente": self.entity.key if self.entity else "",
            "unidad": self.unit.key if self.unit else "",
            "anio": self.year or "",
            "procedimiento": self.method,
            "categoria": self.category,
            **extra,
        }
        return {key: value for key, value in params.items() if value not in ("", None)}

    def processes(self):
        """``ProcessRisk`` rows inside the filters (and the scope)."""
        rows = ProcessRisk.objects.all()
        if self.entity_ids is not None:
            rows = rows.filter(entity_id__in=self.entity_ids)
        if self.entity:
            rows = rows.filter(entity=self.entity)
        if self.unit:
            rows = rows.filter(unit=self.unit)
        if self.year:
            rows = rows.filter(year=self.year)
        if self.method:
            rows = rows.filter(procurement_method=self.method)
        if self.category:
            rows = rows.filter(category=self.category)
        return rows


@dataclass
class Table:
    """One table of the dashboard: what the page shows and what the exports write."""

    name: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)  # drill-down of each row


@dataclass
class Dashboard:
    filters: Filters
    overall: Score
    by_year: list[tuple[int, Score]]
    tables: dict[str, Table]


# --- the sums -----------------------------------------------------------------------------------


def _sums(filters: Filters) -> tuple[dict[int, dict], dict[int | None, dict]]:
    """(year → tally) for the series over time, and (row key → tally) for the breakdown: units
    when one entity is chosen, entities otherwise. One query."""
    by_year: dict[int, dict] = defaultdict(dict)
    by_part: dict = defaultdict(dict)
    per_unit = filters.entity is not None
    if filters.fine:
        rows = Filters(**{**filters.__dict__, "year": None}).processes()
        part = "unit_id" if per_unit else "entity_id"
        for year, key, tally in rows.values_list("year", part, "tally").iterator(2000):
            add(by_year[year], tally)
            if not filters.year or year == filters.year:
                add(by_part[key], tally)
        return by_year, by_part
    scores = RiskScore.objects.all()
    if filters.entity_ids is not None:
        scores = scores.filter(entity_id__in=filters.entity_ids)
    if filters.entity:
        scores = scores.filter(entity=filters.entity)
    if filters.unit:
        scores = scores.filter(unit=filters.unit)
    elif not per_unit:
        scores = scores.filter(unit__isnull=True)
    for year, entity_id, unit_id, tally in scores.values_list(
        "year", "entity_id", "unit_id", "tally"
    ):
        whole = unit_id is None or filters.unit is not None
        if whole:
            add(by_year[year], tally)
        if filters.year and year != filters.year:
            continue
        if per_unit and unit_id is not None:
            add(by_part[unit_id], tally)
        elif not per_unit:
            add(by_part[entity_id], tally)
    return by_year, by_part


def build(filters: Filters) -> Dashboard:
    by_year, by_part = _sums(filters)
    series = [(year, Score.of(by_year[year])) for year in sorted(by_year)]
    overall_tally: dict = {}
    for year, tally in by_year.items():
        if not filters.year or year == filters.year:
            add(overall_tally, tally)
    overall = Score.of(overall_tally)
    tables = {
        "indice": _index_table(series),
        "componentes": _measure_table(overall, filters),
        "desglose": _breakdown_table(by_part, filters),
        "indicadores": _indicator_table(overall, filters),
        "coocurrencia": _pairs_table(overall, filters),
        "proveedores": _supplier_table(filters),
        "alertas": _alert_table(filters),
        "calidad": _quality_table(overall),
    }
    return Dashboard(filters=filters, overall=overall, by_year=series, tables=tables)


# --- tables -------------------------------------------------------------------------------------


def _index_table(series) -> Table:
    columns = [str(_("Año")), str(_("Procesos")), str(_("Índice"))]
    columns += [str(Score.of({}).component(key).name) for key in COMPONENTS]
    columns += [str(_("Calidad de los datos"))]
    table = Table("indice", str(_("Índice de riesgo y componentes por año")), columns)
    for year, score in series:
        values = [score.component(key).value for key in COMPONENTS]
        table.rows.append([year, score.processes, score.index, *values, score.quality])
        table.links.append(None)
    return table


def _measure_table(score: Score, filters: Filters) -> Table:
    columns = [
        str(_("Componente")),
        str(_("Medida")),
        str(_("Fórmula")),
        str(_("Numerador")),
        str(_("Denominador")),
        str(_("Elegibles")),
        str(_("Valor (%)")),
    ]
    table = Table("componentes", str(_("Componentes y sus medidas")), columns)
    for component in score.components:
        for value in component.measures:
            measure = value.measure
            table.rows.append(
                [
                    str(component.name),
                    str(measure.name),
                    str(measure.formula),
                    value.numerator,
                    value.denominator,
                    value.eligible,
                    value.percent,
                ]
            )
            table.links.append(_measure_link(measure, filters))
    return table


def _measure_link(measure, filters: Filters) -> dict | None:
    if measure.code:
        return filters.query(indicador=measure.code)
    if measure.key in ("direct_count", "direct_amount"):
        return filters.query(procedimiento="direct")
    return None


def _breakdown_table(by_part: dict, filters: Filters) -> Table:
    per_unit = filters.entity is not None
    title = _("Por unidad compradora") if per_unit else _("Por ente público")
    first = _("Unidad compradora") if per_unit else _("Ente público")
    columns = [str(first), str(_("Procesos")), str(_("Índice"))]
    columns += [str(Score.of({}).component(key).name) for key in COMPONENTS]
    columns += [str(_("Calidad de los datos"))]
    table = Table("desglose", str(title), columns)
    model = PurchasingUnit if per_unit else Entity
    names = dict(model.objects.filter(pk__in=[k for k in by_part if k]).values_list("pk", "key"))
    scores = [(names.get(key, str(_("Sin unidad"))), Score.of(t)) for key, t in by_part.items()]
    scores.sort(key=lambda pair: (-(pair[1].index or -1), pair[0]))
    for name, score in scores:
        values = [score.component(key).value for key in COMPONENTS]
        table.rows.append([name, score.processes, score.index, *values, score.quality])
        key = "unidad" if per_unit else "ente"
        table.links.append(filters.query(**{key: name}) if name in names.values() else None)
    return table


def _indicator_table(score: Score, filters: Filters) -> Table:
    columns = [
        str(_("Indicador")),
        str(_("Nombre")),
        str(_("Elegibles")),
        str(_("Señalados")),
        str(_("Proporción (%)")),
        str(_("No calculables")),
        str(_("Aviso")),
    ]
    table = Table("indicadores", str(_("Indicadores: elegibles, señalados y proporción")), columns)
    for row in score.indicator_rows():
        share = None if row.share is None else round(100 * row.share, 1)
        warning = str(_("revise los umbrales")) if row.review_thresholds else ""
        table.rows.append(
            [row.code, str(row.name), row.eligible, row.flagged, share, row.not_computable, warning]
        )
        table.links.append(filters.query(indicador=row.code) if row.flagged else None)
    return table


def _pairs_table(score: Score, filters: Filters) -> Table:
    columns = [str(_("Indicador")), str(_("Junto con")), str(_("Procesos con ambos"))]
    table = Table("coocurrencia", str(_("Indicadores que se presentan juntos")), columns)
    for first, second, count in score.pairs()[:TOP_PAIRS]:
        table.rows.append([first, second, count])
        table.links.append(filters.query(indicador=first, con=second))
    return table


def _quality_table(score: Score) -> Table:
    columns = [str(_("Revisión")), str(_("Regla")), str(_("Aprobados"))]
    columns += [str(_("Aplicables")), str(_("Valor (%)"))]
    table = Table("calidad", str(_("Calidad de los datos")), columns)
    for check in score.checks:
        table.rows.append(
            [
                str(check.check.name),
                str(check.check.rule),
                check.passed,
                check.applicable,
                check.value,
            ]
        )
        table.links.append(None)
    return table


def _supplier_table(filters: Filters) -> Table:
    """The suppliers with the largest amounts in the filters, with their flagged processes."""
    columns = [
        str(_("Proveedor")),
        str(_("RFC o identificador")),
        str(_("Procesos")),
        str(_("Monto (MXN)")),
        str(_("Procesos con bandera")),
        str(_("Indicadores")),
    ]
    table = Table("proveedores", str(_("Proveedores con mayor monto y sus hallazgos")), columns)
    ocids = filters.processes().values("ocid")
    suppliers = SupplierProjection.objects.filter(process__ocid__in=ocids)
    top = list(
        suppliers.values("party_id")
        .annotate(
            name=Max("name"),
            identifier=Max("identifier"),
            processes=Count("process", distinct=True),
            amount=Sum(Coalesce("process__contracted_amount", "process__awarded_amount")),
        )
        .order_by(F("amount").desc(nulls_last=True), "party_id")[:TOP_SUPPLIERS]
    )
    flags = _supplier_flags(filters, [row["party_id"] for row in top])
    for row in top:
        flagged, codes = flags.get(row["party_id"], (0, {}))
        summary = ", ".join(f"{code} ({n})" for code, n in sorted(codes.items()))
        amount = row["amount"] if row["amount"] is not None else Decimal(0)
        table.rows.append(
            [row["name"], row["identifier"], row["processes"], amount, flagged, summary]
        )
        table.links.append(filters.query(proveedor=row["party_id"]) if flagged else None)
    return table


def _supplier_flags(filters: Filters, party_ids: list[str]) -> dict:
    """party id → (processes with a flag, code → processes), over the filtered processes."""
    if not party_ids:
        return {}
    flagged = filters.processes().exclude(flagged_codes="")
    # One query: each supplier row of a flagged process with that process's codes beside it.
    codes = ProcessRisk.objects.filter(ocid=OuterRef("process__ocid")).values("flagged_codes")
    pairs = (
        SupplierProjection.objects.filter(party_id__in=party_ids)
        .filter(Exists(flagged.filter(ocid=OuterRef("process__ocid"))))
        .annotate(codes=Subquery(codes[:1]))
        .values_list("party_id", "codes")
    )
    found: dict[str, tuple[int, dict]] = {}
    for party_id, flagged_codes in pairs:
        count, by_code = found.get(party_id, (0, {}))
        for code in (flagged_codes or "").split():
            by_code[code] = by_code.get(code, 0) + 1
        found[party_id] = (count + 1, by_code)
    return found


def _age_bucket():
    today = timezone.now()
    whens = [
        When(first_computed_at__gte=today - datetime.timedelta(days=days), then=Value(str(label)))
        for days, label in AGE_BUCKETS
    ]
    return Case(*whens, default=Value(str(OLDEST)), output_field=CharField())


def _alert_table(filters: Filters) -> Table:
    """Alerts of the filtered processes by status and age (days since first flagged)."""
    ages = [str(label) for _days, label in AGE_BUCKETS] + [str(OLDEST)]
    columns = [str(_("Estado")), *ages, str(_("Total"))]
    table = Table("alertas", str(_("Alertas por estado y antigüedad")), columns)
    alerts = Alert.objects.all()
    if filters.entity_ids is not None:
        alerts = alerts.filter(entity_id__in=filters.entity_ids)
    if filters.entity:
        alerts = alerts.filter(entity=filters.entity)
    if filters.unit:
        alerts = alerts.filter(unit=filters.unit)
    if filters.year or filters.fine:
        # A semi-join on ProcessRisk's unique ocid (an IN over the subquery planned far worse).
        alerts = alerts.filter(Exists(filters.processes().filter(ocid=OuterRef("ocid"))))
    counts: dict[tuple[str, str], int] = {}
    for row in (
        alerts.values("status")
        .annotate(age=_age_bucket())
        .values("status", "age")
        .annotate(total=Count("pk"))
    ):
        counts[(row["status"], row["age"])] = row["total"]
    for status, label in AlertStatus.choices:
        cells = [counts.get((status, age), 0) for age in ages]
        table.rows.append([str(label), *cells, sum(cells)])
        table.links.append(None)
    return table


# --- drill-down -----------------------------------------------------------------------------------


def drill_down(filters: Filters, *, code: str = "", also: str = "", party_id: str = ""):
    """The filtered processes behind a figure: flagged by ``code`` (and ``also``), or of one
    supplier with a flag, newest year first."""
    rows = filters.processes()
    for item in (code, also):
        if item:
            rows = rows.filter(flagged_codes__contains=f" {item} ")
    if party_id:
        rows = rows.exclude(flagged_codes="").filter(
            ocid__in=SupplierProjection.objects.filter(party_id=party_id).values("process__ocid")
        )
    return rows.select_related("entity", "unit").order_by("-year", "ocid")
