"""The stage forms in the Wagtail admin: definitions (draft, preview, publish), their frozen
versions, and the catalogues editors maintain. Scoped by cms.tenancy: an editor works on their
entity's own forms and reads the national ones (which only the national administrator edits).
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as chooser_views
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.roles import Role
from cms.tenancy import entity_ids_for, is_national_admin
from workflows.forms.admin_forms import FormDefinitionForm
from workflows.models import (
    CucopItem,
    DocumentType,
    FormDefinition,
    FormVersion,
    LegalJustification,
    UnitOfMeasure,
)
from workflows.processes import dashboard

READ_ACTIONS = {"view"}


def _editor_entities(user):
    return entity_ids_for(user, {Role.EDITOR})


def definition_visible(user, definition) -> bool:
    if is_national_admin(user):
        return True
    return definition.entity_id is None or definition.entity_id in _editor_entities(user)


class FormDefinitionPermissionPolicy(ModelPermissionPolicy):
    """Model permissions (from the Editores group) narrowed per row by the editor's entities."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if is_national_admin(user):
            return True
        if instance.entity_id is None:
            return action in READ_ACTIONS
        return instance.entity_id in _editor_entities(user)

    def instances_user_has_permission_for(self, user, action):
        queryset = super().instances_user_has_permission_for(user, action)
        if is_national_admin(user):
            return queryset
        if action in READ_ACTIONS:
            return queryset.filter(entity__isnull=True) | queryset.filter(
                entity__in=_editor_entities(user)
            )
        return queryset.filter(entity__in=_editor_entities(user))


class ScopedObjectMixin:
    """Another entity's definition answers 404; a national one is read-only for editors."""

    required_action = "change"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        user = self.request.user
        policy = FormDefinitionPermissionPolicy(FormDefinition)
        if not policy.user_has_permission(user, self.required_action):
            raise PermissionDenied  # not an editor at all: Wagtail's usual refusal
        if not definition_visible(user, obj):
            raise Http404
        if not policy.user_has_permission_for_instance(user, self.required_action, obj):
            raise PermissionDenied
        return obj


def _scoped(view_class, action="change"):
    return type(
        f"Scoped{view_class.__name__}",
        (ScopedObjectMixin, view_class),
        {"required_action": action},
    )


class OneDefinitionPerScopeMixin:
    """A second definition for the same stage, procedure and entity comes back as a form error.

    The form's constraint validation refuses it, but two requests validated at the same time
    (a double click on «Guardar borrador» and «Publicar») both pass it, and the second insert hit
    the database constraint as an HTML 500 that lost what the editor wrote."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IntegrityError:
            # SQLite does not name the constraint: look for the row that took the scope.
            if not same_scope(form.instance).exists():
                raise
            self.produced_error_message = _(
                "El formulario no se guardó: ya existe un formulario para esta etapa, "
                "procedimiento y ente (¿se envió dos veces?). Ábralo desde la lista para editarlo."
            )
            form.add_error(None, self.produced_error_message)
            return self.form_invalid(form)


def same_scope(definition):
    """The other definitions of ``definition``'s stage, procedure type and entity."""
    return FormDefinition.objects.filter(
        stage=definition.stage,
        procedure_type=definition.procedure_type,
        entity=definition.entity_id,
    ).exclude(pk=definition.pk)


def visible_definitions(user, queryset, prefix=""):
    """``queryset`` narrowed to national definitions and those of the user's editor entities
    (``prefix`` reaches the definition from a related model, e.g. ``"definition__"``)."""
    if is_national_admin(user):
        return queryset
    national = Q(**{f"{prefix}entity__isnull": True})
    return queryset.filter(national | Q(**{f"{prefix}entity__in": _editor_entities(user)}))


def scoped_chooser_viewset(prefix=""):
    """Wagtail's snippet chooser (choose, results, chosen) limited like the index: another
    entity's definition is not listed, and choosing it by id answers 404 (issue 20, item 3)."""

    class Listing:
        def get_object_list(self):
            return visible_definitions(self.request.user, super().get_object_list(), prefix)

    class Chosen(chooser_views.SnippetChosenView):
        def get_object(self, pk):
            queryset = visible_definitions(self.request.user, self.model_class.objects, prefix)
            return queryset.get(pk=pk)

    class ChosenMultiple(chooser_views.SnippetChosenMultipleView):
        def get_objects(self, pks):
            return visible_definitions(self.request.user, super().get_objects(pks), prefix)

    return type(
        "ScopedChooserViewSet",
        (chooser_views.SnippetChooserViewSet,),
        {
            "choose_view_class": type("Choose", (Listing, chooser_views.ChooseView), {}),
            "choose_results_view_class": type(
                "ChooseResults", (Listing, chooser_views.ChooseResultsView), {}
            ),
            "chosen_view_class": Chosen,
            "chosen_multiple_view_class": ChosenMultiple,
        },
    )


class FormDefinitionIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        user = self.request.user
        queryset = super().get_base_queryset()
        if is_national_admin(user):
            return queryset
        return queryset.filter(entity__isnull=True) | queryset.filter(
            entity__in=_editor_entities(user)
        )


