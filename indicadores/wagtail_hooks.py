"""Entry points to the alert screens from the admin (where staff land after logging in): menu
items and a dashboard panel with what is waiting for the person."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from indicadores.models import AlertStatus, Notification
from indicadores.outcomes import Severity
from indicadores.permissions import ANSWER, WORK, oic_alerts, unit_requests
from indicadores.risk.home import risk_panels


class PermissionMenuItem(MenuItem):
    """Shown to people whose role group carries ``permission``."""

    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_alert_queue_menu_item():
    return PermissionMenuItem(
        _("Alertas de integridad"),
        reverse("indicadores:alert-list"),
        icon_name="warning",
        order=30,
        permission=WORK,
    )


@hooks.register("register_admin_menu_item")
def register_response_requests_menu_item():
    return PermissionMenuItem(
        _("Solicitudes del OIC"),
        reverse("indicadores:response-list"),
        icon_name="help",
        order=31,
        permission=ANSWER,
    )


@hooks.register("register_admin_menu_item")
def register_notices_menu_item():
    return NoticesMenuItem(
        _("Avisos"), reverse("indicadores:notifications"), icon_name="mail", order=32
    )


class NoticesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(WORK) or request.user.has_perm(ANSWER)


class AlertsPanel(Component):
    """What waits for the person: open alerts by severity (OIC), requests to answer (unit),
    unread notices."""

    name = "integrity_alerts"
    template_name = "indicadores/dashboard_panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        user = self.user
        pending = (AlertStatus.OPEN, AlertStatus.IN_REVIEW)
        counts = {}
        if user.has_perm(WORK):
            rows = oic_alerts(user).filter(status__in=pending).values("severity")
            counts = {row["severity"]: row["n"] for row in rows.annotate(n=Count("pk"))}
        requests = unit_requests(user).filter(responded_at__isnull=True)
        return {
            "by_severity": [(label, counts.get(value, 0)) for value, label in Severity.choices],
            "open_total": sum(counts.values()),
            "is_oic": user.has_perm(WORK),
            "requests": requests.count() if user.has_perm(ANSWER) else 0,
            "overdue": requests.filter(response_deadline__lt=timezone.localdate()).count()
            if user.has_perm(ANSWER)
            else 0,
            "unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        }


@hooks.register("construct_homepage_panels")
def add_alerts_panel(request, panels):
    if request.user.has_perm(WORK) or request.user.has_perm(ANSWER):
        panels.append(AlertsPanel(request.user))


@hooks.register("construct_homepage_panels")
def add_risk_panel(request, panels):
    """The OIC's (and the national administrator's) risk index, one click from the dashboard."""
    panels.extend(risk_panels(request))


# --- legal tables of the indicator engine (national administrator = superuser) -----------------

from wagtail_modeladmin.helpers import PermissionHelper  # noqa: E402
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register  # noqa: E402

from indicadores.engine.stats_model import (  # noqa: E402
    IndicatorThreshold,
    LegalMaximum,
    OfficialHoliday,
)


class AddOnlyForSuperusers(PermissionHelper):
    """The national administrator adds maxima; a correction is a new row (the history stays)."""

    def user_can_list(self, user):
        return user.is_active and user.is_superuser

    def user_can_create(self, user):
        return self.user_can_list(user)

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


@modeladmin_register
class LegalMaximumAdmin(ModelAdmin):
    model = LegalMaximum
    menu_label = _("Montos máximos de adjudicación")
    menu_icon = "table"
    menu_order = 810
    permission_helper_class = AddOnlyForSuperusers
    list_display = ("year", "category", "method", "amount", "source", "recorded_at")
    list_filter = ("year", "category", "method")


@modeladmin_register
class IndicatorThresholdAdmin(ModelAdmin):
    model = IndicatorThreshold
    menu_label = _("Umbrales de indicadores")
    menu_icon = "cog"
    menu_order = 811
    permission_helper_class = AddOnlyForSuperusers
    list_display = ("code", "values", "reason", "recorded_at")
    list_filter = ("code",)


@modeladmin_register
class OfficialHolidayAdmin(ModelAdmin):
    model = OfficialHoliday
    menu_label = _("Días inhábiles")
    menu_icon = "date"
    menu_order = 812
    permission_helper_class = AddOnlyForSuperusers
    list_display = ("date", "name", "non_working", "recorded_at")
