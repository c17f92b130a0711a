"""Writes of the capture side: create processes, start stages, capture, approve, return, upload.

Views, the demo and the tests all go through these functions, so permissions, four eyes, the audit
log and publication are the same whoever calls. Tasks are driven with viewflow's
``task.activation()``, which takes the flow lock (``select_for_update`` on the stage's process row)
and opens the transaction everything below happens in.
"""

import hashlib

import orjson
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from viewflow.workflow.status import STATUS

from cms.links import absolute_url
from ocds_pages.codelists import codes
from ocds_pages.compile import compile_releases
from ocds_pages.documents import file_sha256
from ocds_pages.models import Release
from ocds_pages.publication import ReleaseInvalid, next_ocid, next_release_slot, publish_release
from ocds_pages.validation import ValidationIssue
from workflows.base.procedures import Stage, can_start
from workflows.base.rules import capture_issues
from workflows.base.uploads import check_upload
from workflows.forms import form_services
from workflows.forms.form_models import DraftFile, FormVersion
from workflows.forms.forms_engine import data_from_values
from workflows.processes import audit, prefill
from workflows.processes.flows import FLOWS, stage_of
from workflows.processes.integrity import Candidate, IntegrityFinding, findings_for
from workflows.processes.permissions import may_capture, may_capture_in
from workflows.processes.process_models import (
    AuditAction,
    ContractingProcess,
    IntegrityOverride,
    ProcessDocument,
    StageProcess,
)
from workflows.processes.releases import build_stage_release

ACTIVE = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class WorkflowError(Exception):
    """The action cannot be done now; the message says why, in Spanish."""


class FourEyesViolation(PermissionDenied):
    """The person who submitted a capture tried to approve or return it."""


class IntegrityBlocked(WorkflowError):
    """Blocking integrity findings lack a justification: nothing was published.

    ``findings`` are all the findings on the release that was to be published, ``missing`` the
    blocking ones without a justification (the screen shows both again, 422).
    """

    def __init__(self, findings: list[IntegrityFinding], missing: list[IntegrityFinding]):
        self.findings, self.missing = findings, missing
        message = ngettext(
            "Hay %(count)d hallazgo de integridad que impide aprobar sin una justificación "
            "escrita; no se publicó nada.",
            "Hay %(count)d hallazgos de integridad que impiden aprobar sin una justificación "
            "escrita; no se publicó nada.",
            len(missing),
        ) % {"count": len(missing)}
        super().__init__(message)


# --- processes and stages ------------------------------------------------------------------------


def process_create(
    *,
    user,
    unit,
    title: str,
    main_procurement_category: str,
    procedure_type: str,
    fiscal_year: int,
    description: str = "",
    budget_lines: list | None = None,
    replaces: ContractingProcess | None = None,
) -> ContractingProcess:
    """A new process of ``unit`` with its ocid; its planning stage starts right away."""
    if not may_capture_in(user, unit):
        raise PermissionDenied(_("Sólo capturistas de la unidad pueden crear procesos."))
    if any(float(line.get("amount") or 0) < 0 for line in budget_lines or []):
        raise WorkflowError(_("El monto de una partida presupuestal no puede ser negativo."))
    with transaction.atomic():
        process = ContractingProcess.objects.create(
            entity=unit.entity,
            unit=unit,
            ocid=next_ocid(entity=unit.entity),
            title=title,
            description=description,
            main_procurement_category=main_procurement_category,
            procedure_type=procedure_type,
            fiscal_year=fiscal_year,
            budget_lines=budget_lines or [],
            replaces=replaces,
            created_by=user,
        )
        audit.record(process=process, action=AuditAction.CREATE, user=user)
        stage_start(process=process, stage=Stage.PLANNING, user=user)
    return process


def published_stages(process) -> set[str]:
    runs = StageProcess.objects.filter(contracting_process=process).exclude(release_id="")
    return set(runs.values_list("stage", flat=True))


def running_stages(process) -> set[str]:
    runs = StageProcess.objects.filter(contracting_process=process, finished__isnull=True)
    return set(runs.values_list("stage", flat=True))


def startable_stages(process) -> list[str]:
    published, running = published_stages(process), running_stages(process)
    return [
        stage
        for stage in Stage
        if can_start(
            stage,
            published=published,
            running=running,
            closed=process.closed,
            procedure_type=process.procedure_type,
        )
    ]