class FormDefinitionViewSet(SnippetViewSet):
    model = FormDefinition
    icon = "form"
    menu_label = _("Formularios por etapa")
    url_prefix = "formularios/definiciones"
    index_view_class = FormDefinitionIndexView
    add_view_class = type(
        "FormDefinitionCreateView", (OneDefinitionPerScopeMixin, snippet_views.CreateView), {}
    )
    edit_view_class = type(
        "FormDefinitionEditView", (OneDefinitionPerScopeMixin, _scoped(snippet_views.EditView)), {}
    )
    delete_view_class = _scoped(snippet_views.DeleteView, "delete")
    copy_view_class = _scoped(snippet_views.CopyView, "view")
    history_view_class = _scoped(snippet_views.HistoryView, "view")
    usage_view_class = _scoped(snippet_views.UsageView, "view")
    unpublish_view_class = _scoped(snippet_views.UnpublishView, "publish")
    preview_on_edit_view_class = _scoped(snippet_views.PreviewOnEditView, "view")
    inspect_view_class = _scoped(snippet_views.InspectView, "view")
    # Revisions and the chooser are Wagtail's too, and were not scoped (issue 20, item 3).
    revisions_view_class = _scoped(snippet_views.PreviewRevisionView)
    revisions_compare_view_class = _scoped(snippet_views.RevisionsCompareView)
    revisions_unschedule_view_class = _scoped(snippet_views.RevisionsUnscheduleView, "publish")
    chooser_viewset_class = scoped_chooser_viewset()
    inspect_view_enabled = True
    list_display = ["title", "stage", "procedure_type", "entity", "published_version"]
    list_filter = ["stage", "procedure_type"]
    search_fields = ["title"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("title"),
                    FieldPanel("stage"),
                    FieldPanel("procedure_type"),
                    FieldPanel("entity"),
                ],
                heading=_("Para qué etapa y procedimiento"),
            ),
            FieldPanel("fields"),
        ],
        base_form_class=FormDefinitionForm,
    )


class FormVersionPermissionPolicy(ModelPermissionPolicy):
    """Versions are read-only for everyone: they are what drafts were filled with."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and definition_visible(
            user, instance.definition
        )


register_permission_policy(FormDefinition, FormDefinitionPermissionPolicy(FormDefinition))
register_permission_policy(FormVersion, FormVersionPermissionPolicy(FormVersion))


class FormVersionIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        user = self.request.user
        queryset = super().get_base_queryset().select_related("definition")
        if is_national_admin(user):
            return queryset
        return queryset.filter(definition__entity__isnull=True) | queryset.filter(
            definition__entity__in=_editor_entities(user)
        )


class FormVersionInspectView(snippet_views.InspectView):
    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not definition_visible(self.request.user, obj.definition):
            raise Http404
        return obj


class FormVersionViewSet(SnippetViewSet):
    model = FormVersion
    icon = "history"
    menu_label = _("Versiones publicadas")
    url_prefix = "formularios/versiones"
    index_view_class = FormVersionIndexView
    inspect_view_class = FormVersionInspectView
    chooser_viewset_class = scoped_chooser_viewset("definition__")
    inspect_view_enabled = True
    list_display = ["title", "number", "stage", "procedure_type", "published_at", "published_by"]
    list_filter = ["stage", "procedure_type"]
    inspect_view_fields = [
        "definition",
        "number",
        "title",
        "stage",
        "procedure_type",
        "published_at",
        "published_by",
        "spec",
    ]


class CucopViewSet(SnippetViewSet):
    model = CucopItem
    icon = "list-ol"
    menu_label = _("Catálogo CUCoP")
    url_prefix = "formularios/cucop"
    list_display = ["code", "description", "expense_item", "active"]
    list_filter = ["active"]
    search_fields = ["code", "description"]


class UnitViewSet(SnippetViewSet):
    model = UnitOfMeasure
    icon = "resubmit"
    menu_label = _("Unidades de medida")
    url_prefix = "formularios/unidades"
    list_display = ["name", "code", "active"]
    search_fields = ["name", "code"]


class JustificationIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().in_legal_order()


class JustificationViewSet(SnippetViewSet):
    model = LegalJustification
    index_view_class = JustificationIndexView
    icon = "doc-full"
    menu_label = _("Fundamentos de adjudicación directa")
    url_prefix = "formularios/fundamentos"
    list_display = ["code", "law", "article", "fraction", "summary", "active"]
    list_filter = ["law", "active"]
    search_fields = ["code", "summary"]


class DocumentTypeViewSet(SnippetViewSet):
    model = DocumentType
    icon = "doc-empty"
    menu_label = _("Tipos de documento")
    url_prefix = "formularios/tipos-documento"
    list_display = ["name", Column("ocds_code", label=_("documentType OCDS")), "active"]
    search_fields = ["name", "ocds_code"]


class StageFormsGroup(SnippetViewSetGroup):
    menu_label = _("Formularios")
    menu_icon = "form"
    menu_order = 210
    items = (
        FormDefinitionViewSet,
        FormVersionViewSet,
        CucopViewSet,
        UnitViewSet,
        JustificationViewSet,
        DocumentTypeViewSet,
    )


register_snippet(StageFormsGroup)


# --- Entry points to the contracting screens (/tramite/) from the admin menu ---------------------

WORK_ROLES = {Role.CAPTURISTA, Role.APROBADOR, Role.OIC}


class WorkMenuItem(MenuItem):
    """Shown to people who capture, approve or audit processes in some entity."""

    def is_shown(self, request):
        allowed = entity_ids_for(request.user, WORK_ROLES)
        return allowed is None or bool(allowed)


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return WorkMenuItem(_("Mis tareas"), reverse("workflows:inbox"), icon_name="tasks", order=10)


@hooks.register("register_admin_menu_item")
def register_processes_menu_item():
    return WorkMenuItem(
        _("Procesos de contratación"),
        reverse("workflows:process-list"),
        icon_name="folder-open-inverse",
        order=20,
    )


@hooks.register("construct_homepage_panels")
def add_role_panels(request, panels):
    """Each role's home: capture, review, the entity overview and the stage forms."""
    panels.extend(dashboard.role_panels(request))
