"""Staff screens of the stage drafts: list, start, fill and save, see the OCDS they produce.

Thin views over ``workflows.services``; every draft is looked up through cms.tenancy, so a draft of
another entity answers 404. Issue 6's capture tasks reuse the same component (the form engine and
``workflows/includes/stage_form.html``).
"""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cms.models import Entity
from cms.roles import Role
from cms.tenancy import get_scoped_or_404, has_role, scope_queryset
from workflows import services
from workflows.models import FormVersion, StageDraft
from workflows.procedures import FORM_STAGE_CHOICES, ProcedureType

# Who may start and fill drafts; the other roles of the entity (OIC, approvers) only read them.
WRITER_ROLES = {Role.CAPTURISTA, Role.EDITOR}
MAX_ADDED_ROWS = 50


def _can_write(user, draft) -> bool:
    return any(has_role(user, role, entity_id=draft.entity_id) for role in WRITER_ROLES)


def _writable_entities(user):
    return scope_queryset(Entity.objects.filter(active=True), user, field="id", roles=WRITER_ROLES)


class NewDraftForm(forms.Form):
    entity = forms.ModelChoiceField(
        queryset=Entity.objects.none(), label=gettext_lazy("Ente público"), empty_label=None
    )
    stage = forms.ChoiceField(choices=FORM_STAGE_CHOICES, label=gettext_lazy("Etapa"))
    procedure_type = forms.ChoiceField(
        choices=ProcedureType.choices,
        label=gettext_lazy("Tipo de procedimiento"),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = _writable_entities(user)


@login_required
def draft_list(request):
    drafts = scope_queryset(StageDraft.objects.all(), request.user).select_related(
        "entity", "version"
    )
    return render(
        request,
        "workflows/draft_list.html",
        {"drafts": drafts[:200], "new_form": NewDraftForm(user=request.user)},
    )


@login_required
@require_POST
def draft_create(request):
    form = NewDraftForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Revise la etapa, el procedimiento y el ente."))
        return redirect("workflows:draft-list")
    try:
        draft = services.stage_draft_create(
            user=request.user,
            entity=form.cleaned_data["entity"],
            stage=form.cleaned_data["stage"],
            procedure_type=form.cleaned_data["procedure_type"],
        )
    except FormVersion.DoesNotExist:
        messages.error(request, _("No hay un formulario publicado para esa etapa."))
        return redirect("workflows:draft-list")
    return redirect("workflows:draft-detail", pk=draft.pk)


def _added_rows(request) -> dict:
    key = request.POST.get("agregar_fila")
    return {key: 1} if key else {}


@login_required
def draft_detail(request, pk):
    draft = get_scoped_or_404(StageDraft.objects.select_related("version"), request.user, pk=pk)
    if request.method == "POST":
        return _draft_post(request, draft)
    fragment, form = services.stage_draft_fragment(draft=draft)
    return _render_draft(request, draft, form, fragment)


def _draft_post(request, draft):
    if not _can_write(request.user, draft):
        raise PermissionDenied
    if request.POST.get("accion") == "migrar":
        services.stage_draft_move_to_version(draft=draft, user=request.user)
        messages.success(
            request, _("El borrador usa ahora la versión más reciente del formulario.")
        )
        return redirect("workflows:draft-detail", pk=draft.pk)
    form = services.stage_draft_save(
        draft=draft, data=request.POST, files=request.FILES, user=request.user
    )
    added = _added_rows(request)
    if added:
        messages.info(request, _("Se agregó una fila; el borrador quedó guardado."))
        form = services.stage_draft_form(draft=draft, extra_rows=added)
        return _render_draft(request, draft, form, None)
    if draft.is_valid:
        messages.success(request, _("Borrador guardado. El formulario está completo."))
        return redirect("workflows:draft-detail", pk=draft.pk)
    messages.warning(
        request, _("Borrador guardado con errores: corrija los campos señalados para completarlo.")
    )
    return _render_draft(request, draft, form, None, status=422)


def _render_draft(request, draft, form, fragment, status=200):
    latest = draft.version.definition.latest_version()
    context = {
        "draft": draft,
        "form": form,
        "can_write": _can_write(request.user, draft),
        "fragment_json": json.dumps(fragment, ensure_ascii=False, indent=2) if fragment else "",
        "newer_version": latest if latest and latest.number > draft.version.number else None,
        "procedure_label": ProcedureType(draft.procedure_type).label,
    }
    return render(request, "workflows/draft_detail.html", context, status=status)
