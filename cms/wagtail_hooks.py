"""The platform's records in the Wagtail admin (wagtail-modeladmin), scoped by cms.tenancy.

An entity administrator sees and edits only their own entity's units, people, memberships and
OAuth clients; a row of another entity answers 404 (as if it did not exist). Entities themselves
are created by the national administrator.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import CreateView, DeleteView, EditView, InspectView

from cms import admin_forms, dashboard, manual
from cms.admin_columns import yes_no
from cms.admin_history import PermittedHistoryView
from cms.models import Entity, Membership, OAuthClient, PurchasingUnit
from cms.roles import ENTITY_ADMIN_ROLES
from cms.tenancy import entity_ids_for, is_national_admin, scope_queryset


class ScopedInstanceMixin:
    """Answer 404 for an instance outside the user's scope, before any permission check."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            visible = self.model_admin.get_queryset(request).filter(pk=self.instance.pk)
            if not visible.exists():
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class ScopedEditView(ScopedInstanceMixin, EditView):
    pass


class ScopedDeleteView(ScopedInstanceMixin, DeleteView):
    pass


class ScopedInspectView(ScopedInstanceMixin, InspectView):
    pass


class ScopedHistoryView(ScopedInstanceMixin, PermittedHistoryView):
    pass


active_column = yes_no("active", gettext_lazy("Activo"))
user_active_column = yes_no("is_active", gettext_lazy("Activa"))


def is_entity_admin(user):
    return is_national_admin(user) or bool(entity_ids_for(user, ENTITY_ADMIN_ROLES))


class EntityAdminPermissionHelper(PermissionHelper):
    """Entity administrators manage rows of their entities; the superuser manages all."""

    def user_can_list(self, user):
        return is_entity_admin(user)

    def user_can_create(self, user):
        return is_entity_admin(user)

    def user_can_inspect_obj(self, user, obj):
        return is_entity_admin(user)

    def user_can_edit_obj(self, user, obj):
        return is_entity_admin(user)

    def user_can_delete_obj(self, user, obj):
        return is_entity_admin(user)


class NationalOnlyWritePermissionHelper(EntityAdminPermissionHelper):
    """Entity administrators may read their entity; only the national administrator writes."""

    def user_can_create(self, user):
        return is_national_admin(user)

    def user_can_edit_obj(self, user, obj):
        return is_national_admin(user)

    def user_can_delete_obj(self, user, obj):
        return False


class ScopedModelAdmin(ModelAdmin):
    scope_field = "entity"
    permission_helper_class = EntityAdminPermissionHelper
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    inspect_view_enabled = True

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return scope_queryset(qs, request.user, field=self.scope_field, roles=ENTITY_ADMIN_ROLES)


class EntityModelAdmin(ScopedModelAdmin):
    model = Entity
    menu_label = gettext_lazy("Entes públicos")
    menu_icon = "site"
    scope_field = "id"
    permission_helper_class = NationalOnlyWritePermissionHelper
    list_display = ("name", "acronym", "key", "level", "state", active_column)
    list_filter = ("level", "state", "active")
    search_fields = ("name", "acronym", "key")
    panels = [
        FieldPanel("name"),
        FieldPanel("acronym"),
        FieldPanel("key"),
        FieldPanel("level"),
        FieldPanel("state"),
        FieldPanel("rfc"),
        FieldPanel("active"),
    ]


class PurchasingUnitModelAdmin(ScopedModelAdmin):
    model = PurchasingUnit
    menu_label = gettext_lazy("Unidades compradoras")
    menu_icon = "group"
    list_display = ("key", "name", "entity", active_column)
    list_filter = ("active",)
    search_fields = ("key", "name")
    edit_handler = ObjectList(
        [FieldPanel("entity"), FieldPanel("key"), FieldPanel("name"), FieldPanel("active")],
        base_form_class=admin_forms.EntityScopedForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity")


class MembershipModelAdmin(ScopedModelAdmin):
    model = Membership
    menu_label = gettext_lazy("Membresías y roles")
    menu_icon = "key"
    list_display = ("user", "entity", "unit", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("entity"), FieldPanel("unit"), FieldPanel("role")],
        base_form_class=admin_forms.EntityScopedForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "entity", "unit")


class EntityUserCreateView(CreateView):
    """Creating a person uses the account-and-first-membership form, not the edit form."""

    def get_edit_handler(self):
        return self.model_admin.create_handler.bind_to_model(self.model)


