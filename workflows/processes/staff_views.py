"""Staff screens of the contracting processes (/tramite/): inbox, processes, process page, tasks.

Thin views over ``workflows.processes.process_services`` (writes) and
``workflows.processes.selectors`` (reads). Every row is found through cms.tenancy, so anything of
another entity answers 404. The tasks are the viewflow tasks of the stage flows; each one is shown
and acted on at /tramite/tareas/<pk>/.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.tenancy import get_scoped_or_404
from ocds_pages.publication import ReleaseInvalid
from workflows.base.procedures import Stage
from workflows.base.rules import capture_issues, review_warnings
from workflows.base.uploads import UploadRefused
from workflows.forms import form_services
from workflows.processes import process_services, selectors
from workflows.processes.flows import stage_of
from workflows.processes.integrity_display import finding_views
from workflows.processes.media import READER_ROLES, file_response
from workflows.processes.permissions import may_capture, may_review
from workflows.processes.process_forms import (
    BUDGET_PREFIX,
    DocumentForm,
    ProcessFilterForm,
    ProcessForm,
)
from workflows.processes.process_models import ContractingProcess, ProcessDocument


@login_required
def inbox(request):
    return render(
        request,
        "workflows/tramite/inbox.html",
        {
            "tasks": selectors.inbox_tasks(user=request.user),
            "notices": selectors.deadline_notices(user=request.user),
        },
    )


@login_required
def process_list(request):
    filters = ProcessFilterForm(request.GET or None)
    processes = selectors.processes_for(user=request.user, filters=filters)
    return render(
        request,
        "workflows/tramite/process_list.html",
        {"processes": processes[:200], "filters": filters},
    )


@login_required
def process_create(request):
    adding = request.POST.get("agregar_fila") == BUDGET_PREFIX
    form = ProcessForm(request.POST or None, user=request.user, extra_budget_rows=int(adding))
    if not form.fields["unit"].queryset.exists():
        raise PermissionDenied(_("Sólo capturistas de una unidad compradora crean procesos."))
    if request.method == "POST" and not adding and form.is_valid():
        process = process_services.process_create(user=request.user, **form.service_kwargs())
        messages.success(
            request, _("Proceso %(ocid)s creado; capture su planeación.") % {"ocid": process.ocid}
        )
        return redirect("workflows:process-detail", pk=process.pk)
    return render(request, "workflows/tramite/process_form.html", {"form": form})


def _process_or_404(request, pk) -> ContractingProcess:
    return get_scoped_or_404(
        ContractingProcess.objects.select_related("entity", "unit"), request.user, pk=pk
    )


@login_required
def process_detail(request, pk):
    process = _process_or_404(request, pk)
    can_capture = may_capture(request.user, process)
    context = {
        "process": process,
        "stages": selectors.stage_summary(process=process),
        "timeline": selectors.timeline(process=process),
        "overrides": selectors.integrity_overrides(process=process),
        "releases": selectors.releases_of(process=process),
        "documents": process.documents.select_related("uploaded_by"),
        "startable": process_services.startable_stages(process) if can_capture else [],
        "can_capture": can_capture,
        "can_replace": can_capture
        and process.closed
        and Stage.TENDER_UNSUCCESSFUL in process_services.published_stages(process)
        and not process.replacements.exists(),
        "document_form": DocumentForm(
            prefix="documento", stage=selectors.current_stage(process=process)
        )
        if can_capture
        else None,
    }
    return render(request, "workflows/tramite/process_detail.html", context)


@login_required
@require_POST
def stage_start(request, pk):
    process = _process_or_404(request, pk)
    try:
        run = process_services.stage_start(
            process=process, stage=request.POST.get("stage"), user=request.user
        )
    except (process_services.WorkflowError, ValueError) as refused:
        messages.error(request, str(refused) or _("Etapa desconocida."))
        return redirect("workflows:process-detail", pk=process.pk)
    messages.success(request, _("Etapa «%(stage)s» iniciada.") % {"stage": run.get_stage_display()})
    return redirect("workflows:task", pk=process_services.active_task(run).pk)


@login_required
@require_POST
def process_replace(request, pk):
    process = _process_or_404(request, pk)
    try:
        new = process_services.process_replace(process=process, user=request.user)
    except process_services.WorkflowError as refused:
        messages.error(request, str(refused))
        return redirect("workflows:process-detail", pk=process.pk)
    messages.success(
        request,
        _("Nuevo procedimiento %(ocid)s creado en sustitución del desierto.") % {"ocid": new.ocid},
    )
    return redirect("workflows:process-detail", pk=new.pk)


@login_required
@require_POST
def document_upload(request, pk):
    process = _process_or_404(request, pk)
    form = DocumentForm(request.POST, request.FILES, prefix="documento")
    if not form.is_valid():
        messages.error(request, _("Revise el documento: %(errors)s") % {"errors": form.errors})
        return redirect("workflows:process-detail", pk=process.pk)
    try:
        document = process_services.document_upload(
            process=process, user=request.user, uploaded=form.cleaned_data["file"], **form.kwargs()
        )
    except (UploadRefused, process_services.WorkflowError) as refused:
        messages.error(request, str(refused))
        return redirect("workflows:process-detail", pk=process.pk)
    messages.success(
        request,
        _("Documento «%(title)s» guardado (versión %(version)s).")
        % {"title": document.title, "version": document.version},
    )
    return redirect("workflows:process-detail", pk=process.pk)


@login_required
def document_download(request, pk):
    document = get_scoped_or_404(
        ProcessDocument.objects.all(),
        request.user,
        field="contracting_process__entity",
        roles=READER_ROLES,
        pk=pk,
    )
    return _file_response(document)


def public_document(request, public_id):
    """The file of a published document (its URL is in the release); drafts stay private."""
    document = get_object_or_404(ProcessDocument, public_id=public_id)
    if not document.published_in:
        raise Http404
    return _file_response(document)


def _file_response(document):
    response = file_response(
        document.file.name,
        document.content_type,
        document.original_name,
        as_attachment=True,
    )
    if not document.published_in:
        # Like /media/procesos/… (media.private_file): no shared cache may keep a private file.
        response["Cache-Control"] = "private, no-store"
    return response


# --- tasks ---------------------------------------------------------------------------------------


@login_required
def task_detail(request, pk):
    task = get_scoped_or_404(
        selectors.stage_tasks(), request.user, field=selectors.TASK_ENTITY, pk=pk
    )
    run = stage_of(task)
    if task.flow_task.name == "capture":
        return _capture(request, task, run)
    return _review(request, task, run)


def _added_rows(request) -> dict:
    key = request.POST.get("agregar_fila")
    return {key: 1} if key else {}


def _capture(request, task, run):
    acting = process_services.may_act(request.user, task)
    if request.method != "POST":
        # A draft nobody saved yet starts from what the process already has (issue 16, item 7).
        prefilled = process_services.stage_prefill(run) if not run.stage_draft.values else {}
        form = form_services.stage_draft_form(draft=run.stage_draft, initial=prefilled)
        return _render_capture(request, task, run, form, acting, prefilled=bool(prefilled))
    if not acting:
        raise PermissionDenied(_("Esta tarea no le corresponde."))
    if request.POST.get("accion") == "migrar":
        process_services.capture_move_to_latest_version(task=task, user=request.user)
        messages.success(
            request, _("El borrador usa ahora la versión más reciente del formulario.")
        )
        return redirect("workflows:task", pk=task.pk)
    if request.POST.get("accion") == "enviar" and not _added_rows(request):
        return _submit(request, task, run)
    form = process_services.capture_save_form(
        task=task, user=request.user, data=request.POST, files=request.FILES
    )
    if _added_rows(request):
        messages.info(request, _("Se agregó una fila; el borrador quedó guardado."))
        form = form_services.stage_draft_form(
            draft=run.stage_draft, extra_rows=_added_rows(request)
        )
        return _render_capture(request, task, run, form, True)
    if not form.is_valid():
        messages.warning(
            request,
            _("Borrador guardado con errores: corrija los campos señalados para completarlo."),
        )
        return _render_capture(request, task, run, form, True, status=422)
    messages.success(request, _("Borrador guardado."))
    return redirect("workflows:task", pk=task.pk)


def _submit(request, task, run):
    form, issues = process_services.capture_submit_form(
        task=task, user=request.user, data=request.POST, files=request.FILES
    )
    if form.is_valid() and not issues:
        messages.success(request, _("Etapa enviada a revisión."))
        return redirect("workflows:process-detail", pk=run.contracting_process_id)
    messages.warning(request, _("El borrador quedó guardado, pero aún no puede enviarse."))
    return _render_capture(request, task, run, form, True, issues=issues, status=422)


def _render_capture(request, task, run, form, acting, *, issues=None, status=200, prefilled=False):
    run.refresh_from_db()
    process = run.contracting_process
    fragment = process_services.stage_fragment(run) if run.stage_draft.values else None
    if issues is None and fragment is not None:
        # The form shows its own errors; these are the law's rules the complete form still misses.
        issues = capture_issues(
            procedure_type=process.procedure_type, stage=run.stage, draft=fragment
        )
    draft = run.stage_draft
    latest = draft.version.definition.latest_version()
    context = {
        "task": task,
        "run": run,
        "process": process,
        "form": form,
        "can_write": acting,
        "issues": issues or [],
        "fragment_json": json.dumps(fragment, ensure_ascii=False, indent=2) if fragment else "",
        "findings": _integrity_panel(run, fragment, None) if fragment is not None else None,
        "newer_version": latest if latest and latest.number > draft.version.number else None,
        "prefilled": prefilled,
    }
    return render(request, "workflows/tramite/task_capture.html", context, status=status)


def _review(request, task, run):
    acting = process_services.may_act(request.user, task)
    if request.method == "POST":
        if not acting:
            raise PermissionDenied(_("No puede revisar esta tarea."))
        return _decide(request, task, run)
    return _render_review(request, task, run, acting)


def _decide(request, task, run):
    if request.POST.get("accion") == "devolver":
        try:
            process_services.review_return(
                task=task, user=request.user, reason=request.POST.get("motivo")
            )
        except process_services.WorkflowError as refused:
            messages.error(request, str(refused))
            return _render_review(request, task, run, True, status=422)
        messages.success(request, _("Etapa devuelta a captura."))
        return redirect("workflows:inbox")
    justifications = _posted_justifications(request)
    try:
        release = process_services.review_approve(
            task=task, user=request.user, justifications=justifications
        )
    except ReleaseInvalid as invalid:
        messages.error(request, _("La entrega no es válida; no se publicó nada."))
        return _render_review(request, task, run, True, issues=invalid.issues, status=422)
    except process_services.IntegrityBlocked as blocked:
        messages.error(request, str(blocked))
        integrity = {"justifications": justifications, "missing": blocked.missing}
        return _render_review(request, task, run, True, integrity=integrity, status=422)
    except process_services.WorkflowError as refused:
        messages.error(request, str(refused))
        return _render_review(request, task, run, True, status=422)
    messages.success(
        request, _("Etapa aprobada: se publicó la entrega %(id)s.") % {"id": release.release_id}
    )
    return redirect("workflows:process-detail", pk=run.contracting_process_id)


def _posted_justifications(request) -> dict[str, str]:
    """What the approver wrote for each finding (named by ``process_services.finding_key``)."""
    return {name: value for name, value in request.POST.items() if name.startswith("hallazgo-")}


def _integrity_panel(run, fragment, documents, *, justifications=None, missing=()):
    """The findings on the candidate record, for the panel (None while the form has errors)."""
    if fragment is None:
        return None
    findings = process_services.stage_findings(run, fragment=fragment, documents=documents)
    return finding_views(
        findings, key=process_services.finding_key, justifications=justifications, missing=missing
    )


def _render_review(request, task, run, acting, *, issues=(), integrity=None, status=200):
    process = run.contracting_process
    # The compiled record is read once for the impossible-data check and the prefill comparison.
    published = form_services.published_reader(process.ocid)
    fragment = process_services.stage_fragment(run, published=published)
    documents = process_services.stage_documents(run)
    findings = _integrity_panel(run, fragment, documents, **(integrity or {}))
    fragment = fragment or {}
    form = form_services.stage_draft_form(draft=run.stage_draft) if run.stage_draft else None
    labels = {name: str(field.label) for name, field in form.fields.items()} if form else {}
    context = {
        "task": task,
        "run": run,
        "process": process,
        "can_decide": acting,
        "is_submitter": run.submitted_by_id == request.user.pk,
        "may_review": may_review(request.user, run),
        "warnings": review_warnings(
            procedure_type=process.procedure_type, stage=run.stage, draft=fragment
        ),
        "issues": issues,
        "form": form,
        "resubmission": selectors.resubmission(run=run, labels=labels),
        "previous_stage": selectors.previous_stage_changes(
            run=run, prefilled=process_services.stage_prefill(run, published=published)
        ),
        "draft_json": json.dumps(fragment, ensure_ascii=False, indent=2),
        "documents": documents,
        "findings": findings,
        "blocking": any(view.finding.blocking for view in findings or ()),
    }
    return render(request, "workflows/tramite/task_review.html", context, status=status)
