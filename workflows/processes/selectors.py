"""Reads of the process screens: the inbox, the process list, a process's stages and timeline."""

import orjson
from django.db.models import Q
from viewflow.workflow.models import Task

from cms.tenancy import scope_queryset
from ocds_pages.models import Release
from workflows.base.procedures import MAIN_STAGES, Stage
from workflows.processes.audit import net_changes
from workflows.processes.permissions import may_capture, may_review
from workflows.processes.prefill import changes as prefill_changes
from workflows.processes.process_models import (
    AuditAction,
    AuditEntry,
    ContractingProcess,
    StageProcess,
)
from workflows.processes.process_services import stage_needs

ACTIVE = ("NEW", "ASSIGNED", "STARTED")
TASK_ENTITY = "process__stageprocess__contracting_process__entity"


def stage_tasks():
    return Task.objects.filter(process__stageprocess__isnull=False).select_related("owner")


def inbox_tasks(*, user) -> list:
    """Open tasks the user may take or carry on with, oldest first, with their stage run."""
    tasks = scope_queryset(stage_tasks(), user, field=TASK_ENTITY).filter(status__in=ACTIVE)
    tasks = tasks.filter(Q(owner__isnull=True) | Q(owner=user)).order_by("created", "pk")
    runs = StageProcess.objects.select_related("contracting_process", "submitted_by").in_bulk(
        [task.process_id for task in tasks]
    )
    mine = []
    for task in tasks:
        run = runs[task.process_id]
        if _may_work(user, task, run):
            task.run = run
            mine.append(task)
    return mine


def _may_work(user, task, run) -> bool:
    if task.flow_task.name == "capture":
        return may_capture(user, run.contracting_process)
    return may_review(user, run)


def processes_for(*, user, filters=None):
    processes = scope_queryset(ContractingProcess.objects.select_related("unit", "entity"), user)
    if filters is None or not filters.is_valid():
        return processes
    data = filters.cleaned_data
    if data.get("q"):
        processes = processes.filter(Q(ocid__icontains=data["q"]) | Q(title__icontains=data["q"]))
    if data.get("procedure_type"):
        processes = processes.filter(procedure_type=data["procedure_type"])
    if data.get("fiscal_year"):
        processes = processes.filter(fiscal_year=data["fiscal_year"])
    if data.get("closed"):
        processes = processes.filter(closed=data["closed"] == "1")
    if data.get("stage"):
        processes = processes.filter(
            stage_runs__stage=data["stage"], stage_runs__finished__isnull=True
        ).distinct()
    return processes


def stage_summary(*, process) -> list[dict]:
    """Each main stage and each event run: its state and what it still needs."""
    runs = list(process.stage_runs.select_related("submitted_by", "approved_by").order_by("pk"))
    rows = []
    for stage in MAIN_STAGES:
        stage_runs = [run for run in runs if run.stage == stage]
        rows.append(_stage_row(process, stage, stage_runs[-1] if stage_runs else None))
    for run in runs:
        if run.stage not in MAIN_STAGES:
            rows.append(_stage_row(process, run.stage, run))
    return rows


def _stage_row(process, stage, run) -> dict:
    row = {"stage": Stage(stage), "run": run, "task": None, "needs": []}
    if run is None:
        return row
    row["task"] = run.task_set.filter(status__in=ACTIVE).first()
    if row["task"] is not None and row["task"].flow_task.name == "capture":
        row["needs"] = stage_needs(run)
    return row


def timeline(*, process) -> list:
    """The audit log of the process, oldest first."""
    return list(process.audit_entries.select_related("user", "stage_process").order_by("at", "pk"))


def integrity_overrides(*, process) -> list:
    """The blocking integrity findings approved over in the process, with their justification."""
    overrides = process.integrity_overrides.select_related("user", "stage_process")
    return list(overrides.order_by("at", "pk"))


def releases_of(*, process) -> list[dict]:
    rows = Release.objects.filter(ocid=process.ocid).order_by("date", "pk")
    return [
        {
            "release": row,
            "json": orjson.dumps(orjson.loads(row.data), option=orjson.OPT_INDENT_2).decode(),
        }
        for row in rows
    ]


def deadline_notices(*, user, limit: int = 50) -> list:
    """Deadline notices of the open processes the user captures for, newest first."""
    entries = scope_queryset(
        AuditEntry.objects.filter(action=AuditAction.DEADLINE, contracting_process__closed=False),
        user,
        field="contracting_process__entity",
    ).select_related("contracting_process")
    notices = []
    for entry in entries.order_by("-at", "-pk")[: limit * 4]:
        if may_capture(user, entry.contracting_process):
            notices.append(entry)
    return notices[:limit]


def current_stage(*, process) -> str:
    """The stage a new document most likely belongs to: the one in capture, else the last one."""
    runs = StageProcess.objects.filter(contracting_process=process).order_by("-pk")
    latest = runs.filter(finished__isnull=True).values_list("stage", flat=True).first()
    return latest or runs.values_list("stage", flat=True).first() or Stage.PLANNING


def resubmission(*, run, labels=None) -> dict | None:
    """For a stage sent back to review after a return: that return (who, when, why) and what
    the draft changed since then, so the approver checks exactly what was corrected.

    The changes are the SAVE_DRAFT diffs of the audit log after the last return, folded into one
    (workflows/processes/audit.py); ``labels`` (field key → label) names the changed fields.
    """
    entries = list(
        run.audit_entries.filter(action__in=(AuditAction.RETURN, AuditAction.SAVE_DRAFT))
        .select_related("user")
        .order_by("at", "pk")
    )
    returns = [index for index, entry in enumerate(entries) if entry.action == AuditAction.RETURN]
    if not returns:
        return None
    returned = entries[returns[-1]]
    changes = net_changes(entry.diff for entry in entries[returns[-1] + 1 :])
    labels = labels or {}
    for change in changes:
        key = change["path"].split("/", 1)[0]
        change["label"] = labels.get(key, key)
    return {"returned": returned, "returns": len(returns), "changes": changes}


def previous_stage_changes(*, run, prefilled: dict) -> dict | None:
    """What the run's draft changed of what its stage started with (``prefilled``, from
    ``process_services.stage_prefill``): the award's amount against the tender's estimate, an
    item's quantity… None when the stage starts from nothing (events)."""
    draft = run.stage_draft
    if not prefilled or draft is None:
        return None
    return {"changes": prefill_changes(draft.version.spec, prefilled, draft.values or {})}
