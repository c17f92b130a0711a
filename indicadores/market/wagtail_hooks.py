"""The market research in the admin menu (where staff land after logging in)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from indicadores.market.permissions import VIEW, may


class MemberMenuItem(MenuItem):
    """Shown to staff whose role reads the market research (and the national administrator)."""

    def is_shown(self, request):
        return may(request.user, VIEW)


@hooks.register("register_admin_menu_item")
def register_market_menu_item():
    return MemberMenuItem(
        _("Investigación de mercado"), reverse("mercado:search"), icon_name="search", order=33
    )