class EntityUserPermissionHelper(EntityAdminPermissionHelper):
    """A person who also belongs to another entity can only be edited by the superuser."""

    def user_can_edit_obj(self, user, obj):
        if is_national_admin(user):
            return True
        allowed = entity_ids_for(user, ENTITY_ADMIN_ROLES)
        theirs = set(obj.memberships.values_list("entity_id", flat=True))
        return bool(allowed) and theirs <= allowed

    def user_can_delete_obj(self, user, obj):
        return False  # People are deactivated, never deleted: their actions stay attributable.


class EntityUserModelAdmin(ScopedModelAdmin):
    model = get_user_model()
    menu_label = gettext_lazy("Personas usuarias")
    menu_icon = "user"
    scope_field = "memberships__entity"
    permission_helper_class = EntityUserPermissionHelper
    create_view_class = EntityUserCreateView
    list_display = ("username", "first_name", "last_name", "email", user_active_column)
    list_filter = ("is_active",)
    search_fields = ("username", "first_name", "last_name", "email")
    create_handler = ObjectList(
        [
            FieldPanel("username"),
            FieldPanel("first_name"),
            FieldPanel("last_name"),
            FieldPanel("email"),
            FieldPanel("password1"),
            FieldPanel("password2"),
            FieldPanel("entity"),
            FieldPanel("role"),
            FieldPanel("unit"),
        ],
        base_form_class=admin_forms.EntityUserCreateForm,
    )
    edit_handler = ObjectList(
        [
            FieldPanel("first_name"),
            FieldPanel("last_name"),
            FieldPanel("email"),
            FieldPanel("is_active"),
            FieldPanel("new_password"),
        ],
        base_form_class=admin_forms.EntityUserEditForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()


class OAuthClientCreateView(CreateView):
    def form_valid(self, form):
        # The secret is stored hashed: this is the only moment it can be shown.
        secret = form.instance.client_secret
        response = super().form_valid(form)
        messages.warning(
            self.request,
            _(
                "Guarde ahora el secreto del cliente «%(client_id)s»: %(secret)s — no se volverá "
                "a mostrar."
            )
            % {"client_id": self.instance.client_id, "secret": secret},
        )
        return response


class OAuthClientModelAdmin(ScopedModelAdmin):
    model = OAuthClient
    menu_label = gettext_lazy("Clientes OAuth")
    menu_icon = "lock"
    create_view_class = OAuthClientCreateView
    list_display = ("name", "client_id", "entity", "authorization_grant_type", "allowed_scopes")
    search_fields = ("name", "client_id")
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("entity"),
            FieldPanel("client_type"),
            FieldPanel("authorization_grant_type"),
            FieldPanel("redirect_uris"),
            FieldPanel("allowed_scopes"),
            FieldPanel("pdn_protocol"),
        ],
        base_form_class=admin_forms.OAuthClientForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("entity")


@modeladmin_register
class PlatformAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Plataforma")
    menu_icon = "cogs"
    menu_order = 200
    items = (
        EntityModelAdmin,
        PurchasingUnitModelAdmin,
        EntityUserModelAdmin,
        MembershipModelAdmin,
        OAuthClientModelAdmin,
    )


# --- Help: our manual instead of Wagtail's English guide -------------------------------------

# Wagtail's own help items link to its English editor guide and release notes, which describe
# screens our staff do not use; the «Ayuda» menu opens this installation's manual instead.
WAGTAIL_HELP_ITEMS = ("editor-guide", "whats-new-in-wagtail-")


@hooks.register("register_admin_urls")
def register_manual_urls():
    return [
        path("manual/", manual.manual, name="cms_manual"),
        path("manual/img/<str:name>", manual.manual_image, name="cms_manual_image"),
    ]


@hooks.register("register_help_menu_item")
def register_manual_menu_item():
    return MenuItem(
        gettext_lazy("Manual de usuario"),
        reverse("cms_manual"),
        name="manual",
        icon_name="help",
        order=900,
    )


@hooks.register("construct_help_menu")
def remove_wagtail_guides(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_HELP_ITEMS)]


# --- Home: a panel per role (cms/dashboard.py; workflows adds its own) ------------------------


@hooks.register("construct_homepage_panels")
def add_platform_panels(request, panels):
    panels.extend(dashboard.platform_panels(request))


@hooks.register("insert_global_admin_css")
def home_panels_css():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/home.css"))


# «Trabajos» (the long jobs and their schedules) live in their own module; importing it here is
# what makes Wagtail run its hooks.
from cms import jobs_admin  # noqa: E402, F401
