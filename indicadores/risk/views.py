"""The OIC's risk dashboard (/tramite/riesgo/): the index, its components over time, the
indicator table, co-occurrence, top suppliers, alerts by status and age, and the processes
behind each figure; every table exports to CSV and XLSX.

The OIC sees its entity (or entities); the national administrator sees every entity. Another
entity asked for by key answers 404, as everywhere (cms.tenancy).
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cms.models import Entity, PurchasingUnit
from cms.roles import Role
from cms.tenancy import entity_ids_for
from indicadores.risk import charts, dashboard, exports
from indicadores.risk.forms import DashboardFilterForm, DrillDownForm
from indicadores.risk.measures import COMPONENTS
from indicadores.risk.models import RiskScore
from ocds_pages.models import ProcessProjection

VIEW = "indicadores.view_riskscore"
PAGE_SIZE = 50
# Rows of a table on the page, in its order (the breakdown: highest index first); the CSV and
# XLSX exports have every row. Only the national breakdown (one row per entity) reaches it.
TABLE_ROWS = 50


def _scope(user) -> list[int] | None:
    if not user.has_perm(VIEW):
        raise PermissionDenied(_("El tablero de riesgo es del órgano interno de control."))
    allowed = entity_ids_for(user, [Role.OIC])
    return None if allowed is None else sorted(allowed)


def _filters(request) -> tuple[DashboardFilterForm, dashboard.Filters]:
    """The filter form bound to the query string, and the filters it says (inside the scope).

    An OIC of a single entity has it chosen for them; a key outside the scope is a 404.
    """
    scope = _scope(request.user)
    entities = Entity.objects.order_by("key")
    years = RiskScore.objects.filter(unit__isnull=True)
    if scope is not None:
        entities = entities.filter(pk__in=scope)
        years = years.filter(entity_id__in=scope)
    data = request.GET.copy()
    if scope is not None and len(scope) == 1 and not data.get("ente"):
        data["ente"] = Entity.objects.filter(pk=scope[0]).values_list("key", flat=True).first()
    units = PurchasingUnit.objects.filter(entity__in=entities, entity__key=data.get("ente") or "")
    form = DashboardFilterForm(
        data,
        entities=entities,
        units=units.order_by("key"),
        years=sorted(set(years.values_list("year", flat=True)), reverse=True),
    )
    if not form.is_valid():
        if "ente" in form.errors or "unidad" in form.errors:
            raise Http404
        return form, dashboard.Filters(entity_ids=scope)
    clean = form.cleaned_data
    filters = dashboard.Filters(
        entity_ids=scope,
        entity=clean["ente"],
        unit=clean["unidad"],
        year=clean["anio"],
        method=clean["procedimiento"],
        category=clean["categoria"],
    )
    return form, filters


def _url(name: str, query: dict) -> str:
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def _linked(board: dashboard.Dashboard) -> dict:
    """Each table with its rows' drill-down URLs (the breakdown reopens the dashboard)."""
    tables = {}
    for name, table in board.tables.items():
        target = (
            "indicadores:risk-dashboard" if name == "desglose" else "indicadores:risk-processes"
        )
        shown = table.links[:TABLE_ROWS]
        links = [_url(target, query) if query else None for query in shown]
        exports_ = {
            fmt: _url(
                "indicadores:risk-export", {**board.filters.query(), "tabla": name, "formato": fmt}
            )
            for fmt in exports.FORMATS
        }
        tables[name] = {
            "table": table,
            "rows": list(zip(table.rows[:TABLE_ROWS], links, strict=True)),
            "hidden": len(table.rows) - len(shown),
            "exports": exports_,
        }
    return tables


def _charts(board: dashboard.Dashboard) -> dict:
    labels = [str(year) for year, _score in board.by_year]
    series = [(_("Índice"), [score.index for _year, score in board.by_year])]
    for key in COMPONENTS:
        name = str(board.overall.component(key).name)
        series.append((name, [score.component(key).value for _y, score in board.by_year]))
    over_time = charts.line_chart(
        "grafica-indice",
        _("Índice de riesgo y componentes por año"),
        _(
            "Valores de 0 a 100 por año; la tabla «Índice de riesgo y componentes por año» tiene "
            "las mismas cifras."
        ),
        labels,
        series,
    )
    bars = [
        (row.code, 100 * row.share, row.review_thresholds)
        for row in board.overall.indicator_rows()
        if row.share is not None
    ]
    shares = charts.bar_chart(
        "grafica-indicadores",
        _("Proporción de procesos elegibles señalados por indicador"),
        _(
            "Porcentaje de procesos elegibles con bandera; rayadas, las que superan el umbral de "
            "revisión. La tabla «Indicadores» tiene las mismas cifras."
        ),
        bars,
    )
    return {"over_time": over_time, "shares": shares}


@login_required
@require_safe
def risk_dashboard(request):
    form, filters = _filters(request)
    board = dashboard.build(filters)
    context = {
        "form": form,
        "board": board,
        # Indexed processes but no cuts yet (an installation just updated, before its recompute);
        # asked only when the board is empty, so a normal visit spends no query on it.
        "cuts_pending": not board.overall.processes and dashboard.cuts_pending(),
        "tables": _linked(board),
        "charts": _charts(board),
        "filters": filters,
    }
    return render(request, "indicadores/risk/dashboard.html", context)


@login_required
@require_safe
def risk_export(request):
    _form, filters = _filters(request)
    name, fmt = request.GET.get("tabla", ""), request.GET.get("formato", "")
    board = dashboard.build(filters)
    if name not in board.tables or fmt not in exports.FORMATS:
        raise Http404
    write, content_type = exports.FORMATS[fmt]
    response = HttpResponse(write(board.tables[name]), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="riesgo-{name}.{fmt}"'
    return response


@login_required
@require_safe
def risk_processes(request):
    _form, filters = _filters(request)
    drill = DrillDownForm(request.GET)
    target = drill.cleaned_data if drill.is_valid() else {}
    rows = dashboard.drill_down(
        filters,
        code=target.get("indicador", ""),
        also=target.get("con", ""),
        party_id=target.get("proveedor", ""),
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    titles = dict(
        ProcessProjection.objects.filter(ocid__in=[row.ocid for row in page]).values_list(
            "ocid", "title"
        )
    )
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in request.GET.items() if k != "pagina"})
    context = {
        "page": page,
        "titles": titles,
        "target": target,
        "filters": filters,
        "query": query.urlencode(),
        "back": _url("indicadores:risk-dashboard", filters.query()),
    }
    return render(request, "indicadores/risk/processes.html", context)