def stage_start(*, process, stage: str, user) -> StageProcess:
    """Start the flow of ``stage`` (its capture task waits for a capturista)."""
    if not may_capture(user, process):
        raise PermissionDenied(_("Sólo capturistas de la unidad pueden iniciar etapas."))
    with transaction.atomic():
        process = ContractingProcess.objects.select_for_update().get(pk=process.pk)
        if stage not in startable_stages(process):
            raise WorkflowError(
                _("La etapa «%(stage)s» no puede iniciarse ahora.") % {"stage": Stage(stage).label}
            )
        run = FLOWS[Stage(stage)].start.run(contracting_process=process)
        run.stage_draft = _new_stage_draft(process, stage, user)
        run.save(update_fields=["stage_draft"])
        audit.record(process=process, action=AuditAction.START, user=user, stage_process=run)
    return run


def _new_stage_draft(process, stage, user):
    try:
        return form_services.stage_draft_create(
            user=user,
            entity=process.entity,
            unit=process.unit,
            stage=Stage(stage).form,
            procedure_type=process.procedure_type,
            ocid=process.ocid,
        )
    except FormVersion.DoesNotExist as missing:
        raise WorkflowError(
            _("No hay un formulario publicado para la etapa «%(stage)s».")
            % {"stage": Stage(stage).label}
        ) from missing


def stage_prefill(run, *, published=None) -> dict:
    """The draft values the run's stage form starts with: what the process already has — its
    published releases over what was typed when it was created (workflows/processes/prefill.py).
    Empty for events, which record only what is new. ``published``: as in ``stage_fragment``."""
    draft = run.stage_draft
    if draft is None or run.stage not in prefill.PREFILLED_STAGES:
        return {}
    process = run.contracting_process
    record = form_services.stage_draft_context(draft=draft, published=published).published()
    return prefill.stage_values(
        draft.version.spec,
        stage=run.stage,
        procedure_type=process.procedure_type,
        known=prefill.known(prefill.process_facts(process), record),
    )


def active_task(stage_process):
    return stage_process.task_set.filter(status__in=ACTIVE).order_by("-pk").first()


# --- capture -------------------------------------------------------------------------------------


def _take(activation, user, node_name: str) -> None:
    """Make ``user`` the owner of the task (if free and allowed) or refuse."""
    task = activation.task
    node = task.flow_task
    if task.status not in ACTIVE or node.name != node_name:
        raise WorkflowError(_("Esta tarea ya no está pendiente."))
    if task.status == STATUS.NEW:
        if not node.can_assign(user, task):
            raise PermissionDenied(_("No puede tomar esta tarea."))
        activation.assign(user)
    if not node.can_execute(user, task):
        raise PermissionDenied(_("Esta tarea no le corresponde."))


def stage_fragment(run, *, published=None) -> dict | None:
    """The OCDS fragment the run's stage draft produces now (None while its form has errors).
    ``published`` reads the process's compiled record (``form_services.published_reader``), for a
    caller that needs it again and reads it once.

    A stage keeps one draft, the form values (``StageDraft.values``); the fragment is always
    computed from them with the frozen form version, at submit, review and approval alike.
    """
    if run.stage_draft is None:
        return None
    fragment, _form = form_services.stage_draft_fragment(draft=run.stage_draft, published=published)
    return fragment


def stage_needs(run) -> list[ValidationIssue]:
    """What the run's capture still lacks now: its form's errors, else the law's rules unmet."""
    draft = run.stage_draft
    if draft is not None and draft.values:
        fragment, form = form_services.stage_draft_fragment(draft=draft)
        if fragment is None:
            return form_issues(form)
    else:
        fragment = {}
    return capture_issues(
        procedure_type=run.contracting_process.procedure_type, stage=run.stage, draft=fragment
    )


def capture_submit(*, task, user, values: dict) -> list:
    """Fill the stage form with ``values`` (by field key, as a draft stores them) and send it to
    review; returns what it still lacks — form errors and unmet rules — and then nothing is sent.
    The values are kept either way, so an incomplete submit never loses work.

    The staff screens post the form itself (``capture_submit_form``); the demo and the flow tests
    hand the values over.
    """
    draft = stage_of(task).stage_draft
    data = data_from_values(
        draft.version, values, context=form_services.stage_draft_context(draft=draft)
    )
    form, issues = capture_submit_form(task=task, user=user, data=data)
    return form_issues(form) + issues


