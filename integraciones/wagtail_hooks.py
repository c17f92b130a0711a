"""Wagtail admin screens of the registries, for superusers only: providers (with the last
success and last error of their sync), the sync runs, and the mirrored 69-B list."""

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from cms.admin_columns import yes_no
from cms.admin_history import PermittedHistoryView
from integraciones.forms import RegistryProviderForm
from integraciones.models import RegistryProvider, Sat69bTaxpayer, SyncRun


class SuperuserOnly(PermissionHelper):
    """Registry credentials and sync control belong to whoever administers the installation."""

    def user_can_list(self, user):
        return user.is_active and user.is_superuser

    def user_can_create(self, user):
        return self.user_can_list(user)

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and self.user_can_list(user)

    def user_can_edit_obj(self, user, obj):
        return self.user_can_list(user)

    def user_can_delete_obj(self, user, obj):
        return self.user_can_list(user)


class ReadOnlyForSuperusers(SuperuserOnly):
    """Rows written by the sync or the import: to be read, never edited by hand."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class RegistryProviderAdmin(ModelAdmin):
    history_view_class = PermittedHistoryView
    model = RegistryProvider
    menu_label = _("Proveedores PDN")
    menu_icon = "site"
    permission_helper_class = SuperuserOnly
    # No secret column: the password, client_secret and token never appear in a list.
    list_display = (
        "name",
        "system",
        "version",
        yes_no("active", _("activo")),
        "last_success_at",
        "last_error_at",
        "last_error_summary",
    )
    list_filter = ("system", "version", "active")
    search_fields = ("name", "supplier_name")
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                ["name", "system", "version", "level", "supplier_name", "url", "active"],
                heading=_("Proveedor"),
            ),
            MultiFieldPanel(
                ["token_url", "username", "password", "client_id", "client_secret", "scope"],
                heading=_("OAuth 2.0 (S1 y versión 1 de S2/S3)"),
            ),
            MultiFieldPanel(
                [FieldPanel("token"), FieldPanel("collections")],
                heading=_("Directus (versión 2 de S2/S3)"),
            ),
        ],
        base_form_class=RegistryProviderForm,
    )

    def last_error_summary(self, obj):
        return Truncator(obj.last_error_message).chars(120)

    last_error_summary.short_description = _("mensaje del último error")


class SyncRunAdmin(ModelAdmin):
    history_view_class = PermittedHistoryView
    model = SyncRun
    menu_label = _("Sincronizaciones")
    menu_icon = "history"
    permission_helper_class = ReadOnlyForSuperusers
    inspect_view_enabled = True
    list_display = (
        "provider",
        "started_at",
        "finished_at",
        "status",
        "pages",
        "rows",
        "error_summary",
    )
    # A filter on the provider would need django.contrib.admin; searching by its key does not.
    list_filter = ("status",)
    search_fields = ("provider__name",)

    def error_summary(self, obj):
        return Truncator(obj.error_message).chars(120)

    error_summary.short_description = _("mensaje")


class Sat69bAdmin(ModelAdmin):
    history_view_class = PermittedHistoryView
    model = Sat69bTaxpayer
    menu_label = _("Lista 69-B del SAT")
    menu_icon = "warning"
    permission_helper_class = ReadOnlyForSuperusers
    inspect_view_enabled = True
    list_display = (
        "rfc",
        "name",
        "status",
        yes_no("in_latest_list", _("en la lista vigente")),
        "fetched_at",
    )
    list_filter = ("status", "in_latest_list")
    search_fields = ("rfc", "name")


@modeladmin_register
class RegistriesGroup(ModelAdminGroup):
    menu_label = _("Registros PDN y SAT")
    menu_icon = "folder-open-inverse"
    menu_order = 800
    items = (RegistryProviderAdmin, SyncRunAdmin, Sat69bAdmin)
