"""Staff screens of the integrity alerts (/tramite/alertas/, /tramite/avisos/).

Thin views over ``indicadores.alerts`` (writes) and ``indicadores.selectors`` (reads). The queue
and the alert page belong to the entity's OIC; the purchasing unit's approvers answer the OIC's
requests on their own page. An alert outside the user's scope answers 404 (cms.tenancy).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cms.tenancy import get_scoped_or_404
from indicadores import alerts as services
from indicadores import notifications, selectors
from indicadores.forms import (
    AlertFilterForm,
    AnswerForm,
    AssignForm,
    CommentForm,
    ResponseRequestForm,
    StatusForm,
)
from indicadores.models import Alert, Notification
from indicadores.permissions import WORK, oic_alerts, unit_requests

PAGE_SIZE = 50


def _require_oic(user):
    if not user.has_perm(WORK):
        raise PermissionDenied(_("La bandeja de alertas es del órgano interno de control."))


@login_required
def alert_list(request):
    _require_oic(request.user)
    scoped = oic_alerts(request.user)
    filters = AlertFilterForm(
        request.GET or None,
        units=selectors.alert_units(scoped),
        codes=selectors.codes_in(scoped),
    )
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    rows = selectors.queue_rows(selectors.filtered(scoped, data))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "indicadores/alert_list.html", context)


def _alert_or_404(request, pk) -> Alert:
    return get_scoped_or_404(
        oic_alerts(request.user).select_related("entity", "unit", "assigned_to", "responded_by"),
        request.user,
        pk=pk,
    )


def _forms(alert, data=None, action=None) -> dict:
    """The action forms of the alert page; the one that was posted keeps what was typed."""
    people = notifications.oic_of(alert.entity_id)

    def bound(name):
        return data if action == name else None

    # Four forms on one page: each gets its own element ids so every label finds its field.
    return {
        "status_form": StatusForm(
            bound("estado"), targets=services.allowed_targets(alert), auto_id="estado-%s"
        ),
        "comment_form": CommentForm(bound("comentario"), auto_id="comentario-%s"),
        "assign_form": AssignForm(
            bound("asignar"),
            people=people,
            initial={"assignee": alert.assigned_to_id},
            auto_id="asignar-%s",
        ),
        "request_form": ResponseRequestForm(bound("solicitar"), auto_id="solicitar-%s"),
    }


def _render_detail(request, alert, *, forms=None, status=200):
    context = {**selectors.detail(alert), **(forms or _forms(alert))}
    return render(request, "indicadores/alert_detail.html", context, status=status)


@login_required
def alert_detail(request, pk):
    return _render_detail(request, _alert_or_404(request, pk))


def _change_status(alert, user, data):
    return services.change_status(
        alert=alert,
        user=user,
        to_status=data["to_status"],
        text=data["text"],
        reference_number=data["reference_number"],
    )


def _comment(alert, user, data):
    return services.comment(alert=alert, user=user, text=data["text"])


def _assign(alert, user, data):
    return services.assign(alert=alert, user=user, assignee=data["assignee"])


def _request(alert, user, data):
    return services.request_response(
        alert=alert, user=user, question=data["question"], deadline=data["deadline"]
    )


# accion → (the form that carries it, the service, the message when done)
ACTIONS = {
    "estado": ("status_form", _change_status, gettext_lazy("Estado de la alerta actualizado.")),
    "comentario": ("comment_form", _comment, gettext_lazy("Comentario agregado.")),
    "asignar": ("assign_form", _assign, gettext_lazy("Asignación guardada.")),
    "solicitar": (
        "request_form",
        _request,
        gettext_lazy("Se pidió la respuesta a la unidad compradora."),
    ),
}


@login_required
@require_POST
def alert_action(request, pk):
    alert = _alert_or_404(request, pk)
    action = request.POST.get("accion")
    if action not in ACTIONS:
        messages.error(request, _("Acción desconocida."))
        return redirect("indicadores:alert-detail", pk=alert.pk)
    form_name, act, done = ACTIONS[action]
    forms = _forms(alert, request.POST, action)
    form = forms[form_name]
    if not form.is_valid():
        messages.error(request, _("Revise los datos de la acción; no se guardó nada."))
        return _render_detail(request, alert, forms=forms, status=422)
    try:
        act(alert, request.user, form.cleaned_data)
    except services.AlertError as refused:
        form.add_error(None, refused.message)
        messages.error(request, refused.message)
        return _render_detail(request, alert, forms=forms, status=422)
    messages.success(request, str(done))
    return redirect("indicadores:alert-detail", pk=alert.pk)


# --- the purchasing unit's side -------------------------------------------------------------------


@login_required
def response_list(request):
    requests = unit_requests(request.user).select_related("unit").order_by("response_deadline")
    context = {"alerts": requests[:200], "today": timezone.localdate()}
    return render(request, "indicadores/response_list.html", context)


@login_required
def response_answer(request, pk):
    alert = get_scoped_or_404(
        unit_requests(request.user).select_related("unit"), request.user, pk=pk
    )
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_response(
                    alert=alert, user=request.user, answer=form.cleaned_data["answer"]
                )
            except services.AlertError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("Respuesta enviada al órgano interno de control."))
                return redirect("indicadores:response-list")
        status = 422
    context = {"alert": alert, "form": form, "today": timezone.localdate()}
    return render(request, "indicadores/response_answer.html", context, status=status)


# --- notices ----------------------------------------------------------------------------------


@login_required
def notification_list(request):
    notices = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        notices.filter(read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, _("Avisos marcados como leídos."))
        return redirect("indicadores:notifications")
    context = {"notices": notices.order_by("-created_at", "-pk")[:100]}
    return render(request, "indicadores/notification_list.html", context)
