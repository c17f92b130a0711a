"""What the OIC's risk dashboard shows, as named tables (the page, the charts and every export
read the same ones), in a fixed number of queries whatever the number of processes.

Filters: entity, unit, year, procedure type, category. The index, its series and the breakdown
are read from the stored cuts (``RiskCut``: one row per every entity, entity or unit × year or
all × procedure type or all × category or all), never summed from the processes, so they grow
with the entities and units shown, not with the processes; the suppliers read the narrow
``SupplierRisk`` rows, the alerts and the drill-down the processes' rows, through indexes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    F,
    Max,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import Entity, PurchasingUnit
from indicadores.models import AlertStatus
from indicadores.risk import counts
from indicadores.risk.measures import COMPONENT_NAMES, COMPONENTS
from indicadores.risk.models import (
    ALL,
    ALL_YEARS,
    ANY_FLAG,
    EVERY,
    AlertCount,
    ProcessRisk,
    RiskCut,
    SupplierCut,
    SupplierFlagCount,
    SupplierRisk,
)
from indicadores.risk.score import Score
from indicadores.risk.tally import Tally, accumulate, tidied

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
        return self.narrow(ProcessRisk.objects.all())

    def narrow(self, rows):
        """``rows`` (of a model with the process's entity, unit, year, procedure type and
        category) inside the filters and the scope."""
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


def cuts_pending() -> bool:
    """Whether processes are indexed but their cuts are not built yet (until the next recompute)."""
    return ProcessRisk.objects.exists() and not RiskCut.objects.exists()


def _cut(filters: Filters):
    """The ``RiskCut`` rows of the chosen procedure type and category (or of all)."""
    return RiskCut.objects.filter(
        procurement_method=filters.method or ALL, category=filters.category or ALL
    )


def _series(filters: Filters) -> tuple[dict[int, Tally], Tally]:
    """(year → tally) of the chosen unit, entity, entities of the scope or every entity, and
    the tally of the chosen year (or of every year). One query: one row per year, summed only
    for an OIC of several entities."""
    rows = _cut(filters)
    if filters.unit:
        rows = rows.filter(unit=filters.unit)
    elif filters.entity:
        rows = rows.filter(entity=filters.entity, unit__isnull=True)
    elif filters.entity_ids is None:
        rows = rows.filter(entity__isnull=True)
    else:
        rows = rows.filter(entity_id__in=filters.entity_ids, unit__isnull=True)
    sums: dict[int, Tally] = defaultdict(dict)
    for year, tally in rows.values_list("year", "tally"):
        accumulate(sums[year], tally)
    by_year = {year: tidied(tally) for year, tally in sums.items()}
    every_year = by_year.pop(ALL_YEARS, {})
    return by_year, by_year.get(filters.year, {}) if filters.year else every_year


def _parts(filters: Filters):
    """The breakdown, highest index first: the chosen entity's units (or the chosen unit), or
    every entity of the scope; their stored columns, one query."""
    rows = _cut(filters).filter(year=filters.year or ALL_YEARS)
    if filters.entity:
        rows = rows.filter(entity=filters.entity, unit__isnull=False)
        if filters.unit:
            rows = rows.filter(unit=filters.unit)
        key = "unit__key"
    else:
        rows = rows.filter(entity__isnull=False, unit__isnull=True)
        if filters.entity_ids is not None:
            rows = rows.filter(entity_id__in=filters.entity_ids)
        key = "entity__key"
    columns = [key, "processes", "index", *COMPONENTS, "quality"]
    return rows.order_by(F("index").desc(nulls_last=True), key).values_list(*columns)


def build(filters: Filters) -> Dashboard:
    by_year, overall_tally = _series(filters)
    series = [(year, Score.of(by_year[year])) for year in sorted(by_year)]
    overall = Score.of(overall_tally)
    tables = {
        "indice": _index_table(series),
        "componentes": _measure_table(overall, filters),
        "desglose": _breakdown_table(filters),
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


def _breakdown_table(filters: Filters) -> Table:
    per_unit = filters.entity is not None
    title = _("Por unidad compradora") if per_unit else _("Por ente público")
    first = _("Unidad compradora") if per_unit else _("Ente público")
    columns = [str(first), str(_("Procesos")), str(_("Índice"))]
    columns += [str(COMPONENT_NAMES[key]) for key in COMPONENTS]
    columns += [str(_("Calidad de los datos"))]
    table = Table("desglose", str(title), columns)
    for row in _parts(filters):
        table.rows.append(list(row))
        table.links.append(filters.query(**{"unidad" if per_unit else "ente": row[0]}))
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
    top = _top_suppliers(filters)
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


def _top_suppliers(filters: Filters) -> list[dict]:
    """The largest amounts of the filters' cut (``SupplierCut``): one cut read through its
    index, or the scope's entities summed per supplier. Those without any amount go after
    those whose amounts add up to zero, as SQL puts an empty sum last."""
    rows = _in_cut(SupplierCut.objects.all(), filters)
    columns = ("party_id", "name", "identifier", "processes", "amount")
    if not (filters.entity or filters.entity_ids is None):
        rows = rows.values("party_id").annotate(
            name=Max("name"),
            identifier=Max("identifier"),
            processes=Sum("processes"),
            amount=Sum("amount"),
            priced=Sum("priced"),
        )
    priced = Case(When(priced__gt=0, then=Value(1)), default=Value(0))
    order = (F("amount").desc(), priced.desc(), "party_id")
    return list(rows.order_by(*order).values(*columns)[:TOP_SUPPLIERS])


def _supplier_flags(filters: Filters, party_ids: list[str]) -> dict:
    """party id → (processes with a flag, code → processes) in the filters' cut, from the
    stored counts (``SupplierFlagCount``): a few rows per supplier."""
    if not party_ids:
        return {}
    rows = _in_cut(SupplierFlagCount.objects.filter(party_id__in=party_ids), filters)
    summed = rows.values("party_id", "code").annotate(n=Sum("processes")).order_by()
    found: dict[str, tuple[int, dict]] = {}
    for row in summed:
        if not row["n"]:
            continue
        count, by_code = found.get(row["party_id"], (0, {}))
        if row["code"] == ANY_FLAG:
            count = row["n"]
        else:
            by_code[row["code"]] = row["n"]
        found[row["party_id"]] = (count, by_code)
    return found


def _in_cut(rows, filters: Filters):
    """The rows (of ``AlertCount`` or ``SupplierCut``) of the filters' cut: its unit, entity,
    the scope's entities or every entity."""
    rows = rows.filter(
        year=filters.year or ALL_YEARS,
        procurement_method=filters.method or ALL,
        category=filters.category or ALL,
    )
    if filters.entity_ids is not None:
        rows = rows.filter(entity_ref__in=filters.entity_ids)
    if filters.unit:
        return rows.filter(entity_ref=filters.unit.entity_id, unit_ref=filters.unit.pk)
    if filters.entity:
        return rows.filter(entity_ref=filters.entity.pk, unit_ref=EVERY)
    if filters.entity_ids is None:
        return rows.filter(entity_ref=EVERY, unit_ref=EVERY)
    return rows.filter(unit_ref=EVERY)