def form_issues(form) -> list[ValidationIssue]:
    """The errors of a stage form as issues (path: field key, or group/row/field)."""
    issues = [
        ValidationIssue(key, " ".join(str(message) for message in messages))
        for key, messages in (form.errors if form.is_bound else {}).items()
    ]
    for key, formset in getattr(form, "formsets", {}).items():
        issues += [ValidationIssue(key, str(message)) for message in formset.non_form_errors()]
        for index, errors in enumerate(formset.errors):
            issues += [
                ValidationIssue(f"{key}/{index}/{name}", " ".join(str(m) for m in messages))
                for name, messages in errors.items()
            ]
    return issues


def _submit(activation, user) -> list:
    run = activation.process
    fragment = stage_fragment(run) or {}
    issues = capture_issues(
        procedure_type=run.contracting_process.procedure_type, stage=run.stage, draft=fragment
    )
    if issues:
        return issues
    run.submitted_by = user
    run.submitted_at = timezone.now()
    run.save(update_fields=["submitted_by", "submitted_at"])
    audit.record(
        process=run.contracting_process, action=AuditAction.SUBMIT, user=user, stage_process=run
    )
    activation.start(None)
    activation.execute()
    return []


def capture_save_form(*, task, user, data, files=None):
    """Save what the stage form received (valid or not); returns the bound form."""
    with task.activation() as activation:
        _take(activation, user, "capture")
        return _save_form(activation.process, user, data, files)


def _save_form(run, user, data, files):
    draft = run.stage_draft
    before = dict(draft.values or {})
    form = form_services.stage_draft_save(draft=draft, data=data, files=files, user=user)
    audit.record(
        process=run.contracting_process,
        action=AuditAction.SAVE_DRAFT,
        user=user,
        stage_process=run,
        diff=audit.draft_diff(before, draft.values or {}),
    )
    return form


def capture_move_to_latest_version(*, task, user):
    """Move the stage draft to the latest version of its form, on purpose (values are kept)."""
    with task.activation() as activation:
        _take(activation, user, "capture")
        run = activation.process
        draft = form_services.stage_draft_move_to_version(draft=run.stage_draft, user=user)
        audit.record(
            process=run.contracting_process,
            action=AuditAction.SAVE_DRAFT,
            user=user,
            stage_process=run,
            reason=_("Migró el borrador a la versión %(number)s del formulario.")
            % {"number": draft.version.number},
        )
        return draft


def capture_submit_form(*, task, user, data, files=None):
    """Save the stage form and, when it is valid and meets the law's rules, send it to review.

    Returns ``(form, issues)``: form errors stay on the form; ``issues`` are the rules of
    workflows.base.rules still unmet. Sent only when both are empty.
    """
    with task.activation() as activation:
        _take(activation, user, "capture")
        run = activation.process
        form = _save_form(run, user, data, files)
        if not form.is_valid():
            return form, []
        return form, _submit(activation, user)


# --- review --------------------------------------------------------------------------------------


def _take_review(activation, user) -> None:
    _take(activation, user, "review")
    # Four eyes, checked again inside the locked transaction: the node permission above already
    # refuses the submitter, this guards any caller that reaches here another way.
    if activation.process.submitted_by_id == user.pk:
        raise FourEyesViolation(_("Quien envió la captura no puede aprobarla ni devolverla."))


def document_url(document) -> str:
    path = reverse("workflows:public-document", kwargs={"public_id": document.public_id})
    return absolute_url(path)


def stage_documents(run) -> list[ProcessDocument]:
    """The latest version of each document uploaded for the run's stage."""
    latest = {}
    documents = ProcessDocument.objects.filter(
        contracting_process_id=run.contracting_process_id, stage=run.stage
    ).order_by("document_id", "-version")
    for document in documents:
        latest.setdefault(document.document_id, document)
    return list(latest.values())


# --- integrity findings on the candidate record (workflows/processes/integrity.py)
# -------------------------


