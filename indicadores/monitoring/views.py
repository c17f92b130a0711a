"""Staff screens of contract monitoring (/tramite/seguimiento/): the portfolio dashboard, the
drill-down list, one contract, and the export of the filtered list (CSV or XLSX).

Thin views: the scope comes from ``permissions.staff_contracts`` (another entity's contract
answers 404), the figures from ``portfolio``, the charts from ``charts``.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.roles import Role
from cms.tenancy import has_role, is_national_admin, scope_queryset
from indicadores.models import Alert
from indicadores.monitoring import charts, exports
from indicadores.monitoring.forms import PortfolioFilterForm
from indicadores.monitoring.models import CitizenReport, MonitoredContract
from indicadores.monitoring.permissions import MODERATE, require_view, staff_contracts
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
        "reports": contract_reports(request.user, contract),
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


# --- citizen reports: moderation by the entity ---------------------------------------------------


def _moderated_reports(user):
    if not user.has_perm(MODERATE):
        raise PermissionDenied(_("Los reportes ciudadanos los modera el OIC o el administrador."))
    return scope_queryset(
        CitizenReport.objects.all(), user, roles=[Role.OIC, Role.ADMIN_ENTE]
    ).select_related("entity", "moderated_by")


@login_required
def report_list(request):
    reports = _moderated_reports(request.user)
    status = request.GET.get("estado") or CitizenReport.Status.PENDING
    if status in CitizenReport.Status.values:
        reports = reports.filter(status=status)
    page = Paginator(reports.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    found = MonitoredContract.objects.filter(ocid__in=[r.ocid for r in page]).only(
        "ocid", "contract_id", "title"
    )
    contracts = {(c.ocid, c.contract_id): c for c in found}
    context = {
        "page": page,
        "rows": [(r, contracts.get((r.ocid, r.contract_id))) for r in page],
        "status": status,
        "statuses": CitizenReport.Status.choices,
    }
    return render(request, "indicadores/monitoring/report_list.html", context)


@login_required
@require_POST
def report_moderate(request, pk):
    report = get_object_or_404(_moderated_reports(request.user), pk=pk)
    decision = request.POST.get("decision")
    note = request.POST.get("nota", "").strip()[:2000]
    targets = {"aceptar": CitizenReport.Status.ACCEPTED, "rechazar": CitizenReport.Status.REJECTED}
    if decision not in targets or (decision == "rechazar" and not note):
        messages.error(request, _("Para rechazar un reporte escriba por qué."))
        return redirect("indicadores:monitoring-reports")
    report.status = targets[decision]
    report.moderation_note = note
    report.moderated_by = request.user
    report.moderated_at = timezone.now()
    report.save(update_fields=["status", "moderation_note", "moderated_by", "moderated_at"])
    messages.success(request, _("Reporte moderado."))
    return redirect("indicadores:monitoring-reports")


@login_required
def report_photo(request, pk):
    """The photo of a report, to the entity's staff only (it is never published)."""
    require_view(request.user)
    report = get_object_or_404(
        scope_queryset(CitizenReport.objects.exclude(photo=""), request.user), pk=pk
    )
    return FileResponse(report.photo.open("rb"), content_type="image/jpeg")


def contract_reports(user, contract) -> list:
    """The citizen reports of the contract the user may read: accepted ones, and the pending
    and rejected ones too for whoever moderates them."""
    reports = CitizenReport.objects.filter(ocid=contract.ocid, contract_id=contract.contract_id)
    if not (user.has_perm(MODERATE) and has_role(user, Role.OIC, entity_id=contract.entity_id)):
        reports = reports.filter(status=CitizenReport.Status.ACCEPTED)
    return list(reports.order_by("-created_at"))