def _alert_table(filters: Filters) -> Table:
    """Alerts of the filtered processes by status and age (whole days, UTC, since first
    flagged), summed from the stored counts: at most statuses × days rows per entity shown."""
    ages = [str(label) for _days, label in AGE_BUCKETS] + [str(OLDEST)]
    columns = [str(_("Estado")), *ages, str(_("Total"))]
    table = Table("alertas", str(_("Alertas por estado y antigüedad")), columns)
    # Per status, how many were first flagged since each limit (conditional sums over one
    # pass); the buckets are differences.
    today = counts.day_of(timezone.now())
    since = {
        f"d{days}": Sum("alerts", filter=Q(day__gte=today - datetime.timedelta(days=days)))
        for days, _label in AGE_BUCKETS
    }
    rows = _in_cut(AlertCount.objects.all(), filters).values("status")
    rows = rows.annotate(n=Sum("alerts"), **since)
    found = {row["status"]: row for row in rows.order_by()}
    for status, label in AlertStatus.choices:
        row = found.get(status, {})
        cumulative = [row.get(f"d{days}") or 0 for days, _label in AGE_BUCKETS]
        cumulative.append(row.get("n") or 0)
        cells = [cumulative[0]] + [b - a for a, b in zip(cumulative, cumulative[1:], strict=False)]
        table.rows.append([str(label), *cells, cumulative[-1]])
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
            pk__in=SupplierRisk.objects.filter(party_id=party_id).values("process_id")
        )
    return rows.select_related("entity", "unit").order_by("-year", "ocid")
