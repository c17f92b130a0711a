"""The market research in the admin menu (where staff land after logging in)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms.tenancy import entity_ids_for


class MemberMenuItem(MenuItem):
    """Shown to anyone who works for an entity (and the national administrator)."""

    def is_shown(self, request):
        allowed = entity_ids_for(request.user)
        return allowed is None or bool(allowed)


@hooks.register("register_admin_menu_item")
def register_market_menu_item():
    return MemberMenuItem(
        _("Investigación de mercado"), reverse("mercado:search"), icon_name="search", order=33
    )