def stage_candidate(run, *, fragment=None, documents=None) -> Candidate | None:
    """The record the process would have if ``run`` were approved now (None while its form has
    errors): the stage's release, built as the approval builds it, compiled with the published
    ones. ``fragment`` and ``documents`` may be passed when the caller already has them."""
    fragment = stage_fragment(run) if fragment is None else fragment
    if fragment is None:
        return None
    process = run.contracting_process
    release = build_stage_release(
        stage_process=run,
        fragment=fragment,
        slot=next_release_slot(ocid=process.ocid),
        documents=stage_documents(run) if documents is None else documents,
        document_url=document_url,
    )
    return release_candidate(process, run.stage, release)


def release_candidate(process, stage: str, release: dict) -> Candidate:
    """``release`` compiled with the releases already published for ``process`` (the same
    compilation ``ocds_pages.publication`` stores in the record)."""
    texts = (
        Release.objects.filter(ocid=process.ocid)
        .order_by("date", "pk")
        .values_list("data", flat=True)
    )
    compiled = compile_releases([*(orjson.loads(text) for text in texts), release]).compiled
    return Candidate(
        ocid=process.ocid,
        entity_id=process.entity_id,
        unit_id=process.unit_id,
        stage=stage,
        compiled_release=compiled,
    )


def stage_findings(run, *, fragment=None, documents=None) -> list[IntegrityFinding] | None:
    """The integrity findings on ``run``'s candidate record (None while its form has errors)."""
    candidate = stage_candidate(run, fragment=fragment, documents=documents)
    return None if candidate is None else findings_for(candidate)


def finding_key(finding: IntegrityFinding) -> str:
    """A stable, opaque key of a finding (indicator and subject): what a justification answers."""
    digest = hashlib.sha256(f"{finding.code}\x00{finding.subject}".encode()).hexdigest()
    return f"hallazgo-{digest[:16]}"


def _justified(findings, justifications) -> list[tuple[IntegrityFinding, str]]:
    """Each blocking finding with its justification; IntegrityBlocked if any lacks one."""
    justifications = justifications or {}
    blocking = [finding for finding in findings if finding.blocking]
    texts = [(justifications.get(finding_key(f)) or "").strip() for f in blocking]
    missing = [finding for finding, text in zip(blocking, texts, strict=True) if not text]
    if missing:
        raise IntegrityBlocked(findings, missing)
    return list(zip(blocking, texts, strict=True))


def _record_overrides(run, task, user, justified, release_id) -> None:
    if not justified:
        return
    IntegrityOverride.objects.bulk_create(
        IntegrityOverride(
            contracting_process=run.contracting_process,
            stage_process=run,
            task=task,
            release_id=release_id,
            code=finding.code,
            subject=finding.subject,
            name=finding.name,
            severity=finding.severity,
            explanation=finding.explanation,
            evidence=finding.evidence,
            justification=text,
            user=user,
        )
        for finding, text in justified
    )
    lines = [
        _("%(code)s %(name)s%(subject)s: %(text)s")
        % {
            "code": finding.code,
            "name": finding.name,
            "subject": f" ({finding.subject})" if finding.subject else "",
            "text": text,
        }
        for finding, text in justified
    ]
    audit.record(
        process=run.contracting_process,
        action=AuditAction.INTEGRITY_OVERRIDE,
        user=user,
        stage_process=run,
        reason="\n".join(lines),
    )


def review_approve(*, task, user, justifications: dict[str, str] | None = None):
    """Publish the stage's release and finish the stage; ReleaseInvalid leaves everything as it was.

    The integrity findings are computed again on the very release being published, inside the
    locked transaction: a blocking one without a justification in ``justifications`` (by
    ``finding_key``) raises IntegrityBlocked and nothing is published. Returns the stored
    ``ocds_pages.models.Release``.
    """
    try:
        with task.activation() as activation:
            _take_review(activation, user)
            return _publish(activation, user, justifications)
    except ReleaseInvalid as invalid:
        run = stage_of(task)
        audit.record(
            process=run.contracting_process,
            action=AuditAction.REJECTED,
            user=user,
            stage_process=run,
            reason="\n".join(str(issue) for issue in invalid.issues),
        )
        raise


