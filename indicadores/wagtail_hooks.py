"""Entry points to the alert screens from the admin menu (where staff land after logging in)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from indicadores.permissions import ANSWER, WORK


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
