"""Staff screens of contract monitoring (/tramite/seguimiento/): the portfolio dashboard, the
drill-down list, one contract, and the export of the filtered list (CSV or XLSX).

Thin views: the scope comes from ``permissions.staff_contracts`` (another entity's contract
answers 404), the figures from ``portfolio``, the charts from ``charts``.
"""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.tenancy import is_national_admin
from indicadores.models import Alert
from indicadores.monitoring import charts, exports
from indicadores.monitoring.forms import PortfolioFilterForm
from indicadores.monitoring.permissions import require_view, staff_contracts
from indicadores.monitoring.portfolio import portfolio

PAGE_SIZE = 50


def _filtered(request):
    require_view(request.user)
    scoped = staff_contracts(request.user)
    form = PortfolioFilterForm(
        request.GET or None, scoped=scoped, national=is_national_admin(request.user)
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return form, form.filter(scoped), query.urlencode()


def _charts(figures) -> dict:
    status_bars = [charts.Bar(row["label"], row["n"]) for row in figures.by_status if row["status"]]
    months = [row["month"].strftime("%m/%y") for row in figures.months]
    return {
        "status_chart": charts.bar_chart(
            _("Contratos por estado"), status_bars, chart_id="grafica-estados"
        ),
        "money_chart": charts.column_pairs(
            _("Valor ejecutado y pagado por mes"),
            months,
            [
                (_("Ejecutado (entregas)"), [row["executed"] for row in figures.months]),
                (_("Pagado"), [row["paid"] for row in figures.months]),
            ],
            chart_id="grafica-meses",
        ),
        "supplier_chart": charts.bar_chart(
            _("Proveedores con más entregas tardías"),
            [
                charts.Bar(
                    row["supplier_name"] or row["supplier_rfc"], row["late"], charts.PALETTE[1]
                )
                for row in figures.suppliers
            ],
            chart_id="grafica-proveedores",
        ),
    }


@login_required
def dashboard(request):
    form, contracts, query = _filtered(request)
    figures = portfolio(contracts, timezone.localdate())
    context = {"form": form, "figures": figures, "query": query, **_charts(figures)}
    return render(request, "indicadores/monitoring/dashboard.html", context)


@login_required
def contract_list(request):
    form, contracts, query = _filtered(request)
    rows = contracts.select_related("entity", "unit").order_by("-days_overdue", "days_to_end", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {"form": form, "page": page, "query": query}
    return render(request, "indicadores/monitoring/contract_list.html", context)


@login_required
def contract_detail(request, pk):
    require_view(request.user)
    contract = get_object_or_404(
        staff_contracts(request.user).select_related("entity", "unit"), pk=pk
    )
    alerts = Alert.objects.filter(ocid=contract.ocid).order_by("code", "subject")
    context = {
        "contract": contract,
        "alerts": alerts if request.user.has_perm("indicadores.view_alert") else [],
    }
    return render(request, "indicadores/monitoring/contract_detail.html", context)


@login_required
def export(request, fmt):
    _form, contracts, _query = _filtered(request)
    rows = contracts.select_related("entity", "unit").order_by("entity__key", "ocid", "pk")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="seguimiento-contratos.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with the BOM
        writer = csv.writer(response)
        for line in exports.lines(rows):
            writer.writerow(line)
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            exports.workbook(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="seguimiento-contratos.xlsx"'
        return response
    raise Http404