def _publish(activation, user, justifications=None):
    run = activation.process
    process = ContractingProcess.objects.select_for_update().get(pk=run.contracting_process_id)
    run.contracting_process = process
    documents = stage_documents(run)
    fragment = stage_fragment(run)
    if fragment is None:
        raise WorkflowError(_("La captura tiene errores; devuélvala para que se corrijan."))
    release = build_stage_release(
        stage_process=run,
        fragment=fragment,
        slot=next_release_slot(ocid=process.ocid),
        documents=documents,
        document_url=document_url,
    )
    findings = findings_for(release_candidate(process, run.stage, release))
    justified = _justified(findings, justifications)
    stored = publish_release(release=release, entity=process.entity, unit=process.unit)
    _record_overrides(run, activation.task, user, justified, stored.release_id)
    run.approved, run.approved_by, run.return_reason = True, user, ""
    run.release_id = stored.release_id
    run.save(update_fields=["approved", "approved_by", "release_id", "return_reason"])
    ProcessDocument.objects.filter(pk__in=[d.pk for d in documents], published_in="").update(
        published_in=stored.release_id
    )
    DraftFile.objects.filter(
        path__in=form_services.draft_file_paths(run.stage_draft), published_in=""
    ).update(published_in=stored.release_id)
    if Stage(run.stage).closes:
        process.closed = True
        process.save(update_fields=["closed"])
    audit.record(
        process=process,
        action=AuditAction.APPROVE,
        user=user,
        stage_process=run,
        reason=stored.release_id,
    )
    activation.start(None)
    activation.execute()
    return stored


def review_return(*, task, user, reason: str) -> None:
    """Back to capture with a mandatory reason; the draft and the history stay."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Escriba el motivo de la devolución."))
    with task.activation() as activation:
        _take_review(activation, user)
        run = activation.process
        run.approved, run.return_reason = False, reason
        run.save(update_fields=["approved", "return_reason"])
        audit.record(
            process=run.contracting_process,
            action=AuditAction.RETURN,
            user=user,
            stage_process=run,
            reason=reason,
        )
        activation.start(None)
        activation.execute()


def may_act(user, task) -> bool:
    """Whether ``user`` may work on ``task`` now (take it or carry on with it)."""
    node = task.flow_task
    if task.status not in ACTIVE:
        return False
    if task.status == STATUS.NEW:
        return node.can_assign(user, task)
    return node.can_execute(user, task)


# --- desierta: a new procedure replaces the unsuccessful one -------------------------------------


def process_replace(*, process, user) -> ContractingProcess:
    """A new process for what a desierta left unbought, linked by relatedProcesses."""
    if Stage.TENDER_UNSUCCESSFUL not in published_stages(process):
        raise WorkflowError(_("Sólo un procedimiento desierto puede sustituirse por otro."))
    return process_create(
        user=user,
        unit=process.unit,
        title=process.title,
        description=process.description,
        main_procurement_category=process.main_procurement_category,
        procedure_type=process.procedure_type,
        fiscal_year=process.fiscal_year,
        budget_lines=process.budget_lines,
        replaces=process,
    )


# --- documents -----------------------------------------------------------------------------------


def document_upload(
    *, process, user, stage: str, uploaded, title: str, document_type: str, document_id=""
) -> ProcessDocument:
    """Store a new version of a document (UploadRefused when the file is not acceptable)."""
    if not may_capture(user, process):
        raise PermissionDenied(_("Sólo capturistas de la unidad pueden subir documentos."))
    if document_type not in codes("documentType"):
        raise WorkflowError(_("Tipo de documento desconocido."))
    checked = check_upload(uploaded)
    uploaded.seek(0)
    sha256 = file_sha256(file=uploaded)
    uploaded.seek(0)
    with transaction.atomic():
        process = ContractingProcess.objects.select_for_update().get(pk=process.pk)
        document_id = document_id or _new_document_id(process)
        previous = process.documents.filter(document_id=document_id).aggregate(Max("version"))
        document = ProcessDocument.objects.create(
            contracting_process=process,
            stage=stage,
            document_id=document_id,
            version=(previous["version__max"] or 0) + 1,
            title=title,
            document_type=document_type,
            file=uploaded,
            original_name=uploaded.name[:255],
            content_type=checked.content_type,
            size=checked.size,
            sha256=sha256,
            uploaded_by=user,
        )
        audit.record(
            process=process,
            action=AuditAction.UPLOAD,
            user=user,
            reason=_("%(title)s, versión %(version)s, SHA-256 %(sha)s")
            % {"title": title, "version": document.version, "sha": document.sha256},
        )
    return document


def _new_document_id(process) -> str:
    return f"doc-{process.documents.values('document_id').distinct().count() + 1}"
